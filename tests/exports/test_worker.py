"""Exports through real RQ workers against Redis: one in this process, and one
in a subprocess that is killed mid-export."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import override_settings
from rq import SimpleWorker

import jobs
from exports.housekeeping import sweep
from exports.models import ExportJob
from exports.runs import retry, start_export
from tests.base import CommittedTestCase, RegistryMixin
from tests.forms_app.factories import make_report_template, make_submission

from .helpers import PrivateFilesMixin, open_workbook, records

Status = ExportJob.Status
ROOT = Path(__file__).resolve().parents[2]
QUEUE = f"exports-test-{uuid.uuid4().hex[:8]}"


def descendants(pid):
    """Every process below `pid`, from /proc."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                stat = handle.read()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


pytestmark = pytest.mark.needs_redis


@override_settings(
    EXPORTS_QUEUE=QUEUE,
    RQ_QUEUES={**settings.RQ_QUEUES, QUEUE: settings.RQ_QUEUES["exports"]},
)
class RealWorkerTestCase(PrivateFilesMixin, RegistryMixin, CommittedTestCase):
    def setUp(self):
        super().setUp()
        self.create_registry()
        self.queue = jobs.get_queue(QUEUE)
        self.queue.empty()
        self.addCleanup(self.queue.empty)
        self.page = make_report_template(one_per_unit_per_period=False)
        for n in range(40):
            make_submission(
                self.page,
                unit=self.hoa_phu_ubnd if n % 2 else self.tan_an_ubnd,
                answers={"ho_ten": f"Người báo cáo {n}", "so_nguoi": n},
            )

    def work(self):
        worker = SimpleWorker([self.queue], connection=self.queue.connection)
        worker.work(burst=True)

    def test_enqueued_on_commit_and_run_by_a_worker(self):
        job = start_export(self.owner, "submissions", {"page": [self.page.pk]})
        self.assertEqual(self.queue.count, 1)
        self.assertEqual(self.queue.job_ids, [job.rq_job_id])
        self.assertEqual(self.queue.fetch_job(job.rq_job_id).args, (job.pk,))

        self.work()

        job.refresh_from_db()
        self.assertEqual(job.status, Status.DONE)
        self.assertEqual((job.progress, job.row_count), (100, 40))
        self.assertEqual(jobs.job_status(job.rq_job_id, QUEUE), "finished")
        rows = records(open_workbook(job).worksheets[0])
        self.assertEqual(len(rows), 40)
        self.assertEqual(rows[0]["Số người tham gia"], 0)

    def test_a_database_error_is_retried_by_rq_with_backoff(self):
        job = start_export(self.owner, "submissions", {"page": [self.page.pk]})
        with mock.patch(
            "exports.exporters.submissions.SubmissionsExporter.count",
            side_effect=OperationalError("the database system is starting up"),
        ):
            self.work()
        job.refresh_from_db()
        self.assertEqual(job.status, Status.QUEUED)
        rq_job = self.queue.fetch_job(job.rq_job_id)
        self.assertEqual(rq_job.get_status(), "scheduled")
        self.assertEqual(rq_job.retries_left, len(jobs.DEFAULT_RETRY_INTERVALS) - 1)
        # The sweep leaves it to RQ while RQ still holds it.
        self.assertEqual(sweep()["requeued"], 0)

    def start_worker_process(self):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.exports.worker_settings",
            "DLXH_TEST_DATABASE_NAME": connection.settings_dict["NAME"],
            "DLXH_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "DLXH_TEST_EXPORTS_QUEUE": QUEUE,
        }
        process = subprocess.Popen(
            [sys.executable, "manage.py", "rqworker", QUEUE, "--burst"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self.addCleanup(self.stop, process)
        return process

    @staticmethod
    def kill(process):
        """SIGKILL the worker and its work horse, as when a machine dies (RQ's
        horse runs in a session of its own, so the process group is not
        enough)."""
        for pid in [*descendants(process.pid), process.pid]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        process.wait(timeout=30)

    def stop(self, process):
        if process.poll() is None:
            self.kill(process)
        process.stdout.close()

    def wait_for(self, job, condition, timeout=60):
        deadline = time.monotonic() + timeout
        seen = []
        while time.monotonic() < deadline:
            job.refresh_from_db()
            seen.append(job.progress)
            if condition(job):
                return seen
            time.sleep(0.2)
        self.fail(f"export {job.pk} stuck: {job.status} {job.progress}% {job.error}")

    # The worker is another process: it cannot see an in-memory SQLite database.
    @pytest.mark.needs_postgres
    @override_settings(EXPORTS_TEST_HOOKS=True, EXPORTS_HEARTBEAT_TIMEOUT=2)
    def test_a_killed_worker_leaves_a_failed_retryable_export_with_no_file(self):
        job = start_export(
            self.owner,
            "submissions",
            {"page": [self.page.pk], "_test_delay": 0.25},
        )
        process = self.start_worker_process()
        progress = self.wait_for(
            job, lambda j: j.status == Status.RUNNING and j.rows_done >= 10
        )
        self.assertTrue(0 < job.progress < 100, progress)

        self.kill(process)
        time.sleep(2.5)  # the heartbeat goes stale
        counts = sweep()

        job.refresh_from_db()
        self.assertEqual(counts["failed"], 1)
        self.assertEqual(job.status, Status.FAILED)
        self.assertIn("bị gián đoạn", job.error)
        self.assertTrue(job.can_retry)
        self.assertFalse(job.has_file)
        self.assertFalse(job.file)
        leftovers = [
            name
            for name in os.listdir(job.file.storage.path(""))
            if name.startswith(f".{job.pk}-")
        ]
        self.assertEqual(leftovers, [])

        # Retry, through a new worker process that runs it to the end.
        with override_settings(EXPORTS_TEST_HOOKS=False):
            self.assertTrue(retry(job))
        job.refresh_from_db()
        job.params = {"page": [self.page.pk], "_test_delay": 0.05}
        job.save(update_fields=["params"])
        self.start_worker_process()
        progress = self.wait_for(job, lambda j: j.is_finished)
        self.assertEqual(job.status, Status.DONE, job.error)
        self.assertEqual(job.attempts, 2)
        self.assertEqual(progress, sorted(progress))  # never goes backwards
        self.assertEqual(len(records(open_workbook(job).worksheets[0])), 40)
