"""Drafts: a form in progress is kept in the database and nothing is lost."""

from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from forms_app.models import FormSubmission, SubmissionDraft
from tests.base import BaseTestCase
from tests.forms_app.factories import (
    VALID_POST,
    make_report_template,
    make_survey,
    step_post,
)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def drafts_folder():
    return Path(settings.MEDIA_ROOT) / "drafts"


class DraftTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.page = make_report_template()
        self.url = self.page.url

    def client_for(self, user):
        client = Client()
        client.force_login(user)
        return client

    def post(self, client, step, answers=None, **extra):
        return client.post(self.url, step_post(step, answers, **extra))

    def test_a_visit_alone_leaves_no_draft(self):
        self.client_for(self.member).get(self.url)
        self.assertFalse(SubmissionDraft.objects.exists())

    def test_the_answers_are_saved_at_each_step(self):
        client = self.client_for(self.member)
        self.post(client, "1")
        draft = SubmissionDraft.objects.get(page=self.page, user=self.member)
        self.assertEqual(draft.data["step"], "2")
        self.assertEqual(draft.data["step_data"]["1"]["1-ho_ten"], ["Nguyễn Văn An"])

    def test_a_draft_survives_a_new_session_at_the_step_it_was_on(self):
        first = self.client_for(self.member)
        self.post(first, "1")
        self.post(first, "2")
        first.logout()

        second = self.client_for(self.member)
        response = second.get(self.url)
        self.assertContains(response, "Bước 3/3")
        self.assertContains(response, "Đã lưu nháp lúc")
        response = self.post(second, "3", VALID_POST["3"], wizard_goto_step="2")
        self.assertContains(response, 'value="Giải phóng mặt bằng"')

        self.post(second, "2")
        self.post(second, "3")
        submission = FormSubmission.objects.get()
        self.assertEqual(submission.answers["ho_ten"], "Nguyễn Văn An")
        self.assertEqual(submission.answers["dlxh_impact"], "high")

    def test_the_time_of_the_last_save_is_shown(self):
        client = self.client_for(self.member)
        response = self.post(client, "1")
        saved = SubmissionDraft.objects.get().updated_at
        self.assertContains(
            response, f"Đã lưu nháp lúc {timezone.localtime(saved):%H:%M}"
        )

    def test_a_step_with_errors_keeps_what_was_typed(self):
        client = self.client_for(self.member)
        self.post(client, "1", {**VALID_POST["1"], "ngay": "30/02/2026"})
        response = self.client_for(self.member).get(self.url)
        self.assertContains(response, "Bước 1/3")
        self.assertContains(response, 'value="Nguyễn Văn An"')
        self.assertContains(response, 'value="30/02/2026"')

    def test_a_failed_final_submission_keeps_everything(self):
        client = self.client_for(self.member)
        self.post(client, "1")
        self.post(client, "2")
        incomplete = {**VALID_POST["3"], "dlxh_impact": ""}
        response = self.post(client, "3", incomplete)
        self.assertContains(response, "Vui lòng sửa các lỗi bên dưới")
        self.assertFalse(FormSubmission.objects.exists())

        later = self.client_for(self.member)
        response = later.get(self.url)
        self.assertContains(response, "Bước 3/3")
        self.assertContains(response, "Đối thoại với người dân trước ngày 30/11.")
        self.post(later, "3")
        answers = FormSubmission.objects.get().answers
        self.assertEqual(answers["ho_ten"], "Nguyễn Văn An")
        self.assertEqual(answers["chi_tiet_vu_viec"], "Giải phóng mặt bằng")

    def test_a_step_left_incomplete_is_caught_before_sending(self):
        client = self.client_for(self.member)
        self.post(client, "1")
        self.post(client, "2")
        # The user goes back and empties a required answer without sending it on.
        self.post(
            client,
            "2",
            {**VALID_POST["2"], "muc_do_quan_tam": ""},
            wizard_goto_step="1",
        )
        self.post(client, "1")
        response = self.post(client, "3")
        self.assertFalse(FormSubmission.objects.exists())
        self.assertContains(response, "Bước 2/3")

    def test_uploads_wait_in_a_private_folder_and_go_with_the_draft(self):
        client = self.client_for(self.member)
        self.post(client, "1")
        upload = SimpleUploadedFile("anh-hien-truong.pdf", PDF, "application/pdf")
        self.post(client, "2", {**VALID_POST["2"], "tai_lieu": upload})

        draft = SubmissionDraft.objects.get()
        info = draft.data["step_files"]["2"]["2-tai_lieu"]
        waiting = drafts_folder() / info["tmp_name"]
        self.assertTrue(waiting.exists())

        # A new session: the upload is still there and need not be sent again.
        later = self.client_for(self.member)
        response = self.post(later, "3", VALID_POST["3"], wizard_goto_step="2")
        self.assertContains(response, "Đã tải lên: anh-hien-truong.pdf")
        self.post(later, "2")
        self.post(later, "3")

        self.assertEqual(
            FormSubmission.objects.get().answers["tai_lieu"]["name"],
            "anh-hien-truong.pdf",
        )
        self.assertFalse(waiting.exists())
        self.assertFalse(SubmissionDraft.objects.exists())

    def test_a_draft_can_be_thrown_away(self):
        client = self.client_for(self.member)
        self.post(client, "1")
        response = client.post(self.url, {"wizard_discard": "1"})
        self.assertEqual(response.status_code, 302)
        response = client.get(self.url)
        self.assertContains(response, "Bước 1/3")
        self.assertNotContains(response, 'value="Nguyễn Văn An"')

    def test_each_user_has_their_own_draft(self):
        self.post(self.client_for(self.member), "1")
        response = self.client_for(self.outsider).get(self.url)
        self.assertContains(response, "Bước 1/3")
        self.assertNotContains(response, "Nguyễn Văn An")


class AnonymousDraftTests(BaseTestCase):
    fields = [
        {"type": "short_text", "value": {"label": "Tuổi", "key": "tuoi"}},
        {"type": "page_break", "value": {"title": "Ý kiến"}},
        {"type": "long_text", "value": {"label": "Góp ý", "key": "gop_y"}},
    ]

    def test_an_anonymous_respondent_keeps_a_draft_for_the_session(self):
        page = make_survey(login_required=False, fields=self.fields)
        respondent = Client()
        respondent.post(page.url, step_post("1", {"tuoi": "34"}))
        draft = SubmissionDraft.objects.get()
        self.assertIsNone(draft.user)
        self.assertEqual(draft.session_key, respondent.session.session_key)
        self.assertContains(respondent.get(page.url), "Bước 2/2")

        stranger = Client()
        response = stranger.get(page.url)
        self.assertContains(response, "Bước 1/2")
        self.assertNotContains(response, 'value="34"')
