"""Forms begun and never sent are deleted, with their uploads, after a while;
the same on this machine's disk and in a bucket."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import timezone

from forms_app.files import drafts_storage
from forms_app.housekeeping import delete_abandoned_drafts, delete_orphan_files
from forms_app.models import SubmissionDraft
from tests.base import BaseTestCase
from tests.exports.helpers import PrivateFilesMixin
from tests.forms_app.factories import VALID_POST, make_report_template, step_post
from tests.forms_app.test_drafts import PDF
from tests.s3 import BucketMixin, files_on_disk


class Upload:
    """A draft's upload, wherever the drafts storage keeps it."""

    def __init__(self, name):
        self.name = name

    def exists(self):
        return drafts_storage.exists(self.name)


@override_settings(DRAFT_RETENTION_DAYS=90)
class AbandonedDraftTests(PrivateFilesMixin, BaseTestCase):
    def setUp(self):
        super().setUp()
        self.page = make_report_template()

    def begin(self, user, upload=False):
        """Fill in the first steps as `user`; the draft and its upload."""
        client = Client()
        client.force_login(user)
        client.post(self.page.url, step_post("1"))
        if upload:
            pdf = SimpleUploadedFile("bien-ban.pdf", PDF, "application/pdf")
            client.post(
                self.page.url, step_post("2", {**VALID_POST["2"], "tai_lieu": pdf})
            )
        draft = SubmissionDraft.objects.get(user=user)
        files = draft.data["step_files"].get("2", {})
        stored = Upload(files["2-tai_lieu"]["tmp_name"]) if upload else None
        return draft, stored

    def age(self, draft, days):
        SubmissionDraft.objects.filter(pk=draft.pk).update(
            updated_at=timezone.now() - dt.timedelta(days=days)
        )

    def test_a_draft_untouched_past_the_retention_goes_with_its_upload(self):
        old, old_upload = self.begin(self.member, upload=True)
        recent, recent_upload = self.begin(self.outsider, upload=True)
        self.age(old, 91)
        self.age(recent, 89)

        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(delete_abandoned_drafts(), 1)

        self.assertFalse(SubmissionDraft.objects.filter(pk=old.pk).exists())
        self.assertFalse(old_upload.exists())
        self.assertTrue(SubmissionDraft.objects.filter(pk=recent.pk).exists())
        self.assertTrue(recent_upload.exists())

    def test_running_it_twice_deletes_nothing_more(self):
        draft, _path = self.begin(self.member)
        self.age(draft, 120)

        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(delete_abandoned_drafts(), 1)
            self.assertEqual(delete_abandoned_drafts(), 0)

    def test_the_unit_starts_afresh_after_its_draft_was_deleted(self):
        draft, _path = self.begin(self.member)
        self.age(draft, 120)
        with self.captureOnCommitCallbacks(execute=True):
            delete_abandoned_drafts()

        client = Client()
        client.force_login(self.member)
        response = client.get(self.page.url)

        self.assertContains(response, "Bước 1/3")
        self.assertNotContains(response, "Đã lưu nháp lúc")

    def test_two_units_uploading_files_of_one_name_keep_two_files(self):
        _draft, first = self.begin(self.member, upload=True)
        _draft, second = self.begin(self.outsider, upload=True)
        self.assertNotEqual(first.name, second.name)
        for upload in (first, second):
            with drafts_storage.open(upload.name) as stored:
                self.assertEqual(stored.read(), PDF)

    def test_an_old_upload_no_draft_holds_goes_and_a_held_one_stays(self):
        _draft, held = self.begin(self.member, upload=True)
        orphan = Upload(drafts_storage.save("mo-coi.pdf", ContentFile(PDF)))

        # Saved a moment ago, it may be a draft's on its way to the database.
        with self.captureOnCommitCallbacks(execute=True):
            delete_abandoned_drafts()
        self.assertTrue(orphan.exists())

        # Once older than the retention, it goes; the draft's own stays.
        later = timezone.now() + dt.timedelta(minutes=1)
        self.assertEqual(delete_orphan_files(later), 1)
        self.assertFalse(orphan.exists())
        self.assertTrue(held.exists())


@pytest.mark.needs_s3
class AbandonedDraftsInABucketTests(BucketMixin, AbandonedDraftTests):
    """The same, with the uploads in a bucket several machines share."""

    def test_the_uploads_are_objects_in_the_bucket_and_none_is_on_disk(self):
        old, upload = self.begin(self.member, upload=True)
        self.assertEqual(self.bucket_keys(), [f"drafts/{upload.name}"])
        self.assertEqual(self.bucket_object(f"drafts/{upload.name}"), PDF)
        self.assertEqual(files_on_disk(settings.MEDIA_ROOT), [])

        self.age(old, 91)
        with self.captureOnCommitCallbacks(execute=True):
            delete_abandoned_drafts()
        self.assertEqual(self.bucket_keys(), [])
