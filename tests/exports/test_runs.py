"""The export job in the test's process: ownership, re-checked rights, errors,
the sweep, expiry and retry."""

import datetime as dt
import os
from unittest import mock

from django.core.management import call_command
from django.db import OperationalError
from django.test import override_settings
from django.utils import timezone
from rq.timeouts import JobTimeoutException

from exports import runs as export_runs
from exports.housekeeping import sweep
from exports.models import ExportJob
from exports.runs import retry, run_export, start_export
from tests.base import BaseTestCase
from tests.forms_app.factories import make_report_template, make_submission
from workflows.models import Notification

from .helpers import PrivateFilesMixin, export, open_workbook

Status = ExportJob.Status


def export_dir():
    path = ExportJob._meta.get_field("file").storage.path("")
    os.makedirs(path, exist_ok=True)
    return path


class ExportJobTestCase(PrivateFilesMixin, BaseTestCase):
    def setUp(self):
        super().setUp()
        self.page = make_report_template()
        make_submission(self.page, unit=self.hoa_phu_ubnd, user=self.member)
        make_submission(self.page, unit=self.tan_an_ubnd, user=self.outsider)

    def queued_job(self, user=None):
        return start_export(user or self.owner, "submissions", {"page": [self.page.pk]})

    def test_enqueued_after_commit_with_the_id_only(self):
        with mock.patch("jobs.enqueue_now") as enqueue_now:
            with self.captureOnCommitCallbacks(execute=False) as callbacks:
                job = self.queued_job()
            enqueue_now.assert_not_called()
            for callback in callbacks:
                callback()
        enqueue_now.assert_called_once()
        args, kwargs = enqueue_now.call_args
        self.assertEqual(args, (run_export, job.pk))
        self.assertEqual(kwargs["queue"], "exports")
        self.assertEqual(kwargs["job_id"], ExportJob.objects.get().rq_job_id)
        self.assertEqual(kwargs["timeout"], export_runs.job_timeout())
        self.assertEqual(job.status, Status.QUEUED)
        self.assertEqual(job.params, {"page": [self.page.pk]})

    def test_a_finished_job_with_its_file_and_expiry(self):
        with self.captureOnCommitCallbacks(execute=True):
            job = export(self.owner, page=[self.page.pk])
        self.assertEqual(job.status, Status.DONE)
        self.assertEqual((job.progress, job.rows_done, job.row_count), (100, 2, 2))
        self.assertEqual(job.rows_total, 2)
        self.assertEqual(job.attempts, 1)
        self.assertTrue(job.file_name.endswith(".xlsx"))
        self.assertTrue(job.file.name.startswith(f"{job.pk}-"))
        expected = timezone.now() + dt.timedelta(days=7)
        self.assertAlmostEqual(job.expires_at, expected, delta=dt.timedelta(minutes=1))
        self.assertTrue(job.has_file)
        self.assertEqual(open_workbook(job).worksheets[0].max_row, 3)
        # Nothing but the published file is left in the directory.
        self.assertEqual(os.listdir(export_dir()), [job.file.name])
        note = Notification.objects.get(user=self.owner)
        self.assertIn("đã sẵn sàng", note.text)

    @override_settings(EXPORTS_EXPIRY_DAYS=2)
    def test_expiry_is_a_setting(self):
        job = export(self.owner, page=[self.page.pk])
        expected = timezone.now() + dt.timedelta(days=2)
        self.assertAlmostEqual(job.expires_at, expected, delta=dt.timedelta(minutes=1))

    def test_running_twice_leaves_a_done_job_alone(self):
        job = export(self.owner, page=[self.page.pk])
        run_export(job.pk)
        again = ExportJob.objects.get(pk=job.pk)
        self.assertEqual((again.attempts, again.file.name), (1, job.file.name))
        self.assertEqual(len(os.listdir(export_dir())), 1)

    def test_a_live_run_is_not_taken_over_but_a_dead_one_is(self):
        job = self.queued_job()
        ExportJob.objects.filter(pk=job.pk).update(
            status=Status.RUNNING, heartbeat_at=timezone.now(), attempts=1
        )
        run_export(job.pk)
        self.assertEqual(ExportJob.objects.get(pk=job.pk).status, Status.RUNNING)

        stale = timezone.now() - dt.timedelta(hours=1)
        ExportJob.objects.filter(pk=job.pk).update(heartbeat_at=stale)
        run_export(job.pk)
        job.refresh_from_db()
        self.assertEqual((job.status, job.attempts), (Status.DONE, 2))

    def test_the_requesters_rights_are_checked_again_when_it_runs(self):
        job = self.queued_job(self.reviewer)
        self.reviewer.memberships.update(is_active=False)
        self.reviewer.memberships.first().save()  # groups follow memberships
        run_export(job.pk)
        job.refresh_from_db()
        self.assertEqual(job.status, Status.FAILED)
        self.assertEqual(job.error, "Người yêu cầu không còn quyền xuất dữ liệu này.")
        self.assertFalse(job.file)

        job = self.queued_job()
        self.owner.is_active = False
        self.owner.save()
        run_export(job.pk)
        self.assertEqual(ExportJob.objects.get(pk=job.pk).status, Status.FAILED)

    def test_a_bug_fails_the_job_with_a_sentence_and_logs_the_traceback(self):
        job = self.queued_job()
        with (
            mock.patch(
                "exports.exporters.submissions.SubmissionsExporter.get_sheets",
                side_effect=ZeroDivisionError("boom"),
            ),
            self.assertLogs("exports.runs", "ERROR") as logs,
        ):
            run_export(job.pk)
        job.refresh_from_db()
        self.assertEqual(job.status, Status.FAILED)
        self.assertIn("Không xuất được tệp do lỗi hệ thống", job.error)
        self.assertNotIn("boom", job.error)
        self.assertIn("ZeroDivisionError: boom", "\n".join(logs.output))
        self.assertTrue(job.can_retry)
        self.assertEqual(os.listdir(export_dir()), [])

    def test_time_limit(self):
        job = self.queued_job()
        with mock.patch(
            "exports.runs.write_workbook", side_effect=JobTimeoutException("late")
        ):
            run_export(job.pk)
        job.refresh_from_db()
        self.assertEqual(job.status, Status.FAILED)
        self.assertIn("Quá thời gian cho phép (30 phút)", job.error)

    def test_a_database_error_puts_the_job_back_for_rqs_retry(self):
        job = self.queued_job()
        with mock.patch(
            "exports.exporters.submissions.SubmissionsExporter.count",
            side_effect=OperationalError("server closed the connection"),
        ):
            # Outside a worker: logged, left queued for the sweep.
            run_export(job.pk)
            self.assertEqual(ExportJob.objects.get(pk=job.pk).status, Status.QUEUED)
            # In a worker: raised, so RQ's Retry runs it again with backoff.
            with (
                mock.patch("jobs.current_job_id", return_value=job.rq_job_id),
                self.assertRaises(OperationalError),
            ):
                run_export(job.pk)
        job.refresh_from_db()
        self.assertEqual(job.status, Status.QUEUED)
        run_export(job.pk)
        self.assertEqual(ExportJob.objects.get(pk=job.pk).status, Status.DONE)

    def test_sweep_fails_a_job_whose_worker_died(self):
        job = self.queued_job()
        token = "0" * 32
        ExportJob.objects.filter(pk=job.pk).update(
            status=Status.RUNNING,
            run_token=token,
            heartbeat_at=timezone.now() - dt.timedelta(minutes=10),
            progress=40,
        )
        leftover = os.path.join(export_dir(), f".{job.pk}-{token}.part")
        os.makedirs(export_dir(), exist_ok=True)
        with open(leftover, "wb") as handle:
            handle.write(b"half a workbook")

        counts = sweep()

        job.refresh_from_db()
        self.assertEqual(counts["failed"], 1)
        self.assertEqual(job.status, Status.FAILED)
        self.assertIn("bị gián đoạn", job.error)
        self.assertTrue(job.can_retry)
        self.assertFalse(job.has_file)
        self.assertFalse(os.path.exists(leftover))

    def test_sweep_leaves_a_live_job_alone(self):
        job = self.queued_job()
        ExportJob.objects.filter(pk=job.pk).update(
            status=Status.RUNNING, heartbeat_at=timezone.now()
        )
        with mock.patch("jobs.job_status", return_value="started"):
            self.assertEqual(sweep()["failed"], 0)
        self.assertEqual(ExportJob.objects.get(pk=job.pk).status, Status.RUNNING)

    def test_sweep_enqueues_again_what_redis_lost(self):
        job = self.queued_job()
        old = timezone.now() - dt.timedelta(minutes=10)
        ExportJob.objects.filter(pk=job.pk).update(heartbeat_at=old)
        before = ExportJob.objects.get(pk=job.pk).rq_job_id
        with (
            mock.patch("jobs.job_status", return_value=None),
            mock.patch("jobs.enqueue_now") as enqueue_now,
            self.captureOnCommitCallbacks(execute=True),
        ):
            counts = sweep()
        self.assertEqual(counts["requeued"], 1)
        job.refresh_from_db()
        self.assertNotEqual(job.rq_job_id, before)
        self.assertEqual(enqueue_now.call_args.kwargs["job_id"], job.rq_job_id)

    # With Redis configured but down; without Redis (synchronous jobs) there is
    # no queue to wait for, and the sweep runs the job again.
    @override_settings(JOBS_RUN_SYNCHRONOUSLY=False)
    def test_sweep_leaves_queued_jobs_when_redis_cannot_tell(self):
        job = self.queued_job()
        old = timezone.now() - dt.timedelta(minutes=10)
        ExportJob.objects.filter(pk=job.pk).update(heartbeat_at=old)
        with mock.patch("jobs.job_status", return_value="unknown"):
            self.assertEqual(sweep()["requeued"], 0)

    def test_expired_files_are_deleted_by_the_sweep_and_the_command(self):
        first = export(self.owner, page=[self.page.pk])
        second = export(self.owner, page=[self.page.pk])
        past = timezone.now() - dt.timedelta(seconds=1)
        ExportJob.objects.filter(pk=first.pk).update(expires_at=past)
        self.assertEqual(sweep()["expired"], 1)
        first.refresh_from_db()
        self.assertFalse(first.file)
        self.assertFalse(first.has_file)
        self.assertTrue(first.can_retry)
        self.assertEqual(os.listdir(export_dir()), [second.file.name])

        ExportJob.objects.filter(pk=second.pk).update(expires_at=past)
        with mock.patch("sys.stdout"):
            call_command("cleanup_exports")
        self.assertEqual(os.listdir(export_dir()), [])

    def test_retry_queues_a_failed_job_again(self):
        job = self.queued_job()
        ExportJob.objects.filter(pk=job.pk).update(
            status=Status.FAILED, error="x", attempts=1
        )
        job.refresh_from_db()
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            self.assertTrue(retry(job))
        self.assertEqual(len(callbacks), 1)
        job.refresh_from_db()
        self.assertEqual((job.status, job.error, job.progress), (Status.QUEUED, "", 0))
        run_export(job.pk)
        job.refresh_from_db()
        self.assertEqual((job.status, job.attempts), (Status.DONE, 2))
        self.assertFalse(retry(job))
