"""manage.py move_files_to_bucket: an installation's files move from this
machine's disk to the bucket under the same names, checked, counted, and safe
to run again."""

from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from exports.models import ExportJob
from forms_app.s3 import PrivateS3Storage
from tests.base import BaseTestCase
from tests.exports.helpers import PrivateFilesMixin
from tests.forms_app.factories import (
    VALID_ANSWERS,
    make_report_template,
    make_submission,
)
from tests.s3 import BucketMixin, files_on_disk

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def move(*args):
    out = StringIO()
    call_command("move_files_to_bucket", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


class MoveOnDiskTests(PrivateFilesMixin, BaseTestCase):
    def test_it_refuses_while_the_files_are_kept_on_this_machine(self):
        with self.assertRaisesMessage(CommandError, "S3_BUCKET"):
            move()


@pytest.mark.needs_s3
class MoveFilesToBucketTests(BucketMixin, PrivateFilesMixin, BaseTestCase):
    def setUp(self):
        super().setUp()
        self.page = make_report_template()
        self.root = Path(settings.MEDIA_ROOT)
        workbook = self.root / "exports" / "5-0a1b2c.xlsx"
        self.on_disk = {
            f"submissions/{self.page.pk}/9f8e/bien-ban.pdf": PDF,
            "drafts/3c4d-anh-hien-truong.pdf": PDF + b"draft",
            "exports/5-0a1b2c.xlsx": None,  # a real workbook, below
        }
        for name, content in self.on_disk.items():
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if content is not None:
                path.write_bytes(content)
        sheet = Workbook()
        sheet.active.append(["Mã báo cáo", "Đơn vị"])
        sheet.save(workbook)
        self.on_disk["exports/5-0a1b2c.xlsx"] = workbook.read_bytes()
        # A run's temporary file: nobody refers to it, it stays behind.
        (self.root / "exports" / ".6-0123.part").write_bytes(b"half")

    def test_every_file_goes_to_the_same_name_in_the_bucket_and_is_counted(self):
        output = move()

        self.assertIn("copied: 3, already in the bucket: 0", output)
        self.assertIn("failed: 0", output)
        self.assertEqual(self.bucket_keys(), sorted(self.on_disk))
        for name, content in self.on_disk.items():
            self.assertEqual(self.bucket_object(name), content, name)
        # Copied, not moved, unless asked: every machine switches first.
        self.assertEqual(len(files_on_disk(self.root)), 4)

    def test_the_platform_finds_the_moved_files_where_the_database_says(self):
        name = f"submissions/{self.page.pk}/9f8e/bien-ban.pdf"
        submission = make_submission(
            self.page,
            unit=self.hoa_phu_ubnd,
            user=self.member,
            answers={
                **VALID_ANSWERS,
                "tai_lieu": {"name": "biên bản.pdf", "path": name, "size": len(PDF)},
            },
        )
        job = ExportJob.objects.create(
            requested_by=self.owner,
            kind="submissions",
            status=ExportJob.Status.DONE,
            file="5-0a1b2c.xlsx",
            file_name="bao-cao.xlsx",
        )
        move("--delete-local")
        self.assertEqual(
            files_on_disk(self.root), [str(self.root / "exports/.6-0123.part")]
        )

        self.login(self.reviewer)
        response = self.client.get(
            reverse("exports:attachment", args=[submission.pk, "tai_lieu"])
        )
        self.assertEqual(b"".join(response.streaming_content), PDF)
        self.login(self.owner)
        response = self.client.get(reverse("exports:download", args=[job.pk]))
        self.assertEqual(
            b"".join(response.streaming_content),
            self.on_disk["exports/5-0a1b2c.xlsx"],
        )

    def test_running_it_again_copies_nothing_more(self):
        move()
        output = move()

        self.assertIn("copied: 0, already in the bucket: 3", output)
        self.assertEqual(self.bucket_keys(), sorted(self.on_disk))

    def test_a_copy_cut_short_is_copied_again(self):
        name = f"submissions/{self.page.pk}/9f8e/bien-ban.pdf"
        self.s3.put_object(Bucket=self.bucket, Key=name, Body=PDF[:10])

        output = move()

        self.assertIn("copied: 2", output)
        self.assertIn("copied again (size differed): 1", output)
        self.assertEqual(self.bucket_object(name), PDF)

    def test_delete_local_removes_each_file_once_its_copy_is_checked(self):
        output = move("--delete-local")

        self.assertIn("local files deleted: 3", output)
        self.assertEqual(
            files_on_disk(self.root), [str(self.root / "exports/.6-0123.part")]
        )
        self.assertEqual(self.bucket_keys(), sorted(self.on_disk))

    def test_a_copy_the_bucket_holds_wrongly_fails_and_keeps_the_local_file(self):
        name = "drafts/3c4d-anh-hien-truong.pdf"
        real_size = PrivateS3Storage.size

        def misreported(storage, stored_name):
            size = real_size(storage, stored_name)
            return size - 1 if stored_name == "3c4d-anh-hien-truong.pdf" else size

        with (
            mock.patch.object(PrivateS3Storage, "size", misreported),
            self.assertRaisesMessage(CommandError, "failed: 1") as refusal,
        ):
            move("--delete-local")

        self.assertIn("copied: 2", str(refusal.exception))
        self.assertTrue((self.root / name).exists())
        self.assertNotIn(name, self.bucket_keys())
        # Run again: it picks up where it stopped.
        self.assertIn("copied: 1, already in the bucket: 0", move())
        self.assertEqual(self.bucket_object(name), self.on_disk[name])
