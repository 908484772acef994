"""Forms begun and never sent are deleted, with their uploads, after a while."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import timezone

from forms_app.housekeeping import delete_abandoned_drafts
from forms_app.models import SubmissionDraft
from tests.base import BaseTestCase
from tests.forms_app.factories import VALID_POST, make_report_template, step_post
from tests.forms_app.test_drafts import PDF, drafts_folder


@override_settings(DRAFT_RETENTION_DAYS=90)
class AbandonedDraftTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.page = make_report_template()

    def begin(self, user, upload=False):
        """Fill in the first steps as `user`; the draft and its upload's path."""
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
        path = drafts_folder() / files["2-tai_lieu"]["tmp_name"] if upload else None
        return draft, path

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
