from django.core.exceptions import ValidationError

from tests.base import BaseTestCase, make_person
from units.choices import Role
from units.models import Membership
from units.roles import ROLE_GROUP_NAMES


class MembershipRulesTestCase(BaseTestCase):
    def test_board_roles_are_only_held_in_the_board(self):
        membership = Membership(
            user=self.member, unit=self.hoa_phu_party, role=Role.BOARD_STAFF
        )
        with self.assertRaises(ValidationError) as caught:
            membership.full_clean()
        self.assertIn(
            "Ban Tuyên giáo và Dân vận", caught.exception.message_dict["role"][0]
        )

    def test_a_commune_reviewer_belongs_to_its_party_building_board(self):
        membership = Membership(
            user=self.member, unit=self.hoa_phu_party, role=Role.COMMUNE_REVIEWER
        )
        with self.assertRaises(ValidationError) as caught:
            membership.full_clean()
        self.assertIn("Ban Xây dựng Đảng", caught.exception.message_dict["role"][0])

    def test_collaborators_belong_to_a_collaborator_unit(self):
        membership = Membership(
            user=self.member, unit=self.hoa_phu_ubnd, role=Role.COLLABORATOR
        )
        with self.assertRaises(ValidationError):
            membership.full_clean()

    def test_leadership_viewers_are_only_at_province_level(self):
        membership = Membership(
            user=self.member, unit=self.hoa_phu_party, role=Role.LEADERSHIP_VIEWER
        )
        with self.assertRaises(ValidationError):
            membership.full_clean()

    def test_a_reporter_may_serve_any_unit(self):
        Membership(
            user=self.member, unit=self.hoa_phu_party, role=Role.REPORTER
        ).full_clean()

    def test_a_person_has_one_membership_per_unit(self):
        membership = Membership(
            user=self.member, unit=self.hoa_phu_ubnd, role=Role.REPORTER
        )
        with self.assertRaises(ValidationError):
            membership.full_clean()

    def test_a_person_may_serve_several_units(self):
        make_person("hoaphu.ubnd", self.hoa_phu_party, Role.REPORTER)

        self.assertEqual(
            set(
                Membership.objects.for_user(self.member).values_list(
                    "unit__code", flat=True
                )
            ),
            {"X24175-UBND", "X24175-DU"},
        )


class RoleGroupsTestCase(BaseTestCase):
    def groups(self, user):
        return set(user.groups.values_list("name", flat=True))

    def test_a_membership_puts_the_person_in_its_role_group(self):
        self.assertEqual(self.groups(self.owner), {ROLE_GROUP_NAMES[Role.BOARD_STAFF]})
        self.assertEqual(
            self.groups(self.reviewer), {ROLE_GROUP_NAMES[Role.COMMUNE_REVIEWER]}
        )

    def test_ending_a_membership_takes_the_role_away(self):
        membership = self.reviewer.memberships.get()
        membership.is_active = False
        membership.save()

        self.assertEqual(self.groups(self.reviewer), set())
        self.assertFalse(self.reviewer.has_perm("wagtailadmin.access_admin"))

    def test_deleting_a_membership_takes_the_role_away(self):
        self.collaborator.memberships.get().delete()

        self.assertEqual(self.groups(self.collaborator), set())

    def test_every_role_may_enter_the_admin(self):
        for user in (
            self.owner,
            self.leader,
            self.member,
            self.reviewer,
            self.collaborator,
            self.viewer,
        ):
            self.assertTrue(user.has_perm("wagtailadmin.access_admin"), user)

    def test_only_board_roles_manage_the_registry(self):
        self.assertTrue(self.owner.has_perm("units.change_unit"))
        self.assertTrue(self.leader.has_perm("units.add_membership"))
        for user in (self.member, self.reviewer, self.collaborator, self.viewer):
            self.assertFalse(user.has_perm("units.change_unit"), user)
            self.assertFalse(user.has_perm("units.view_membership"), user)

    def test_a_new_user_gets_a_profile_with_normal_clearance(self):
        self.assertEqual(self.member.dlxh_profile.clearance, 0)
        self.assertEqual(self.leader.dlxh_profile.clearance, 2)
