"""Digest schedules: when they are due, one export per period however often the
tick runs, the Board system account, recipients told with a link, the admin."""

import datetime as dt
import importlib
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from rq import cron

import config.cron
from exports import schedules
from exports.models import DigestSchedule, ExportJob, ScheduleRun
from exports.runs import run_export
from forms_app import periods
from tests.base import BaseTestCase, CommittedTestCase, RegistryMixin, at_once
from tests.exports.helpers import PrivateFilesMixin
from tests.forms_app.factories import make_report_template, make_submission
from units.choices import Clearance, Role
from workflows.choices import NotificationKind
from workflows.models import Notification

WEEKLY, MONTHLY = DigestSchedule.Kind.WEEKLY, DigestSchedule.Kind.MONTHLY


def at(year, month, day, hour=7, minute=0, second=0):
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute, second))


# Monday 24 November 2025, just after the default digests' 07:00.
MONDAY = at(2025, 11, 24, 7, 0, 30)


def defaults():
    return (
        DigestSchedule.objects.get(kind=WEEKLY),
        DigestSchedule.objects.get(kind=MONTHLY),
    )


def backdate_schedules():
    DigestSchedule.objects.update(created_at=at(2025, 1, 1))


class ScheduleTimesTest(TestCase):
    def test_weekly(self):
        schedule = DigestSchedule(kind=WEEKLY, weekday=0, at_time=dt.time(7))
        wednesday = at(2025, 11, 26, 10)
        self.assertEqual(schedules.last_due_at(schedule, wednesday), at(2025, 11, 24))
        self.assertEqual(
            schedules.last_due_at(schedule, at(2025, 11, 24)), at(2025, 11, 24)
        )
        self.assertEqual(
            schedules.last_due_at(schedule, at(2025, 11, 24, 6, 59)), at(2025, 11, 17)
        )
        friday = DigestSchedule(kind=WEEKLY, weekday=4, at_time=dt.time(17))
        self.assertEqual(schedules.last_due_at(friday, wednesday), at(2025, 11, 21, 17))

    def test_monthly_on_a_day_some_months_lack(self):
        schedule = DigestSchedule(kind=MONTHLY, day_of_month=31, at_time=dt.time(7))
        self.assertEqual(
            schedules.last_due_at(schedule, at(2025, 3, 5)), at(2025, 2, 28)
        )
        self.assertEqual(
            schedules.last_due_at(schedule, at(2025, 3, 31, 8)), at(2025, 3, 31)
        )
        first = DigestSchedule(kind=MONTHLY, day_of_month=1, at_time=dt.time(7))
        self.assertEqual(
            schedules.last_due_at(first, at(2025, 1, 1, 6)), at(2024, 12, 1)
        )

    def test_the_period_summarised(self):
        weekly = DigestSchedule(kind=WEEKLY)
        self.assertEqual(schedules.digest_period(weekly, MONDAY).key, "2025-W47")
        weekly.target = DigestSchedule.Target.CURRENT
        self.assertEqual(schedules.digest_period(weekly, MONDAY).key, "2025-W48")
        monthly = DigestSchedule(kind=MONTHLY)
        self.assertEqual(
            schedules.digest_period(monthly, at(2025, 12, 1)).key, "2025-11"
        )

    def test_sections(self):
        schedule = DigestSchedule(include_detail=False)
        self.assertEqual(
            schedule.sections(), ["summary", "compliance", "charts", "surveys"]
        )
        schedule.include_summary = False
        self.assertEqual(schedule.sections(), ["compliance"])

    def test_defaults_seeded_by_migration(self):
        weekly, monthly = defaults()
        self.assertEqual(
            (weekly.weekday, weekly.at_time, weekly.target, weekly.is_active),
            (0, dt.time(7), "previous", True),
        )
        self.assertEqual((monthly.day_of_month, monthly.at_time), (1, dt.time(7)))
        self.assertEqual(
            weekly.sections(),
            ["summary", "compliance", "detail", "charts", "surveys"],
        )
        self.assertEqual(weekly.schedule_text(), "Thứ Hai hằng tuần, 07:00")
        self.assertEqual(monthly.schedule_text(), "Ngày 1 hằng tháng, 07:00")


class RunDueSchedulesTest(PrivateFilesMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        backdate_schedules()
        cls.weekly, cls.monthly = defaults()

    def keys(self, runs):
        return sorted((run.schedule.kind, run.period_key) for run in runs)

    def test_one_job_per_period_even_when_called_twice(self):
        runs = schedules.run_due_schedules(now=MONDAY)
        self.assertEqual(self.keys(runs), [(MONTHLY, "2025-10"), (WEEKLY, "2025-W47")])
        self.assertEqual(schedules.run_due_schedules(now=MONDAY), [])
        self.assertEqual(
            schedules.run_due_schedules(now=MONDAY + dt.timedelta(hours=5)), []
        )
        self.assertEqual(ExportJob.objects.count(), 2)
        job = ScheduleRun.objects.get(schedule=self.weekly).job
        self.assertEqual(job.kind, "digest")
        self.assertEqual(
            job.params,
            {
                "period": "2025-W47",
                "sections": ["summary", "compliance", "detail", "charts", "surveys"],
                "max_classification": 0,
            },
        )

    def test_the_clock_moving_on(self):
        # Before Monday's 07:00 the latest due run is last Monday's.
        early = schedules.run_due_schedules(now=at(2025, 11, 24, 6, 59))
        self.assertEqual(self.keys(early), [(MONTHLY, "2025-10"), (WEEKLY, "2025-W46")])
        self.assertEqual(
            self.keys(schedules.run_due_schedules(now=MONDAY)), [(WEEKLY, "2025-W47")]
        )
        next_week = schedules.run_due_schedules(now=at(2025, 12, 1, 7, 1))
        self.assertEqual(
            self.keys(next_week), [(MONTHLY, "2025-11"), (WEEKLY, "2025-W48")]
        )
        self.assertEqual(ScheduleRun.objects.count(), 5)
        self.assertEqual(ExportJob.objects.count(), 5)

    def test_never_for_a_time_before_the_schedule_existed(self):
        DigestSchedule.objects.update(created_at=at(2025, 11, 25))
        self.assertEqual(schedules.run_due_schedules(now=at(2025, 11, 26)), [])
        runs = schedules.run_due_schedules(now=at(2025, 12, 1, 7, 1))
        self.assertEqual(self.keys(runs), [(MONTHLY, "2025-11"), (WEEKLY, "2025-W48")])

    def test_inactive_schedules_do_not_run(self):
        DigestSchedule.objects.update(is_active=False)
        self.assertEqual(schedules.run_due_schedules(now=MONDAY), [])

    def test_a_second_claim_of_the_same_period_is_refused(self):
        requester = schedules.board_requester()
        period = schedules.digest_period(self.weekly, MONDAY)
        first = schedules._start(self.weekly, period, MONDAY, requester)
        second = schedules._start(self.weekly, period, MONDAY, requester)
        self.assertIsNotNone(first)
        self.assertIsNone(second)
        self.assertEqual(ExportJob.objects.count(), 1)

    def test_runs_as_the_board_system_account(self):
        runs = schedules.run_due_schedules(now=MONDAY)
        requester = runs[0].job.requested_by
        self.assertEqual(requester.username, schedules.SYSTEM_USERNAME)
        self.assertEqual(requester.get_full_name(), "Hệ thống tổng hợp tự động")
        self.assertFalse(requester.has_usable_password())
        membership = requester.memberships.get()
        self.assertEqual(
            (membership.unit, membership.role), (self.board, Role.BOARD_STAFF)
        )
        self.assertTrue(requester.has_perm("exports.add_exportjob"))
        self.assertEqual(requester.dlxh_profile.clearance, Clearance.TOP_SECRET)
        self.assertEqual({run.job.requested_by for run in runs}, {requester})

    def finished_weekly_run(self, now=MONDAY):
        runs = schedules.run_due_schedules(now=now)
        run = next(r for r in runs if r.schedule_id == self.weekly.pk)
        run_export(run.job.pk)
        run.job.refresh_from_db()
        self.assertEqual(run.job.status, ExportJob.Status.DONE, run.job.error)
        return run

    def told(self, user):
        return Notification.objects.filter(
            user=user, kind=NotificationKind.EXPORT_READY
        )

    @override_settings(JOBS_RUN_SYNCHRONOUSLY=True)
    def test_recipients_told_with_a_link_once(self):
        self.weekly.recipients.set([self.owner, self.viewer])
        run = self.finished_weekly_run()
        with self.captureOnCommitCallbacks(execute=True):
            schedules.run_due_schedules(now=MONDAY + dt.timedelta(minutes=1))
        link = reverse("exports:download", args=[run.job.pk])
        for user in (self.owner, self.viewer):
            notification = self.told(user).get()
            self.assertEqual(notification.url, link)
            self.assertIn("tuần 47/2025", notification.text)
        self.assertFalse(self.told(self.leader).exists())
        # The email carries the link, never the file.
        sent = [m for m in mail.outbox if m.to == [self.viewer.email]]
        self.assertEqual(len(sent), 1)
        self.assertIn(link, sent[0].body)
        self.assertEqual(sent[0].attachments, [])
        # A later tick tells no one again.
        schedules.run_due_schedules(now=MONDAY + dt.timedelta(minutes=2))
        self.assertEqual(self.told(self.viewer).count(), 1)
        run.refresh_from_db()
        self.assertIsNotNone(run.notified_at)

    def test_recipients_download_through_the_link(self):
        self.weekly.recipients.set([self.viewer])
        run = self.finished_weekly_run()
        schedules.run_due_schedules(now=MONDAY + dt.timedelta(minutes=1))
        link = self.told(self.viewer).get().url
        self.login(self.viewer)  # a leadership viewer: not Board, yet a recipient
        response = self.client.get(link)
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            f"tong-hop-dlxh_{run.period_key}.xlsx", response["Content-Disposition"]
        )
        self.login(self.outsider)
        self.assertEqual(self.client.get(link).status_code, 404)

    def test_no_recipients_means_the_board(self):
        self.finished_weekly_run()
        schedules.run_due_schedules(now=MONDAY + dt.timedelta(minutes=1))
        told = set(
            get_user_model()
            .objects.filter(
                dlxh_notifications__kind=NotificationKind.EXPORT_READY,
                dlxh_notifications__text__startswith="Bảng tổng hợp",
            )
            .values_list("username", flat=True)
        )
        self.assertEqual(told, {self.owner.username, self.leader.username})

    def test_recipients_not_cleared_for_the_file_are_not_told(self):
        page = make_report_template()
        make_submission(
            page,
            self.hoa_phu_ubnd,
            period="2025-W47",
            submitted_at=at(2025, 11, 19, 10),
            classification=Clearance.SECRET,
        )
        DigestSchedule.objects.filter(pk=self.weekly.pk).update(
            max_classification=Clearance.SECRET
        )
        self.weekly.recipients.set([self.owner, self.viewer])
        run = self.finished_weekly_run()
        self.assertEqual(run.job.classification, Clearance.SECRET)
        schedules.run_due_schedules(now=MONDAY + dt.timedelta(minutes=1))
        self.assertTrue(self.told(self.owner).exists())
        self.assertFalse(self.told(self.viewer).exists())

    def test_a_failed_digest_is_queued_again_then_given_up(self):
        runs = schedules.run_due_schedules(now=MONDAY)
        job = runs[0].job
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, attempts=1, error="x"
        )
        schedules.run_due_schedules(now=MONDAY + dt.timedelta(minutes=1))
        job.refresh_from_db()
        self.assertEqual(job.status, ExportJob.Status.QUEUED)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, attempts=schedules.MAX_ATTEMPTS
        )
        schedules.run_due_schedules(now=MONDAY + dt.timedelta(minutes=2))
        job.refresh_from_db()
        self.assertEqual(job.status, ExportJob.Status.FAILED)
        self.assertIsNotNone(ScheduleRun.objects.get(job=job).notified_at)
        self.assertFalse(Notification.objects.filter(text__startswith="Bảng").exists())


# Two ticks at once in two threads, as two schedulers on PostgreSQL would.
@pytest.mark.needs_postgres
class ConcurrentTicksTest(RegistryMixin, CommittedTestCase):
    def setUp(self):
        super().setUp()
        self.create_registry()
        backdate_schedules()

    def test_two_schedulers_ticking_at_once_make_one_export_per_period(self):
        # Nothing reaches Redis: the jobs would only be queued.
        with mock.patch("exports.runs.enqueue_export"):
            first, second = at_once(
                lambda: schedules.run_due_schedules(now=MONDAY),
                lambda: schedules.run_due_schedules(now=MONDAY),
            )
        self.assertEqual(len(first) + len(second), 2)
        self.assertEqual(ScheduleRun.objects.count(), 2)
        self.assertEqual(ExportJob.objects.count(), 2)


class ScheduleAdminTest(BaseTestCase):
    def test_board_staff_see_the_schedules(self):
        self.login(self.owner)
        response = self.client.get(reverse("digest_schedules:index"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Lịch tổng hợp")
        self.assertContains(response, "Tổng hợp thông tin DLXH tuần trước")
        self.assertContains(response, "Thứ Hai hằng tuần, 07:00")

    def test_the_same_digests_on_demand(self):
        self.login(self.owner)
        response = self.client.get(reverse("digest_schedules:index"))
        week = periods.previous_period("weekly", periods.period_for("weekly"))
        url = f"{reverse('exports:start', args=['digest'])}?period={week.key}"
        self.assertContains(response, url)
        self.assertContains(response, "Tổng hợp tháng trước")
        start = self.client.get(url)
        self.assertContains(start, "Tổng hợp thông tin dư luận xã hội tuần")
        with mock.patch("exports.runs.enqueue_export"):
            self.client.post(url, {"period": week.key})
        job = ExportJob.objects.get(requested_by=self.owner)
        self.assertEqual((job.kind, job.params["period"]), ("digest", week.key))
        year = timezone.localdate().year
        annual = self.client.get(
            f"{reverse('exports:start', args=['annual_report'])}?year={year}"
        )
        self.assertContains(annual, f"năm {year}")

    def test_others_do_not(self):
        for user in (self.member, self.viewer):
            self.login(user)
            response = self.client.get(reverse("digest_schedules:index"))
            self.assertIn(response.status_code, (302, 403), user)

    def form(self, **changes):
        data = {
            "name": "Tổng hợp tuần cho Thường trực",
            "kind": WEEKLY,
            "target": "previous",
            "weekday": "4",
            "day_of_month": "1",
            "at_time": "17:00",
            "include_summary": "on",
            "include_charts": "on",
            "max_classification": "0",
            "recipients": [str(self.viewer.pk)],
            "is_active": "on",
        }
        data.update(changes)
        return {k: v for k, v in data.items() if v is not None}

    def test_add_a_schedule(self):
        self.login(self.owner)
        form = self.client.get(reverse("digest_schedules:add"))
        self.assertContains(form, "Tổng hợp tháng")
        self.assertContains(form, "Chủ Nhật")
        response = self.client.post(reverse("digest_schedules:add"), self.form())
        self.assertEqual(response.status_code, 302)
        schedule = DigestSchedule.objects.get(name="Tổng hợp tuần cho Thường trực")
        self.assertEqual((schedule.weekday, schedule.at_time), (4, dt.time(17)))
        self.assertEqual(list(schedule.recipients.all()), [self.viewer])
        self.assertEqual(schedule.sections(), ["summary", "charts", "surveys"])

    def test_at_least_one_table(self):
        self.login(self.owner)
        response = self.client.post(
            reverse("digest_schedules:add"), self.form(include_summary=None)
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Hãy chọn ít nhất một trong")

    def test_recipients_must_be_cleared_for_the_ceiling(self):
        self.login(self.owner)
        response = self.client.post(
            reverse("digest_schedules:add"), self.form(max_classification="1")
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Chưa được tiếp cận tài liệu ở độ mật đã chọn")

    def test_recipients_are_board_and_leadership_only(self):
        self.login(self.owner)
        response = self.client.post(
            reverse("digest_schedules:add"),
            self.form(recipients=[str(self.member.pk)]),
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(
            DigestSchedule.objects.filter(name__contains="Thường").exists()
        )


class CronConfigTest(TestCase):
    def test_the_scheduler_queues_the_periodic_jobs(self):
        cron._job_data_registry.clear()
        importlib.reload(config.cron)
        registered = {
            f"{job['func'].__module__}.{job['func'].__name__}": job["interval"]
            for job in cron._job_data_registry
        }
        cron._job_data_registry.clear()
        self.assertEqual(
            registered,
            {
                "exports.schedules.run_due_schedules": 60,
                "exports.housekeeping.sweep": 60,
                "workflows.escalation.escalate_overdue_reviews": 300,
                "workflows.notifications.resend_pending_emails": 300,
                "workflows.reminders.send_reminders": 900,
                "workflows.routing.start_unrouted_reviews": 60,
                "forms_app.housekeeping.delete_abandoned_drafts": 86400,
            },
        )
