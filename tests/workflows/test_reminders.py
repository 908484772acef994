"""Reminders of the reporting calendar, run by a real RQ worker against Redis
with the clock moved: before a deadline, when it is missed, the daily summary;
each sent once however often the job runs."""

import uuid

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings
from rq import SimpleWorker

import jobs
from forms_app.models import ReportTemplatePage
from tests.base import CommittedTestCase, RegistryMixin
from tests.forms_app.factories import make_report_template, make_submission
from tests.forms_app.test_periods import clock, local
from tests.workflows.helpers import REPORT_FIELDS
from units.choices import Level, UnitKind
from workflows.choices import NotificationKind
from workflows.models import Notification
from workflows.reminders import send_reminders

QUEUE = f"reminders-test-{uuid.uuid4().hex[:8]}"

pytestmark = pytest.mark.needs_redis


@override_settings(
    REMINDERS_QUEUE=QUEUE,
    RQ_QUEUES={**settings.RQ_QUEUES, QUEUE: settings.RQ_QUEUES["default"]},
    JOBS_RUN_SYNCHRONOUSLY=False,
)
class ReminderWorkerTestCase(RegistryMixin, CommittedTestCase):
    def setUp(self):
        super().setUp()
        self.create_registry()
        self.queue = jobs.get_queue(QUEUE)
        self.queue.empty()
        self.addCleanup(self.queue.empty)
        self.weekly = make_report_template(
            title="Báo cáo tuần DLXH",
            fields=REPORT_FIELDS,
            audience_levels=[Level.COMMUNE],
            audience_kinds=[UnitKind.PEOPLES_COMMITTEE],
        )
        # Published on Monday of week 47: nothing was owed before.
        ReportTemplatePage.objects.filter(pk=self.weekly.pk).update(
            first_published_at=local(2025, 11, 17, 8)
        )
        self.weekly.refresh_from_db()

    def run_job_at(self, moment, times=2):
        """Enqueue the cron's job `times` times and let a worker run them, the
        platform's clock at `moment` (the worker runs in this process)."""
        for _n in range(times):
            self.queue.enqueue(send_reminders)
        with clock(moment):
            SimpleWorker([self.queue], connection=self.queue.connection).work(
                burst=True
            )

    def kinds(self, user):
        return sorted(
            Notification.objects.filter(user=user).values_list("kind", flat=True)
        )

    def test_a_reminder_before_the_deadline_is_sent_once(self):
        # Thursday 20 November 2025, 17:00: 23 hours before week 47's deadline.
        self.run_job_at(local(2025, 11, 20, 17))
        self.assertEqual(self.kinds(self.member), [NotificationKind.DEADLINE_SOON])
        self.assertEqual(self.kinds(self.outsider), [NotificationKind.DEADLINE_SOON])
        note = Notification.objects.get(user=self.member)
        self.assertIn("tuần 47/2025", note.text)
        self.assertIn("16:00 21/11/2025", note.text)
        self.assertEqual(note.unit, self.hoa_phu_ubnd)
        self.assertIn("ky=2025-W47", note.url)
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox),
            [self.member.email, self.outsider.email],
        )
        # Run again, later the same evening: nothing new.
        self.run_job_at(local(2025, 11, 20, 21))
        self.assertEqual(Notification.objects.count(), 2)
        self.assertEqual(len(mail.outbox), 2)

    def test_no_reminder_too_early_nor_to_those_who_sent(self):
        self.run_job_at(local(2025, 11, 19, 9))  # two days ahead: too early
        self.assertEqual(Notification.objects.count(), 0)
        make_submission(
            self.weekly,
            self.tan_an_ubnd,
            self.outsider,
            submitted_at=local(2025, 11, 20),
        )
        self.run_job_at(local(2025, 11, 20, 17))
        self.assertEqual(self.kinds(self.outsider), [])
        self.assertEqual(self.kinds(self.member), [NotificationKind.DEADLINE_SOON])

    def test_a_missed_deadline_and_the_daily_summary(self):
        # Saturday 22 November, 08:00: the deadline passed yesterday.
        self.run_job_at(local(2025, 11, 22, 8))
        self.assertEqual(self.kinds(self.member), [NotificationKind.DEADLINE_MISSED])
        summary = Notification.objects.filter(kind=NotificationKind.OVERDUE_SUMMARY)
        self.assertEqual(
            set(summary.values_list("user__username", flat=True)),
            {"canbo.ban", "lanhdao.ban", "hoaphu.xdd", "tanan.xdd"},
        )
        reviewer_note = summary.get(user=self.reviewer)
        self.assertIn("Xã Hòa Phú", reviewer_note.text)
        self.assertIn(self.hoa_phu_ubnd.name, reviewer_note.text)
        self.assertNotIn(self.tan_an_ubnd.name, reviewer_note.text)
        self.assertIn("toàn tỉnh", summary.get(user=self.owner).text)
        sent = len(mail.outbox)
        # The same day again: nothing new; the next morning, a new summary.
        self.run_job_at(local(2025, 11, 22, 18))
        self.assertEqual(len(mail.outbox), sent)
        self.run_job_at(local(2025, 11, 23, 8))
        self.assertEqual(summary.filter(user=self.owner).count(), 2)
        self.assertEqual(self.kinds(self.member), [NotificationKind.DEADLINE_MISSED])

    def test_no_summary_before_07_30(self):
        self.run_job_at(local(2025, 11, 22, 7, 0), times=1)
        self.assertFalse(
            Notification.objects.filter(kind=NotificationKind.OVERDUE_SUMMARY).exists()
        )

    def test_the_unit_sees_what_it_was_reminded_of(self):
        self.run_job_at(local(2025, 11, 20, 17), times=1)
        self.client.force_login(self.member)
        with clock(local(2025, 11, 20, 18)):
            response = self.client.get("/viec-cua-don-vi/")
        self.assertContains(response, "Nhắc nhở đã nhận")
        self.assertContains(response, "Sắp đến hạn nộp")
