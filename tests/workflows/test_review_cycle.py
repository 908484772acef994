"""The regulation's mechanism end to end (Art. 6.1, 6.3, 7.4): the commune
handles first, escalates what is beyond it, the Board directs back."""

from auditlog.models import LogEntry
from django.core import mail
from django.test import Client
from django.urls import reverse

from forms_app.models.review import ReviewStatus
from forms_app.vocabularies import PeriodType
from tests.base import BaseTestCase
from tests.forms_app.factories import make_report_template
from tests.workflows.helpers import REPORT_FIELDS, ReviewClientMixin
from workflows.choices import NotificationKind
from workflows.models import Notification


class ReviewCycleTestCase(ReviewClientMixin, BaseTestCase):
    def setUp(self):
        super().setUp()
        self.page = make_report_template(fields=REPORT_FIELDS)
        self.unit_client = Client()
        self.unit_client.force_login(self.member)
        self.reviewer_client = Client()
        self.reviewer_client.force_login(self.reviewer)
        self.board_client = Client()
        self.board_client.force_login(self.owner)

    def test_it_walks_return_resubmit_escalate_and_direction(self):
        # The unit submits; its commune reviewer is told.
        submission = self.submit(self.unit_client, self.page)
        self.assertEqual(submission.review_status, ReviewStatus.PENDING)
        self.assertEqual(submission.current_workflow_task.name, "Thẩm định cấp cơ sở")
        self.assertTrue(
            Notification.objects.filter(
                user=self.reviewer, kind=NotificationKind.AWAITING_REVIEW
            ).exists()
        )

        # The reviewer returns it with a comment.
        response = self.act(
            self.reviewer_client,
            submission,
            "reject",
            comment="Bổ sung số hộ bị ảnh hưởng.",
        )
        self.assertEqual(response.status_code, 302)
        submission.refresh_from_db()
        self.assertEqual(submission.review_status, ReviewStatus.RETURNED)
        self.assertTrue(
            Notification.objects.filter(
                user=self.member, kind=NotificationKind.RETURNED
            ).exists()
        )

        # The unit corrects and resubmits; both versions stay in the history.
        edit_url = reverse("submissions:edit_answers", args=[submission.pk])
        response = self.unit_client.get(edit_url)
        self.assertContains(response, "Người dân phản ánh về giá bồi thường đất.")
        response = self.unit_client.post(
            edit_url,
            {
                "buoc0-dlxh_summary": "Có 12 hộ phản ánh về giá bồi thường đất.",
                "buoc0-dlxh_impact": "high",
                "buoc0-dlxh_trend": "rising",
                "buoc0-dlxh_sensitivity": "complex",
                "buoc0-dlxh_recommendations": "Tổ chức đối thoại.",
            },
        )
        self.assertEqual(response.status_code, 302)
        submission.refresh_from_db()
        self.assertEqual(submission.review_status, ReviewStatus.PENDING)
        self.assertEqual(
            submission.answers["dlxh_summary"],
            "Có 12 hộ phản ánh về giá bồi thường đất.",
        )
        summaries = [
            r.content["answers"]["dlxh_summary"]
            for r in submission.revisions.order_by("created_at")
        ]
        self.assertEqual(
            summaries,
            [
                "Người dân phản ánh về giá bồi thường đất.",
                "Có 12 hộ phản ánh về giá bồi thường đất.",
            ],
        )

        # The reviewer escalates it as beyond the commune's authority, verified.
        response = self.act(
            self.reviewer_client,
            submission,
            "escalate",
            reason="beyond_authority",
            comment="Liên quan quy hoạch của tỉnh.",
            verification="verified",
            verification_note="Đã xác minh tại thôn 3.",
        )
        self.assertEqual(response.status_code, 302)
        submission.refresh_from_db()
        self.assertTrue(submission.escalated)
        self.assertEqual(submission.escalation_reason, "beyond_authority")
        self.assertEqual(submission.verification, "verified")
        self.assertEqual(submission.verified_by, self.reviewer)
        self.assertEqual(submission.current_workflow_task.name, "Ban xem xét, chỉ đạo")

        # The Board records a direction.
        response = self.act(
            self.board_client,
            submission,
            "direct",
            direction="Giao UBND xã tổ chức đối thoại trước ngày 30/11.",
            comment="",
        )
        self.assertEqual(response.status_code, 302)
        submission.refresh_from_db()
        self.assertEqual(submission.review_status, ReviewStatus.DIRECTED)
        self.assertTrue(submission.live)
        self.assertFalse(submission.workflow_in_progress)

        # The unit and its reviewer see the direction.
        for client in (self.unit_client, self.reviewer_client):
            response = self.screen(client, submission)
            self.assertContains(
                response, "Giao UBND xã tổ chức đối thoại trước ngày 30/11."
            )
        self.assertTrue(
            Notification.objects.filter(
                user=self.member, kind=NotificationKind.DIRECTION
            ).exists()
        )

    def test_a_reviewer_resolves_an_ordinary_report_locally(self):
        submission = self.submit(self.unit_client, self.page, dlxh_sensitivity="normal")

        self.act(self.reviewer_client, submission, "approve", comment="Đã nắm.")

        submission.refresh_from_db()
        self.assertEqual(submission.review_status, ReviewStatus.RESOLVED)
        self.assertTrue(submission.live)
        self.assertFalse(submission.escalated)

    def test_a_quick_report_goes_straight_to_the_board(self):
        quick = make_report_template(
            fields=REPORT_FIELDS,
            title="Báo cáo nhanh",
            slug="bao-cao-nhanh",
            period_type=PeriodType.QUICK,
        )

        submission = self.submit(self.unit_client, quick, dlxh_sensitivity="normal")

        self.assertTrue(submission.escalated)
        self.assertEqual(submission.escalation_reason, "quick_report")
        self.assertEqual(submission.current_workflow_task.name, "Ban xem xét, chỉ đạo")
        self.assertTrue(
            Notification.objects.filter(
                user=self.owner, kind=NotificationKind.ESCALATED
            ).exists()
        )

    def test_a_sensitive_answer_goes_straight_to_the_board(self):
        submission = self.submit(
            self.unit_client, self.page, dlxh_sensitivity="sensitive"
        )

        self.assertTrue(submission.escalated)
        self.assertEqual(submission.escalation_reason, "sensitive")
        self.assertEqual(submission.review_status, ReviewStatus.ESCALATED)
        self.assertEqual(submission.current_workflow_task.name, "Ban xem xét, chỉ đạo")

    def test_notifications_carry_a_link_never_the_answers(self):
        self.submit(self.unit_client, self.page, dlxh_sensitivity="sensitive")
        self.board_client.get("/")  # on_commit callbacks ran with the request

        for message in mail.outbox:
            self.assertNotIn("giá bồi thường", message.body)
            self.assertNotIn("giá bồi thường", message.subject)
        for notification in Notification.objects.all():
            self.assertNotIn("giá bồi thường", notification.text)
            self.assertTrue(notification.url.startswith("/admin/submissions/"))


class SubmissionAuditTestCase(ReviewClientMixin, BaseTestCase):
    def test_every_change_and_transition_is_in_the_audit_log(self):
        page = make_report_template(fields=REPORT_FIELDS)
        unit_client = Client()
        unit_client.force_login(self.member)
        reviewer_client = Client()
        reviewer_client.force_login(self.reviewer)
        submission = self.submit(unit_client, page, dlxh_sensitivity="normal")

        self.act(
            reviewer_client,
            submission,
            "escalate",
            reason="complex",
            comment="Cần Ban cho ý kiến.",
            verification="partly",
        )

        entries = LogEntry.objects.get_for_object(submission).order_by("timestamp")
        events = [e.additional_data.get("event") for e in entries if e.additional_data]
        self.assertIn("verified", events)
        self.assertIn("unit_review.escalate", events)
        self.assertIn("escalated", events)
        created = entries.filter(action=LogEntry.Action.CREATE).get()
        self.assertEqual(created.actor, self.member)
        escalation = entries.get(additional_data__event="escalated")
        self.assertEqual(escalation.actor, self.reviewer)
        self.assertEqual(escalation.changes_dict["escalated"], ["False", "True"])
        screen = self.screen(reviewer_client, submission)
        self.assertContains(screen, "Thẩm định: báo cáo lên Ban: Cần Ban cho ý kiến.")
