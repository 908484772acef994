"""Export files and attachments on both storages: this machine's disk and a
bucket. Published whole, downloaded only through the permission-checked views,
deleted when they expire, and leftovers swept; the same on both."""

import datetime as dt
import os
import shutil
import tempfile
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from exports import runs as export_runs
from exports.housekeeping import cleanup_expired, sweep
from exports.models import ExportJob, temporary_dir
from exports.runs import run_export, start_export
from forms_app.s3 import PrivateS3Storage
from security.models import AccessEvent
from tests.base import BaseTestCase
from tests.forms_app.factories import (
    VALID_ANSWERS,
    make_report_template,
    make_submission,
)
from tests.s3 import BucketMixin, files_on_disk

from .helpers import PrivateFilesMixin, export, records

Status = ExportJob.Status
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def exports_storage():
    return ExportJob._meta.get_field("file").storage


def stored_exports():
    try:
        return sorted(exports_storage().listdir("")[1])
    except FileNotFoundError:  # a local folder nothing was written to yet
        return []


class ExportFilesTests(PrivateFilesMixin, BaseTestCase):
    """On this machine's disk (the embedded default)."""

    def setUp(self):
        super().setUp()
        self.page = make_report_template(one_per_unit_per_period=False)
        make_submission(self.page, unit=self.hoa_phu_ubnd, user=self.member)
        make_submission(self.page, unit=self.tan_an_ubnd, user=self.outsider)
        # This machine's temporary directory, for runs writing before an upload.
        machine = tempfile.mkdtemp(prefix="dlxh-machine-tmp-")
        self.addCleanup(shutil.rmtree, machine, ignore_errors=True)
        temporary = override_settings(FILE_UPLOAD_TEMP_DIR=machine)
        temporary.enable()
        self.addCleanup(temporary.disable)

    def download(self, user, job):
        self.login(user)
        response = self.client.get(reverse("exports:download", args=[job.pk]))
        content = b"".join(response.streaming_content) if response.streaming else b""
        return response, content

    def test_a_finished_export_is_published_whole_and_downloads(self):
        job = export(self.owner, page=[self.page.pk])

        self.assertEqual(stored_exports(), [job.file.name])
        response, content = self.download(self.owner, job)
        self.assertEqual(response.status_code, 200)
        self.assertIn(".xlsx", response["Content-Disposition"])
        sheet = load_workbook(ContentFile(content)).worksheets[0]
        self.assertEqual(len(records(sheet)), 2)
        self.assertEqual(
            AccessEvent.objects.filter(kind=AccessEvent.Kind.DOWNLOAD).count(), 1
        )
        # Nobody else's: the outsider may not follow exports at all.
        self.assertEqual(self.download(self.outsider, job)[0].status_code, 404)

    def test_a_run_that_lost_its_job_publishes_nothing(self):
        job = start_export(self.owner, "submissions", {"page": [self.page.pk]})
        real_write = export_runs.write_workbook

        def taken_over(path, *args, **kwargs):
            # Meanwhile the sweep decided this run was dead.
            ExportJob.objects.filter(pk=job.pk).update(
                status=Status.FAILED, run_token=None
            )
            return real_write(path, *args, **kwargs)

        with mock.patch("exports.runs.write_workbook", side_effect=taken_over):
            run_export(job.pk)
        job.refresh_from_db()
        self.assertEqual((job.status, job.file.name), (Status.FAILED, ""))
        self.assertEqual(stored_exports(), [])
        self.assertEqual(files_on_disk(temporary_dir(exports_storage())), [])

    def test_the_sweep_deletes_expired_files_and_they_no_longer_download(self):
        first = export(self.owner, page=[self.page.pk])
        second = export(self.owner, page=[self.page.pk])
        ExportJob.objects.filter(pk=first.pk).update(
            expires_at=timezone.now() - dt.timedelta(seconds=1)
        )

        self.assertEqual(sweep()["expired"], 1)

        self.assertEqual(stored_exports(), [second.file.name])
        first.refresh_from_db()
        self.assertEqual(self.download(self.owner, first)[0].status_code, 404)
        self.assertEqual(self.download(self.owner, second)[0].status_code, 200)

    def test_old_files_no_export_refers_to_are_swept_and_others_kept(self):
        job = export(self.owner, page=[self.page.pk])
        orphan = exports_storage().save("99-mo-coi.xlsx", ContentFile(b"half"))

        # A moment old, it may be a run's whose database write is on its way.
        cleanup_expired()
        self.assertEqual(stored_exports(), sorted([job.file.name, orphan]))

        cleanup_expired(timezone.now() + dt.timedelta(days=2))
        self.assertEqual(stored_exports(), [job.file.name])

    def test_a_dead_runs_temporary_file_on_this_machine_is_swept(self):
        directory = temporary_dir(exports_storage())
        directory.mkdir(parents=True, exist_ok=True)
        leftover = directory / ".77-0123abcd.part"
        leftover.write_bytes(b"half a workbook")
        two_days_ago = (timezone.now() - dt.timedelta(days=2)).timestamp()
        os.utime(leftover, (two_days_ago, two_days_ago))
        recent = directory / ".78-4567cdef.part"
        recent.write_bytes(b"being written")

        cleanup_expired()

        self.assertFalse(leftover.exists())
        self.assertTrue(recent.exists())
        recent.unlink()

    def test_a_submissions_attachment_downloads_from_the_storage(self):
        path = default_storage.save(
            f"submissions/{self.page.pk}/abc/bien-ban.pdf", ContentFile(PDF)
        )
        answer = {"name": "biên bản.pdf", "path": path, "size": len(PDF)}
        submission = make_submission(
            self.page,
            unit=self.hoa_phu_ubnd,
            user=self.member,
            answers={**VALID_ANSWERS, "tai_lieu": answer},
        )
        url = reverse("exports:attachment", args=[submission.pk, "tai_lieu"])

        self.login(self.reviewer)
        response = self.client.get(url)
        self.assertEqual(b"".join(response.streaming_content), PDF)
        self.login(self.other_reviewer)
        self.assertEqual(self.client.get(url).status_code, 404)

        default_storage.delete(path)
        self.login(self.reviewer)
        self.assertEqual(self.client.get(url).status_code, 404)


@pytest.mark.needs_s3
class ExportFilesInABucketTests(BucketMixin, ExportFilesTests):
    """The same in a bucket, and what only a bucket can do wrong."""

    def test_nothing_is_kept_on_this_machines_disk(self):
        job = export(self.owner, page=[self.page.pk])

        self.assertEqual(self.bucket_keys(), [f"exports/{job.file.name}"])
        self.assertEqual(files_on_disk(settings.MEDIA_ROOT), [])
        self.assertEqual(files_on_disk(settings.FILE_UPLOAD_TEMP_DIR), [])

    def test_an_upload_the_bucket_refuses_fails_the_job_and_offers_no_file(self):
        self.s3.delete_bucket(Bucket=self.bucket)
        job = export(self.owner, page=[self.page.pk])

        self.assertEqual(job.status, Status.FAILED)
        self.assertIn("lỗi hệ thống", job.error)
        self.assertFalse(job.has_file)
        self.assertTrue(job.can_retry)
        self.assertEqual(files_on_disk(settings.FILE_UPLOAD_TEMP_DIR), [])

    def test_an_upload_cut_short_is_removed_and_never_marked_done(self):
        # A server that acknowledged fewer bytes than were sent.
        real_size = PrivateS3Storage.size

        def short(storage, name):
            return real_size(storage, name) - 1

        with mock.patch.object(PrivateS3Storage, "size", short):
            job = export(self.owner, page=[self.page.pk])

        self.assertEqual(job.status, Status.FAILED)
        self.assertFalse(job.file)
        self.assertEqual(self.bucket_keys(), [])

    def test_the_sweep_removes_the_expired_object_from_the_bucket(self):
        job = export(self.owner, page=[self.page.pk])
        key = f"exports/{job.file.name}"
        self.assertEqual(self.bucket_keys("exports/"), [key])

        ExportJob.objects.filter(pk=job.pk).update(
            expires_at=timezone.now() - dt.timedelta(seconds=1)
        )
        self.assertEqual(sweep()["expired"], 1)

        self.assertEqual(self.bucket_keys("exports/"), [])
