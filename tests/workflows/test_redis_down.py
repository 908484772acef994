"""Submitting works, and is confirmed, while Redis is down; what could not be
enqueued is picked up once it is back."""

from django.core import mail
from django.test import Client, override_settings

from forms_app.models import FormSubmission
from tests.base import BaseTestCase
from tests.forms_app.factories import make_report_template
from tests.workflows.helpers import REPORT_FIELDS, ReviewClientMixin
from workflows.models import Notification
from workflows.notifications import resend_pending_emails

# Nothing listens on port 1: every Redis call is refused, as in an outage.
REDIS_DOWN = {
    name: {"URL": "redis://127.0.0.1:1/0", "DEFAULT_TIMEOUT": 60}
    for name in ("default", "exports")
}


class RedisDownTestCase(ReviewClientMixin, BaseTestCase):
    def setUp(self):
        super().setUp()
        self.page = make_report_template(fields=REPORT_FIELDS)
        self.client = Client()
        self.client.force_login(self.member)

    def test_a_submission_is_stored_and_confirmed_and_mailed_later(self):
        with override_settings(JOBS_RUN_SYNCHRONOUSLY=False, RQ_QUEUES=REDIS_DOWN):
            with self.captureOnCommitCallbacks(execute=True):
                submission = self.submit(self.client, self.page)

        self.assertEqual(FormSubmission.objects.count(), 1)
        self.assertTrue(submission.workflow_in_progress)
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
