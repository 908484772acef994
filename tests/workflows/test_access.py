"""One access policy for every view: unit-scoped, clearance-checked, shareable
by the Board's rules, and a 404 for whatever a user may not read."""

from django.urls import reverse

from forms_app.access import submissions_visible_to
from forms_app.models import FormSubmission, SharingRule
from tests.base import BaseTestCase, make_person
from tests.forms_app.factories import make_report_template, make_submission
from tests.workflows.helpers import REPORT_ANSWERS, REPORT_FIELDS
from units.choices import Clearance, Level, Role, UnitKind

OBJECT_VIEWS = [
    "edit",
    "inspect",
    "history",
    "workflow_history",
    "edit_answers",
    "delete",
    "lock",
    "unpublish",
]


class SubmissionTestCase(BaseTestCase):
    """One submission of Hòa Phú's commune unit, on its review."""

    def setUp(self):
        super().setUp()
        self.page = make_report_template(
            fields=REPORT_FIELDS, one_per_unit_per_period=False
        )
        self.submission = self.make(self.hoa_phu_ubnd, self.member)

    def make(self, unit, user, **attrs):
        attrs.setdefault("answers", {**REPORT_ANSWERS, "dlxh_sensitivity": "normal"})
        submission = make_submission(self.page, unit=unit, user=user, **attrs)
        submission.start_review(user)
        return submission


class SubmissionAccessTestCase(SubmissionTestCase):
    def assertRefused(self, response):
        """Wagtail's admin answers a PermissionDenied with a redirect home."""
        if response.status_code == 302:
            self.assertEqual(response["Location"], reverse("wagtailadmin_home"))
        else:
            self.assertEqual(response.status_code, 403)

    def visible(self, user):
        return set(submissions_visible_to(user).values_list("pk", flat=True))

    def test_a_commune_user_who_guesses_another_communes_ids_gets_404_everywhere(self):
        self.login(self.outsider)
        for name in OBJECT_VIEWS:
            url = reverse(f"submissions:{name}", args=[self.submission.pk])
            for method in (self.client.get, self.client.post):
                self.assertEqual(method(url).status_code, 404, (name, method))
        task_state = self.submission.current_workflow_task_state
        action = reverse(
            "submissions:workflow_action",
            args=[self.submission.pk, "approve", task_state.pk],
        )
        self.assertEqual(self.client.post(action).status_code, 404)
        self.assertEqual(
            self.client.get(f"/phieu-da-gui/{self.submission.pk}/").status_code, 404
        )

    def test_the_inbox_lists_only_what_the_user_may_read(self):
        other = self.make(self.tan_an_ubnd, self.outsider)
        self.login(self.outsider)

        response = self.client.get(reverse("submissions:list"))

        listed = {obj.pk for obj in response.context["object_list"]}
        self.assertEqual(listed, {other.pk})

    def test_each_role_sees_its_own_scope(self):
        other = self.make(self.tan_an_ubnd, self.outsider)
        both = {self.submission.pk, other.pk}

        self.assertEqual(self.visible(self.member), {self.submission.pk})
        self.assertEqual(self.visible(self.outsider), {other.pk})
        self.assertEqual(self.visible(self.reviewer), {self.submission.pk})
        self.assertEqual(self.visible(self.other_reviewer), {other.pk})
        self.assertEqual(self.visible(self.owner), both)
        self.assertEqual(self.visible(self.viewer), both)
        self.assertEqual(self.visible(self.collaborator), set())

    def test_collaborators_see_only_their_own_reports(self):
        own = self.make(self.hoa_phu_ctv, self.collaborator)

        peer = make_person("hoaphu.ctv2", self.hoa_phu_ctv, Role.COLLABORATOR)
        peers = self.make(self.hoa_phu_ctv, peer)

        self.assertEqual(self.visible(self.collaborator), {own.pk})
        self.assertNotIn(peers.pk, self.visible(self.collaborator))
        self.assertIn(peers.pk, self.visible(self.reviewer))

    def test_classified_submissions_need_the_clearance(self):
        secret = self.make(
            self.hoa_phu_ubnd, self.member, classification=Clearance.TOP_SECRET
        )

        self.assertNotIn(secret.pk, self.visible(self.owner))  # cleared for Mật only
        self.assertIn(secret.pk, self.visible(self.leader))  # cleared for Tối mật
        self.assertNotIn(secret.pk, self.visible(self.reviewer))
        self.assertIn(secret.pk, self.visible(self.member))  # the unit's own

    def test_a_sharing_rule_opens_peers_reports(self):
        other = self.make(self.tan_an_ubnd, self.outsider)
        self.assertNotIn(other.pk, self.visible(self.member))

        SharingRule.objects.create(
            name="UBND cấp xã xem báo cáo của nhau",
            target_level=Level.COMMUNE,
            target_kind=UnitKind.PEOPLES_COMMITTEE,
            source_level=Level.COMMUNE,
            source_kind=UnitKind.PEOPLES_COMMITTEE,
            same_commune_only=False,
        )

        self.assertIn(other.pk, self.visible(self.member))
        self.assertNotIn(other.pk, self.visible(self.reviewer))

    def test_a_reviewer_cannot_act_on_a_unit_it_does_not_review(self):
        SharingRule.objects.create(
            name="Ban Xây dựng Đảng xem toàn tỉnh",
            target_kind=UnitKind.PARTY_BUILDING,
            same_commune_only=False,
        )
        self.login(self.other_reviewer)
        task_state = self.submission.current_workflow_task_state
        url = reverse(
            "submissions:workflow_action",
            args=[self.submission.pk, "approve", task_state.pk],
        )

        response = self.client.post(url, {"comment": "ok"})

        self.assertRefused(response)
        self.submission.refresh_from_db()
        self.assertTrue(self.submission.workflow_in_progress)

    def test_nobody_approves_or_escalates_what_they_submitted(self):
        own = self.make(self.hoa_phu_xdd, self.reviewer)
        task = own.current_workflow_task

        self.assertEqual(task.get_actions(own, self.reviewer), [])
        self.login(self.reviewer)
        url = reverse(
            "submissions:workflow_action",
            args=[own.pk, "escalate", own.current_workflow_task_state.pk],
        )
        self.assertRefused(self.client.post(url, {"reason": "complex"}))

    def test_a_viewer_reads_but_cannot_change_anything(self):
        self.login(self.viewer)

        inspect = reverse("submissions:inspect", args=[self.submission.pk])
        self.assertEqual(self.client.get(inspect).status_code, 200)
        edit = reverse("submissions:edit", args=[self.submission.pk])
        self.client.post(edit, {"handling_status": "handled"})
        answers = reverse("submissions:edit_answers", args=[self.submission.pk])
        self.assertRefused(self.client.post(answers, {}))
        task_state = self.submission.current_workflow_task_state
        action = reverse(
            "submissions:workflow_action",
            args=[self.submission.pk, "approve", task_state.pk],
        )
        self.assertRefused(self.client.post(action))
        self.submission.refresh_from_db()
        self.assertEqual(self.submission.handling_status, "new")
        self.assertTrue(self.submission.workflow_in_progress)

    def test_the_unit_edits_only_until_review_starts(self):
        self.login(self.member)
        url = reverse("submissions:edit_answers", args=[self.submission.pk])
        self.assertEqual(self.client.get(url).status_code, 200)

        # A reviewer locks it to start reviewing.
        self.submission.locked = True
        self.submission.locked_by = self.reviewer
        self.submission.save(update_fields=["locked", "locked_by"])

        self.assertRefused(self.client.get(url))

    def test_anonymous_visitors_see_nothing(self):
        url = reverse("submissions:edit", args=[self.submission.pk])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(FormSubmission.objects.count(), 1)


class CancelWorkflowTestCase(SubmissionTestCase):
    """Wagtail offers "cancel workflow" to the sender and to any reviewer who
    may approve; for a report only the Board may take it off its review."""

    def cancel(self, user):
        self.login(user)
        edit = reverse("submissions:edit", args=[self.submission.pk])
        page = self.client.get(edit)
        self.client.post(
            edit, {"handling_status": "new", "action-cancel-workflow": "1"}
        )
        self.submission.refresh_from_db()
        return page

    def test_neither_the_reviewer_nor_the_unit_can_cancel_the_review(self):
        for user in (self.reviewer, self.member):
            with self.subTest(user=user.username):
                page = self.cancel(user)

                self.assertNotContains(page, 'name="action-cancel-workflow"')
                self.assertTrue(self.submission.workflow_in_progress)

    def test_the_board_can_take_a_report_off_its_review(self):
        # A sensitive report waits for the Board's own review.
        self.submission = self.make(
            self.hoa_phu_ubnd,
            self.member,
            answers={**REPORT_ANSWERS, "dlxh_sensitivity": "sensitive"},
        )
        page = self.cancel(self.owner)

        self.assertContains(page, 'name="action-cancel-workflow"')
        self.assertFalse(self.submission.workflow_in_progress)
