"""Past one machine: two web processes and an export worker, each with a local
directory of its own, sharing PostgreSQL, Redis and a bucket on an S3-compatible
server (moto's, on 127.0.0.1). A report's attachment uploaded through one web
process is opened through the other; an export the worker builds is downloaded
through the first; once expired, the sweep takes it out of the bucket. Nothing
is left on any machine's own disk.
"""

import datetime as dt
import io
import shutil
import tempfile
import time
import uuid
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

import jobs
from exports.models import ExportJob
from forms_app.models import FormSubmission
from security.models import AccessEvent
from security.two_factor import requires_two_factor
from tests.base import PASSWORD, CommittedTestCase, RegistryMixin
from tests.exports.helpers import records
from tests.forms_app.factories import VALID_POST, make_report_template, step_post
from tests.s3 import (
    endpoint_of,
    files_on_disk,
    keys_in,
    new_bucket,
    s3_client,
    s3_environment,
    start_s3_server,
)
from tests.two_factor import confirmed_device, totp_code

from .nodes import node_environment, start_web, start_worker, wait_until_serving

QUEUE = f"exports-multinode-{uuid.uuid4().hex[:8]}"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n" * 50
WAIT = 90  # seconds


@pytest.mark.multinode
@pytest.mark.needs_postgres
@pytest.mark.needs_redis
@override_settings(
    RQ_QUEUES={**settings.RQ_QUEUES, QUEUE: settings.RQ_QUEUES["exports"]}
)
class TwoMachinesTestCase(RegistryMixin, CommittedTestCase):
    def setUp(self):
        super().setUp()
        self.create_registry()
        self.page = make_report_template()

        server = start_s3_server()
        self.addCleanup(server.stop)
        self.s3 = s3_client(endpoint_of(server))
        self.bucket = new_bucket(self.s3)
        storage_env = s3_environment(endpoint_of(server), self.bucket)

        self.queue = jobs.get_queue(QUEUE)
        self.addCleanup(self.queue.empty)
        root = Path(tempfile.mkdtemp(prefix="dlxh-multinode-"))
        self.addCleanup(shutil.rmtree, root, ignore_errors=True)
        self.nodes = []
        for name in ("web-a", "web-b", "worker"):
            directory = root / name
            env = node_environment(directory, QUEUE, storage_env)
            if name == "worker":
                node = start_worker(name, directory, env, QUEUE)
            else:
                node = start_web(name, directory, env)
            self.addCleanup(node.stop)
            self.nodes.append(node)
        web_a, web_b, _worker = self.nodes
        self.a = wait_until_serving(web_a)
        self.b = wait_until_serving(web_b)

    def logs(self):
        return "\n".join(f"--- {n.name}\n{n.log_tail()}" for n in self.nodes)

    # HTTP, as a browser would

    def log_in(self, base, user):
        device = confirmed_device(user) if requires_two_factor(user) else None
        session = requests.Session()
        session.get(f"{base}/admin/login/", timeout=30)
        response = session.post(
            f"{base}/admin/login/",
            data={
                "username": user.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": session.cookies["csrftoken"],
            },
            allow_redirects=False,
            timeout=30,
        )
        self.assertEqual(response.status_code, 302, response.text[:2000])
        if requires_two_factor(user):
            # The second step: the code of the person's authenticator app.
            response = session.post(
                f"{base}/admin/hai-buoc/",
                data={
                    "otp_token": totp_code(device),
                    "csrfmiddlewaretoken": session.cookies["csrftoken"],
                },
                allow_redirects=False,
                timeout=30,
            )
            self.assertEqual(response.status_code, 302, response.text[:2000])
        return session

    def post(self, session, url, data, files=None):
        data = {**data, "csrfmiddlewaretoken": session.cookies["csrftoken"]}
        return session.post(
            url, data=data, files=files, allow_redirects=False, timeout=60
        )

    def wait_for(self, condition, what):
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(0.2)
        self.fail(f"{what}: still waiting after {WAIT} s\n{self.logs()}")

    def bucket_keys(self, prefix=""):
        return keys_in(self.s3, self.bucket, prefix)

    # The test

    def test_a_report_is_sent_reviewed_exported_and_swept_across_machines(self):
        try:
            self.check_across_machines()
        except AssertionError as error:
            error.add_note(self.logs())
            raise

    def check_across_machines(self):
        # A commune unit sends its report through web A, attachment included.
        unit = self.log_in(self.a, self.member)
        form = f"{self.a}{self.page.url}"
        self.assertEqual(self.post(unit, form, step_post("1")).status_code, 200)
        attachment = ("biên bản họp dân.pdf", PDF, "application/pdf")
        response = self.post(
            unit, form, step_post("2", VALID_POST["2"]), {"2-tai_lieu": attachment}
        )
        self.assertEqual(response.status_code, 200)
        # Waiting in the bucket, so the next step may go to any machine.
        self.assertEqual(len(self.bucket_keys("drafts/")), 1)
        response = self.post(unit, form, step_post("3"))
        self.assertEqual(response.status_code, 302, response.text[:2000])
        submission = FormSubmission.objects.get(page=self.page)
        stored = submission.answers["tai_lieu"]
        self.assertEqual(stored["name"], "biên bản họp dân.pdf")
        # The draft's copy is gone; the report's own is in the bucket.
        self.assertEqual(self.bucket_keys(), [stored["path"]])
        self.forget_routing_job(submission)

        # A reviewer of the commune opens it through web B.
        reviewer = self.log_in(self.b, self.reviewer)
        url = reverse("exports:attachment", args=[submission.pk, "tai_lieu"])
        response = reviewer.get(f"{self.b}{url}", timeout=60)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, PDF)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        # The outsider, through either machine, gets nothing.
        outsider = self.log_in(self.b, self.outsider)
        for base in (self.a, self.b):
            response = outsider.get(f"{base}{url}", timeout=60)
            self.assertEqual(response.status_code, 404)

        # Board staff ask for an export through web B; the worker builds it.
        board = self.log_in(self.b, self.owner)
        start = f"{self.b}{reverse('exports:start', args=['submissions'])}"
        response = self.post(board, start, {"page": self.page.pk})
        self.assertEqual(response.status_code, 302, response.text[:2000])
        job = ExportJob.objects.get()
        self.wait_for(
            lambda: ExportJob.objects.get(pk=job.pk).is_finished, "the export"
        )
        job.refresh_from_db()
        self.assertEqual(job.status, ExportJob.Status.DONE, job.error)
        self.assertIn(f"exports/{job.file.name}", self.bucket_keys())

        # ... and download it through web A (the session holds on both).
        download = f"{self.a}{reverse('exports:download', args=[job.pk])}"
        response = board.get(download, timeout=60)
        self.assertEqual(response.status_code, 200)
        rows = records(load_workbook(io.BytesIO(response.content)).worksheets[0])
        self.assertEqual([row["Đơn vị"] for row in rows], [str(self.hoa_phu_ubnd)])

        # Expired, it leaves the bucket at the next sweep (the scheduler's job,
        # run by a worker) and no machine offers it any more.
        ExportJob.objects.filter(pk=job.pk).update(
            expires_at=timezone.now() - dt.timedelta(seconds=1)
        )
        sweep = self.queue.enqueue("exports.housekeeping.sweep")
        self.wait_for(
            lambda: sweep.get_status(refresh=True) in ("finished", "failed"),
            "the sweep",
        )
        self.assertEqual(sweep.return_value()["expired"], 1)
        self.assertEqual(self.bucket_keys("exports/"), [])
        for base in (self.a, self.b):
            response = board.get(
                f"{base}{reverse('exports:download', args=[job.pk])}", timeout=60
            )
            self.assertEqual(response.status_code, 404)

        # Each download went through a machine's permission-checked view, so
        # each is in the access audit, whichever machine served it.
        downloads = AccessEvent.objects.filter(
            kind__in=[AccessEvent.Kind.DOWNLOAD, AccessEvent.Kind.ATTACHMENT]
        )
        self.assertEqual(
            sorted((e.user.username, e.object_id) for e in downloads),
            sorted(
                [
                    (self.reviewer.username, str(submission.pk)),
                    (self.owner.username, str(job.pk)),
                ]
            ),
        )

        # Every file was in the bucket: no machine kept one on its own disk.
        for node in self.nodes:
            self.assertEqual(files_on_disk(node.directory), [], node.name)

    def forget_routing_job(self, submission):
        """The review starts in a job on the shared "default" queue, which
        these machines have no worker for (the test needs none: the access
        policy, not the review state, lets the reviewer in); it is removed so
        that no other test process's worker runs it against its own database."""
        queue = jobs.get_queue("default")
        for job in queue.get_jobs():
            if job.func_name.endswith("route_submission") and job.args[:1] == (
                submission.pk,
            ):
                job.delete()
