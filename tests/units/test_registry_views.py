from auditlog.models import LogEntry
from django.urls import reverse
from wagtail.users.models import UserProfile

from tests.base import BaseTestCase
from units.models import Membership, Unit


class UnitIndexTestCase(BaseTestCase):
    def setUp(self):
        self.url = reverse("units:index")

    def test_board_staff_see_the_registry_in_vietnamese(self):
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertContains(response, "Ban Tuyên giáo và Dân vận Tỉnh ủy")
        self.assertContains(response, "Xã Hòa Phú")
        self.assertContains(response, "Thêm")  # the admin speaks Vietnamese
        self.assertContains(response, reverse("units:add"))

    def test_it_filters_by_level_kind_and_commune(self):
        self.login(self.owner)

        response = self.client.get(
            self.url,
            {
                "level": "commune",
                "kind": "peoples_committee",
                "commune": self.tan_an.pk,
            },
        )

        self.assertContains(response, "Ủy ban nhân dân phường Tân An")
        self.assertNotContains(response, "Ủy ban nhân dân xã Hòa Phú")
        self.assertNotContains(response, "Ban Tuyên giáo và Dân vận Tỉnh ủy")

    def test_search_ignores_diacritics(self):
        self.login(self.owner)

        response = self.client.get(self.url, {"q": "hoa phu xay dung"})

        self.assertContains(response, "Ban Xây dựng Đảng xã Hòa Phú")
        self.assertNotContains(response, "Ban Xây dựng Đảng phường Tân An")

    def test_commune_users_may_read_but_not_change_the_registry(self):
        for user in (self.member, self.reviewer):
            self.login(user)

            self.assertEqual(self.client.get(self.url).status_code, 200)
            self.assertNotContains(self.client.get(self.url), reverse("units:add"))
            edit = reverse("units:edit", args=[self.hoa_phu_ubnd.pk])
            self.assertEqual(self.client.get(edit).status_code, 302)

    def test_collaborators_cannot_see_the_registry(self):
        self.login(self.collaborator)

        response = self.client.get(self.url)

        self.assertRedirects(response, reverse("wagtailadmin_home"))

    def test_anonymous_visitors_are_sent_to_the_login_page(self):
        response = self.client.get(self.url)

        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("wagtailadmin_login"), response["Location"])


class UnitEditTestCase(BaseTestCase):
    def test_board_staff_rename_a_unit_and_the_change_is_audited(self):
        self.login(self.owner)
        url = reverse("units:edit", args=[self.police.pk])

        response = self.client.post(
            url,
            {
                "code": "T66-CA",
                "name": "Công an tỉnh  Đắk Lắk (mới)",
                "kind": "police",
                "level": "province",
                "commune": "",
                "parent": "",
                "is_active": "on",
            },
        )

        self.assertEqual(response.status_code, 302)
        self.police.refresh_from_db()
        self.assertEqual(self.police.name, "Công an tỉnh Đắk Lắk (mới)")
        entry = LogEntry.objects.get_for_object(self.police).latest("timestamp")
        self.assertEqual(entry.actor, self.owner)
        self.assertIn("name", entry.changes_dict)

    def test_a_commune_unit_without_a_commune_is_refused_in_vietnamese(self):
        self.login(self.owner)

        response = self.client.post(
            reverse("units:add"),
            {
                "code": "X1-NEW",
                "name": "Đơn vị mới",
                "kind": "party_building",
                "level": "commune",
            },
        )

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Đơn vị cấp xã phải thuộc một xã, phường.")
        self.assertContains(response, "Đơn vị mới")  # what was typed is kept
        self.assertFalse(Unit.objects.filter(code="X1-NEW").exists())


class MembershipIndexTestCase(BaseTestCase):
    def setUp(self):
        self.url = reverse("memberships:index")

    def test_board_staff_see_memberships_filtered_by_commune(self):
        self.login(self.owner)

        response = self.client.get(self.url, {"unit__commune": self.hoa_phu.pk})

        self.assertContains(response, "hoaphu.xdd")
        self.assertNotContains(response, "tanan.xdd")

    def test_commune_users_and_viewers_cannot_list_people(self):
        # Collaborators' identities are protected (Art. 7.1.5).
        for user in (self.member, self.outsider, self.reviewer, self.viewer):
            self.login(user)
            self.assertRedirects(
                self.client.get(self.url), reverse("wagtailadmin_home")
            )

    def test_a_role_outside_its_unit_is_refused_next_to_the_role_field(self):
        self.login(self.owner)

        response = self.client.post(
            reverse("memberships:add"),
            {
                "user": self.outsider.pk,
                "unit": self.tan_an_ubnd.pk,
                "role": "commune_reviewer",
            },
        )

        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response, "Cán bộ thẩm định cấp xã phải thuộc Ban Xây dựng Đảng"
        )
        self.assertEqual(Membership.objects.filter(user=self.outsider).count(), 1)


class AdminHomeTestCase(BaseTestCase):
    def test_the_admin_dashboard_loads_for_every_role(self):
        for user in (
            self.owner,
            self.leader,
            self.member,
            self.outsider,
            self.reviewer,
            self.collaborator,
            self.viewer,
            self.superuser,
        ):
            self.login(user)
            response = self.client.get(reverse("wagtailadmin_home"))
            self.assertEqual(response.status_code, 200, user)
            self.assertContains(response, 'lang="vi"')

    def test_a_user_may_switch_the_admin_to_english(self):
        self.login(self.member)
        profile = UserProfile.get_for_user(self.member)
        profile.preferred_language = "en"
        profile.save()

        response = self.client.get(reverse("wagtailadmin_home"))

        self.assertContains(response, 'lang="en"')


class ClearanceTestCase(BaseTestCase):
    def test_board_staff_set_a_persons_clearance(self):
        self.login(self.owner)
        profile = self.member.dlxh_profile
        url = reverse("profiles:edit", args=[profile.pk])

        response = self.client.post(
            url, {"clearance": "1", "title": "Phó Chủ tịch", "phone": ""}
        )

        self.assertEqual(response.status_code, 302)
        profile.refresh_from_db()
        self.assertEqual(profile.clearance, 1)

    def test_commune_users_cannot_see_clearances(self):
        self.login(self.member)

        response = self.client.get(reverse("profiles:index"))

        self.assertRedirects(response, reverse("wagtailadmin_home"))
