"""Bad input: each gets a clear Vietnamese message and stores nothing."""

import unicodedata
import uuid

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from forms_app.models import FormSubmission, SubmissionDraft
from tests.base import BaseTestCase
from tests.forms_app.factories import (
    make_report_template,
    make_submission,
    step_post,
)
from units.choices import Role
from units.models import Membership

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

FIELDS = [
    {
        "type": "number",
        "value": {"label": "Số người dự họp", "key": "so_nguoi", "required": True},
    },
    {"type": "date", "value": {"label": "Ngày họp", "key": "ngay", "required": True}},
    {
        "type": "single_choice",
        "value": {
            "label": "Hình thức",
            "key": "hinh_thuc",
            "required": True,
            "choices": [
                {"label": "Trực tiếp", "key": "truc_tiep"},
                {"label": "Trực tuyến", "key": "truc_tuyen"},
            ],
        },
    },
    {
        "type": "multiple_choice",
        "value": {
            "label": "Thành phần",
            "key": "thanh_phan",
            "choices": [
                {"label": "Cán bộ", "key": "can_bo"},
                {"label": "Nhân dân", "key": "nhan_dan"},
            ],
        },
    },
    {
        "type": "likert_matrix",
        "value": {
            "label": "Mức độ đồng tình",
            "key": "dong_tinh",
            "statements": [{"label": "Chủ trương đúng", "key": "dung"}],
        },
    },
    {
        "type": "yes_no",
        "value": {"label": "Có kiến nghị không?", "key": "co_kien_nghi"},
    },
    {
        "type": "short_text",
        "value": {
            "label": "Nội dung kiến nghị",
            "key": "kien_nghi",
            "required": True,
            "condition": {
                "field_key": "co_kien_nghi",
                "operator": "equals",
                "value": "yes",
            },
        },
    },
    {
        "type": "file",
        "value": {
            "label": "Biên bản",
            "key": "bien_ban",
            "allowed_extensions": "pdf,png",
            "max_size_mb": 1,
        },
    },
    {"type": "dlxh_impact", "value": {}},
    {"type": "dlxh_trend", "value": {}},
    {"type": "dlxh_recommendations", "value": {}},
]

VALID = {
    "so_nguoi": "25",
    "ngay": "2026-11-24",
    "hinh_thuc": "truc_tiep",
    "thanh_phan": ["can_bo", "nhan_dan"],
    "dong_tinh__dung": "4",
    "co_kien_nghi": "yes",
    "kien_nghi": "Sửa đường liên thôn",
    "dlxh_impact": "medium",
    "dlxh_trend": "stable",
    "dlxh_recommendations": "Bố trí vốn năm 2027.",
}


class BadInputTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.page = make_report_template(fields=FIELDS, slug="bien-ban-hop")
        self.login(self.member)
        self.token = self.client.get(self.page.url).context["token"]

    def send(self, client=None, **changes):
        answers = {**VALID, **changes}
        answers = {name: value for name, value in answers.items() if value is not None}
        data = step_post("1", answers, token=self.token)
        return (client or self.client).post(self.page.url, data)

    def assertRefused(self, response, message, status=200):
        self.assertContains(response, message, status_code=status)
        self.assertFalse(FormSubmission.objects.exists())

    def test_good_input_is_stored(self):
        response = self.send()
        self.assertEqual(response.status_code, 302)
        self.assertEqual(FormSubmission.objects.get().answers["so_nguoi"], 25)

    def test_text_in_a_number_field(self):
        response = self.send(so_nguoi="hai mươi")
        self.assertRefused(response, "Vui lòng nhập một số nguyên.")
        self.assertContains(response, "Vui lòng sửa các lỗi bên dưới")

    def test_a_bad_date(self):
        self.assertRefused(self.send(ngay="2026-02-30"), "Nhập một ngày hợp lệ.")

    def test_an_oversize_file(self):
        big = SimpleUploadedFile("bien-ban.pdf", PDF + b"0" * 1024 * 1024)
        self.assertRefused(self.send(bien_ban=big), "Tệp quá lớn")

    def test_a_file_type_that_is_not_allowed(self):
        program = SimpleUploadedFile("bien-ban.exe", b"MZ\x90\x00")
        self.assertRefused(
            self.send(bien_ban=program), "Chỉ nhận tệp có định dạng: pdf, png."
        )

    def test_a_pdf_that_is_not_a_pdf(self):
        fake = SimpleUploadedFile("bien-ban.pdf", b"MZ\x90\x00 not a pdf at all")
        self.assertRefused(
            self.send(bien_ban=fake), "Nội dung tệp không khớp với định dạng .pdf."
        )
        self.assertFalse(SubmissionDraft.objects.get().data["step_files"]["1"])

    def test_unknown_choice_keys(self):
        for changes in (
            {"hinh_thuc": "qua_dien_thoai"},
            {"thanh_phan": ["can_bo", "doanh_nghiep"]},
            {"dong_tinh__dung": "9"},
            {"co_kien_nghi": "co_le"},
            {"dlxh_impact": "tham_hoa"},
        ):
            with self.subTest(changes=changes):
                self.assertRefused(self.send(**changes), "Hãy chọn một lựa chọn hợp lệ")

    def test_an_answer_to_a_question_hidden_by_its_condition_is_dropped(self):
        self.send(co_kien_nghi="no", kien_nghi="Câu trả lời giả mạo")
        answers = FormSubmission.objects.get().answers
        self.assertEqual(answers["co_kien_nghi"], "no")
        self.assertNotIn("kien_nghi", answers)

    def test_a_forged_unit_id_is_refused(self):
        Membership.objects.create(
            user=self.member, unit=self.hoa_phu_party, role=Role.REPORTER
        )
        data = step_post("1", VALID, token=self.token)
        data["dlxh-unit"] = str(self.tan_an_ubnd.pk)
        response = self.client.post(self.page.url, data)
        self.assertRefused(response, "Đồng chí không thuộc đơn vị đã chọn")

    def test_a_unit_posted_by_a_one_unit_user_is_ignored(self):
        data = step_post("1", VALID, token=self.token)
        data["dlxh-unit"] = str(self.tan_an_ubnd.pk)
        self.client.post(self.page.url, data)
        self.assertEqual(FormSubmission.objects.get().unit, self.hoa_phu_ubnd)

    def test_a_forged_step_name(self):
        data = step_post("1", VALID, token=self.token)
        data["dlxh-current_step"] = "99"
        response = self.client.post(self.page.url, data)
        self.assertRefused(response, "không khớp với biểu mẫu", status=400)
        self.assertFalse(SubmissionDraft.objects.exists())

    def test_a_post_without_the_wizards_step(self):
        data = step_post("1", VALID, token=self.token)
        del data["dlxh-current_step"]
        response = self.client.post(self.page.url, data)
        self.assertRefused(response, "không khớp với biểu mẫu", status=400)

    def test_a_missing_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.member)
        response = self.send(client=client)
        self.assertRefused(response, "Phiên làm việc đã hết hạn", status=403)

    def test_a_resent_post_with_the_same_token_creates_one_submission(self):
        first = self.send()
        second = self.send()
        self.assertEqual(FormSubmission.objects.count(), 1)
        submission = FormSubmission.objects.get()
        self.assertEqual(submission.idempotency_key, self.token)
        self.assertEqual(first["Location"], f"/phieu-da-gui/{submission.pk}/?moi-gui=1")
        self.assertEqual(second["Location"], f"/phieu-da-gui/{submission.pk}/")

    def test_another_users_token_does_not_reveal_their_submission(self):
        self.send()
        self.client.force_login(self.collaborator)
        response = self.send()
        theirs = FormSubmission.objects.get(unit=self.hoa_phu_ctv)
        self.assertEqual(theirs.submitted_by, self.collaborator)
        self.assertNotEqual(theirs.idempotency_key, self.token)
        self.assertEqual(response["Location"], f"/phieu-da-gui/{theirs.pk}/?moi-gui=1")

    def test_text_is_stored_in_nfc(self):
        decomposed = unicodedata.normalize("NFD", "Sửa đường liên thôn")
        self.assertNotEqual(decomposed, VALID["kien_nghi"])
        self.send(kien_nghi=decomposed)
        self.assertEqual(
            FormSubmission.objects.get().answers["kien_nghi"], "Sửa đường liên thôn"
        )


class DoubleClickTests(BaseTestCase):
    def test_two_requests_racing_with_one_token_store_one_submission(self):
        page = make_report_template(
            fields=FIELDS, slug="bien-ban", one_per_unit_per_period=False
        )
        token = uuid.uuid4()
        first = make_submission(
            page, self.hoa_phu_ubnd, self.member, idempotency_key=token
        )
        upload = SimpleUploadedFile("bien-ban.pdf", PDF)
        # The second request of a token stores its upload, then meets the
        # first one's row in the unique index.
        submission, created = page.process_form_submission(
            answers={"bien_ban": upload},
            unit=self.hoa_phu_ubnd,
            user=self.member,
            token=token,
        )
        self.assertEqual((submission, created), (first, False))
        self.assertEqual(FormSubmission.objects.count(), 1)
        root = f"submissions/{page.pk}"
        folders, _files = default_storage.listdir(root)
        self.assertEqual(len(folders), 1)  # the upload was saved, then removed
        self.assertEqual(default_storage.listdir(f"{root}/{folders[0]}"), ([], []))
