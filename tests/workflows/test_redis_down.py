"""Submitting works, and is confirmed, while Redis is down; what could not be
enqueued is picked up once it is back."""

import datetime as dt

from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from forms_app.models import FormSubmission
from forms_app.models.review import ReviewStatus
from tests.base import BaseTestCase
from tests.forms_app.factories import make_report_template, make_submission
from tests.workflows.helpers import REPORT_ANSWERS, REPORT_FIELDS, ReviewClientMixin
from workflows.choices import NotificationKind
from workflows.models import Notification
from workflows.notifications import resend_pending_emails
from workflows.routing import start_unrouted_reviews

# Nothing listens on port 1: every Redis call is refused, as in an outage.
REDIS_DOWN = {
    name: {"URL": "redis://127.0.0.1:1/0", "DEFAULT_TIMEOUT": 60}
    for name in ("default", "exports")
}


def redis_down():
    return override_settings(JOBS_RUN_SYNCHRONOUSLY=False, RQ_QUEUES=REDIS_DOWN)


class RedisDownTestCase(ReviewClientMixin, BaseTestCase):
    def setUp(self):
        super().setUp()
        self.page = make_report_template(fields=REPORT_FIELDS)
        self.client = Client()
        self.client.force_login(self.member)

    def test_a_submission_is_stored_and_confirmed_and_routed_once_redis_is_back(self):
        with redis_down(), self.captureOnCommitCallbacks(execute=True):
            submission = self.submit(self.client, self.page, routed=False)

        # Stored and confirmed (submit() checked the redirect to the receipt),
        # but its routing job could not be enqueued.
        self.assertEqual(FormSubmission.objects.count(), 1)
        self.assertEqual(submission.review_status, ReviewStatus.DRAFT)
        self.assertFalse(submission.workflow_in_progress)
        self.assertFalse(Notification.objects.exists())

        # Redis is back; the scheduler's sweep routes it a minute later.
        self.assertEqual(start_unrouted_reviews(), 0)  # not yet a minute
        FormSubmission.objects.filter(pk=submission.pk).update(
            submitted_at=timezone.now() - dt.timedelta(minutes=2)
        )
        self.assertEqual(start_unrouted_reviews(), 1)
        self.assertEqual(start_unrouted_reviews(), 0)

        submission.refresh_from_db()
        self.assertTrue(submission.workflow_in_progress)
        self.assertEqual(submission.review_status, ReviewStatus.PENDING)
        self.assertTrue(
            Notification.objects.filter(
                user=self.reviewer, kind=NotificationKind.AWAITING_REVIEW
            ).exists()
        )

    def test_a_notification_not_mailed_while_redis_was_down_is_mailed_later(self):
        submission = make_submission(
            self.page,
            unit=self.hoa_phu_ubnd,
            user=self.member,
            answers={**REPORT_ANSWERS, "dlxh_sensitivity": "normal"},
        )
        with redis_down(), self.captureOnCommitCallbacks(execute=True):
            submission.start_review(self.member)

        waiting = Notification.objects.get(user=self.reviewer)
        self.assertIsNone(waiting.emailed_at)
        self.assertFalse([m for m in mail.outbox if self.reviewer.email in m.to])

        # Redis is back: the periodic resend mails it, once.
        resend_pending_emails(older_than_seconds=0)
        resend_pending_emails(older_than_seconds=0)

        waiting.refresh_from_db()
        self.assertIsNotNone(waiting.emailed_at)
        to_reviewer = [m for m in mail.outbox if self.reviewer.email in m.to]
        self.assertEqual(len(to_reviewer), 1)
