"""The published multi-step form, as a commune unit fills it in."""

from unittest import mock

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from forms_app import wizard
from forms_app.models import FormSubmission, SubmissionDraft
from forms_app.signals import submission_created
from forms_app.submitting import made_with
from tests.base import BaseTestCase, make_person
from tests.browser.base import BrowserTestCase
from tests.forms_app.factories import (
    CONDITION_KEY,
    VALID_ANSWERS,
    VALID_POST,
    make_report_template,
    make_submission,
    make_survey,
    step_post,
)
from units.choices import Level, Role
from units.models import Membership

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


class WizardTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.page = make_report_template()
        self.url = self.page.url

    def start(self, user=None):
        self.login(user or self.member)
        response = self.client.get(self.url)
        self.token = response.context["token"]
        return response

    def post(self, step, answers=None, **extra):
        return self.client.post(
            self.url, step_post(step, answers, token=self.token, **extra)
        )

    def fill(self, *steps, answers=None):
        response = None
        for step in steps:
            response = self.post(step, (answers or {}).get(step))
        return response


class FillingInTests(WizardTestCase):
    def test_a_commune_user_fills_every_step_and_the_submission_is_stored(self):
        self.start()
        self.fill("1", "2")
        response = self.post("3")

        submission = FormSubmission.objects.get()
        self.assertRedirects(
            response,
            f"/phieu-da-gui/{submission.pk}/?moi-gui=1",
            fetch_redirect_response=False,
        )
        self.assertEqual(submission.answers, VALID_ANSWERS)
        self.assertEqual(submission.page_revision, self.page.live_revision)
        self.assertEqual(submission.unit, self.hoa_phu_ubnd)
        self.assertEqual(submission.submitted_by, self.member)
        self.assertEqual(submission.period, self.page.get_period().key)
        self.assertRegex(submission.period, r"^\d{4}-W\d{2}$")
        self.assertEqual(submission.idempotency_key, self.token)
        self.assertEqual(submission.classification, self.page.default_classification)
        self.assertEqual(submission.category, "issue_of_concern")
        self.assertEqual(submission.impact, "high")
        self.assertEqual(submission.trend, "rising")
        self.assertEqual(submission.sensitivity, "complex")
        self.assertEqual(submission.source_channel, "meeting")
        self.assertFalse(SubmissionDraft.objects.exists())

    def test_the_thank_you_page_shows_the_reference_and_the_answers(self):
        self.start()
        self.fill("1", "2")
        response = self.client.get(self.post("3")["Location"])
        submission = FormSubmission.objects.get()
        self.assertContains(response, "Cảm ơn đồng chí đã gửi thông tin.")
        self.assertContains(response, f"DLXH-{submission.pk:06d}")
        self.assertContains(response, "Giải phóng mặt bằng")

    def test_a_collaborators_receipt_is_not_shown_to_other_collaborators(self):
        submission = make_submission(self.page, self.hoa_phu_ctv, self.collaborator)
        self.login(self.collaborator)
        self.assertEqual(
            self.client.get(f"/phieu-da-gui/{submission.pk}/").status_code, 200
        )
        self.login(make_person("hoaphu.ctv2", self.hoa_phu_ctv, Role.COLLABORATOR))
        response = self.client.get(f"/phieu-da-gui/{submission.pk}/")
        self.assertEqual(response.status_code, 404)

    def test_the_receipt_is_not_shown_to_another_commune(self):
        submission = make_submission(self.page, self.hoa_phu_ubnd, self.member)
        self.login(self.outsider)
        response = self.client.get(f"/phieu-da-gui/{submission.pk}/")
        self.assertEqual(response.status_code, 404)

    def test_each_step_shows_its_number_and_the_step_titles(self):
        response = self.start()
        self.assertContains(response, "Bước 1/3")
        response = self.post("1")
        self.assertContains(response, "Bước 2/3")
        self.assertContains(response, 'aria-current="step"')
        self.assertContains(response, "Diễn biến")
        self.assertContains(response, "Đánh giá")

    def test_going_back_keeps_the_answers_of_both_steps(self):
        self.start()
        self.post("1")
        typed = {**VALID_POST["2"], "chi_tiet_vu_viec": "Ô nhiễm nguồn nước"}
        response = self.post("2", typed, wizard_goto_step="1")
        self.assertContains(response, "Bước 1/3")
        self.assertContains(response, 'value="Nguyễn Văn An"')

        response = self.post("1")
        self.assertContains(response, "Bước 2/3")
        self.assertContains(response, 'value="Ô nhiễm nguồn nước"')
        self.assertContains(response, 'value="mang_xa_hoi" data-key="kenh"')

    def test_a_validation_error_is_shown_next_to_its_field_in_vietnamese(self):
        self.start()
        response = self.post("1", {**VALID_POST["1"], "so_nguoi": "bốn mươi"})
        self.assertContains(response, "Bước 1/3")
        self.assertContains(response, "Vui lòng sửa các lỗi bên dưới")
        self.assertContains(response, 'href="#id_1-so_nguoi"')
        self.assertContains(response, "Vui lòng nhập một số nguyên.", count=2)
        html = response.content.decode()
        field = html[html.index('data-field="so_nguoi"') :]
        field = field[: field.index("</div>")]
        self.assertIn('id="id_1-so_nguoi_error"', field)
        self.assertIn('aria-invalid="true"', field)
        # The other answers stay as typed.
        self.assertContains(response, 'value="Nguyễn Văn An"')
        self.assertContains(response, 'value="0912345678"')

    def test_a_file_answer_is_stored_privately_with_its_details(self):
        self.start()
        self.post("1")
        upload = SimpleUploadedFile("Biên bản họp.pdf", PDF, "application/pdf")
        self.post("2", {**VALID_POST["2"], "tai_lieu": upload})
        self.post("3")

        answer = FormSubmission.objects.get().answers["tai_lieu"]
        self.assertEqual(answer["name"], "Biên bản họp.pdf")
        self.assertEqual(answer["size"], len(PDF))
        self.assertEqual(answer["content_type"], "application/pdf")
        self.assertRegex(
            answer["path"], rf"^submissions/{self.page.pk}/[0-9a-f]{{32}}/.+\.pdf$"
        )
        with default_storage.open(answer["path"]) as stored:
            self.assertEqual(stored.read(), PDF)

    def test_other_apps_hear_of_a_submission_once_it_is_committed(self):
        heard = []

        def receiver(sender, instance, user, **kwargs):
            heard.append((instance, user))

        submission_created.connect(receiver)
        self.addCleanup(submission_created.disconnect, receiver)
        self.start()
        self.fill("1", "2")
        with self.captureOnCommitCallbacks(execute=True):
            self.post("3")
        self.assertEqual(heard, [(FormSubmission.objects.get(), self.member)])


class ConditionTests(WizardTestCase):
    no_incident = {**VALID_POST["2"], CONDITION_KEY: "no"}

    def test_a_hidden_fields_posted_value_is_not_stored(self):
        self.start()
        self.post("1")
        self.post("2", {**self.no_incident, "chi_tiet_vu_viec": "Giả mạo"})
        self.post("3", {**VALID_POST["3"], "dien_bien": "Giả mạo"})

        answers = FormSubmission.objects.get().answers
        self.assertEqual(answers[CONDITION_KEY], "no")
        self.assertNotIn("chi_tiet_vu_viec", answers)
        self.assertNotIn("dien_bien", answers)

    def test_a_hidden_required_field_does_not_block_the_step(self):
        self.start()
        self.post("1")
        no_detail = {
            k: v for k, v in self.no_incident.items() if k != "chi_tiet_vu_viec"
        }
        response = self.post("2", no_detail)
        self.assertContains(response, "Bước 3/3")
        without_story = {k: v for k, v in VALID_POST["3"].items() if k != "dien_bien"}
        self.post("3", without_story)
        self.assertEqual(FormSubmission.objects.count(), 1)

    def test_a_shown_required_field_is_required(self):
        self.start()
        self.post("1")
        shown = {k: v for k, v in VALID_POST["2"].items() if k != "chi_tiet_vu_viec"}
        response = self.post("2", shown)
        self.assertContains(response, "Bước 2/3")
        self.assertContains(response, "Trường này là bắt buộc.")

    def test_conditions_across_steps_use_the_earlier_steps_answers(self):
        self.start()
        self.post("1")
        response = self.post("2")
        self.assertEqual(response.context["prior_answers"][CONDITION_KEY], "yes")
        self.assertContains(response, "data-section-condition=")
        without_story = {k: v for k, v in VALID_POST["3"].items() if k != "dien_bien"}
        response = self.post("3", without_story)
        self.assertContains(response, "Trường này là bắt buộc.")
        self.assertFalse(FormSubmission.objects.exists())


class SendingUnitTests(WizardTestCase):
    def setUp(self):
        super().setUp()
        Membership.objects.create(
            user=self.member, unit=self.hoa_phu_party, role=Role.REPORTER
        )

    def test_a_user_of_two_units_picks_the_one_that_reports(self):
        response = self.start()
        self.assertContains(response, "Gửi thay mặt đơn vị")
        self.assertContains(response, '<label for="id_dlxh-unit">')
        self.post("1", **{"dlxh-unit": self.hoa_phu_party.pk})
        self.fill("2", "3")
        self.assertEqual(FormSubmission.objects.get().unit, self.hoa_phu_party)

    def test_the_unit_must_be_chosen(self):
        self.start()
        response = self.post("1")
        self.assertContains(response, "Vui lòng chọn đơn vị gửi báo cáo.")
        self.assertContains(response, "Bước 1/3")

    def test_a_unit_not_theirs_is_refused(self):
        self.start()
        response = self.post("1", **{"dlxh-unit": self.tan_an_ubnd.pk})
        self.assertContains(response, "Đồng chí không thuộc đơn vị đã chọn")
        self.assertContains(response, "Bước 1/3")
        self.assertFalse(FormSubmission.objects.exists())

    def test_a_unit_that_already_reported_is_not_offered_again(self):
        make_submission(self.page, self.hoa_phu_ubnd, self.member)
        response = self.start()
        self.assertNotContains(response, 'name="dlxh-unit"')
        self.assertContains(response, "Đảng ủy xã Hòa Phú")
        self.fill("1", "2", "3")
        self.assertEqual(
            FormSubmission.objects.filter(unit=self.hoa_phu_party).count(), 1
        )

    def test_a_chosen_unit_that_reports_meanwhile_is_not_swapped_for_another(self):
        self.start()
        self.post("1", **{"dlxh-unit": self.hoa_phu_party.pk})
        self.post("2")
        sent = make_submission(self.page, self.hoa_phu_party, self.reviewer)
        response = self.post("3")
        self.assertContains(response, "Đảng ủy xã Hòa Phú đã gửi báo cáo kỳ")
        self.assertContains(response, f"/phieu-da-gui/{sent.pk}/")
        self.assertEqual(FormSubmission.objects.count(), 1)

    def test_a_user_of_one_unit_sends_for_it_without_choosing(self):
        response = self.start(self.outsider)
        self.assertNotContains(response, 'name="dlxh-unit"')
        self.assertContains(response, "Ủy ban nhân dân phường Tân An")


class AccessTests(WizardTestCase):
    def test_login_is_required_unless_the_page_says_otherwise(self):
        response = self.client.get(self.url)
        self.assertRedirects(
            response, f"/admin/login/?next={self.url}", fetch_redirect_response=False
        )

    def test_a_user_without_a_unit_gets_a_clear_403(self):
        self.login(self.superuser)
        response = self.client.get(self.url)
        self.assertContains(response, "chưa thuộc đơn vị nào", status_code=403)

    def test_a_unit_outside_the_audience_gets_a_clear_message(self):
        self.page.audience_levels = [Level.PROVINCE]
        self.page.save_revision().publish()
        self.login(self.member)
        response = self.client.get(self.url)
        self.assertContains(
            response, "không dành cho đơn vị của đồng chí", status_code=403
        )
        self.login(self.viewer)
        self.assertEqual(self.client.get(self.url).status_code, 200)

    def test_specific_units_may_answer_a_form_meant_for_them(self):
        self.page.audience_units.set([self.tan_an_ubnd])
        self.page.save_revision().publish()
        self.login(self.member)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.url).status_code, 200)

    def test_a_unit_that_already_reported_this_period_is_told_so(self):
        sent = make_submission(self.page, self.hoa_phu_ubnd, self.member)
        self.login(self.member)
        response = self.client.get(self.url)
        self.assertContains(response, "Đơn vị đã gửi báo cáo các kỳ đang nhận")
        self.assertContains(response, f'href="/phieu-da-gui/{sent.pk}/"')

    def test_a_report_sent_meanwhile_by_a_colleague_refuses_the_second(self):
        self.start()
        self.fill("1", "2")
        sent = make_submission(self.page, self.hoa_phu_ubnd, self.reviewer)
        response = self.post("3")
        self.assertContains(response, "đã gửi báo cáo các kỳ đang nhận")
        self.assertContains(response, f"/phieu-da-gui/{sent.pk}/")
        self.assertEqual(FormSubmission.objects.count(), 1)

    def test_a_double_click_whose_twin_was_stored_meanwhile_gets_the_receipt(self):
        self.start()
        self.fill("1", "2")
        sent = make_submission(
            self.page, self.hoa_phu_ubnd, self.member, idempotency_key=self.token
        )
        # The second click looked its token up a moment before its twin
        # committed; by the access check, the unit "has already reported".
        looked_up = []

        def before_the_twin_committed(model, token):
            looked_up.append(token)
            return None if len(looked_up) == 1 else made_with(model, token)

        with mock.patch.object(wizard, "made_with", before_the_twin_committed):
            response = self.post("3")

        self.assertRedirects(
            response, f"/phieu-da-gui/{sent.pk}/", fetch_redirect_response=False
        )
        self.assertEqual(FormSubmission.objects.count(), 1)

    def test_a_closed_form_takes_no_answers(self):
        self.page.archived = True
        self.page.save()
        self.login(self.member)
        response = self.client.get(self.url)
        self.assertContains(response, "không nhận trả lời")
        self.assertNotContains(response, '<form method="post" enctype')


class AnonymousSurveyTests(BaseTestCase):
    fields = [
        {
            "type": "single_choice",
            "value": {
                "label": "Đồng chí có biết chính sách mới không?",
                "key": "biet_chinh_sach",
                "required": True,
                "choices": [
                    {"label": "Có", "key": "co"},
                    {"label": "Chưa", "key": "chua"},
                ],
            },
        },
        {"type": "long_text", "value": {"label": "Góp ý", "key": "gop_y"}},
    ]

    def test_an_anonymous_survey_link_works_without_logging_in(self):
        page = make_survey(login_required=False, fields=self.fields)
        client = Client()
        response = client.get(page.url)
        self.assertContains(response, "Đồng chí có biết chính sách mới không?")
        token = response.context["token"]
        data = step_post("1", {"biet_chinh_sach": "co", "gop_y": "Cần phổ biến"})
        response = client.post(page.url, {**data, "dlxh_token": token})

        submission = FormSubmission.objects.get()
        self.assertEqual(
            submission.answers, {"biet_chinh_sach": "co", "gop_y": "Cần phổ biến"}
        )
        self.assertIsNone(submission.unit)
        self.assertIsNone(submission.submitted_by)
        self.assertEqual(str(submission.idempotency_key), str(token))
        receipt = client.get(response["Location"])
        self.assertContains(receipt, f"DLXH-{submission.pk:06d}")
        self.assertEqual(Client().get(response["Location"]).status_code, 404)

    def test_a_survey_that_needs_a_login_redirects_to_it(self):
        page = make_survey(login_required=True, fields=self.fields)
        response = Client().get(page.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/admin/login/", response["Location"])


class PreviewTests(WizardTestCase):
    def test_the_editors_preview_renders_every_step_of_the_form(self):
        response = self.page.make_preview_request()
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("Bản xem trước", html)
        for name in (
            "1-ho_ten",
            "2-co_vu_viec",
            "2-nhan_dinh__pho_bien",
            "3-dlxh_impact",
        ):
            self.assertIn(f'name="{name}"', html)
        self.assertIn("data-condition=", html)
        self.assertIn("forms_app/conditions.js", html)

    def test_board_staff_preview_the_latest_draft_in_the_admin(self):
        self.login(self.superuser)
        response = self.client.get(f"/admin/pages/{self.page.pk}/view_draft/")
        self.assertContains(response, 'name="1-ho_ten"')
        self.assertContains(response, "Bản xem trước")

    def test_the_thank_you_page_can_be_previewed(self):
        response = self.page.make_preview_request(preview_mode="landing")
        self.assertContains(response, "Cảm ơn đồng chí đã gửi thông tin.")


class LongQuestionnaireTests(BaseTestCase):
    def test_a_questionnaire_with_300_inputs_posts_fine(self):
        fields = [
            {
                "type": "short_text",
                "value": {"label": f"Câu {n}", "key": f"cau_{n}", "required": True},
            }
            for n in range(1, 301)
        ]
        page = make_survey(fields=fields)
        self.login(self.member)
        token = self.client.get(page.url).context["token"]
        answers = {f"cau_{n}": f"Ý kiến số {n}" for n in range(1, 301)}
        response = self.client.post(page.url, step_post("1", answers, token=token))
        self.assertEqual(response.status_code, 302)
        stored = FormSubmission.objects.get().answers
        self.assertEqual(len(stored), 300)
        self.assertEqual(stored["cau_300"], "Ý kiến số 300")


class ConditionsInTheBrowserTests(BrowserTestCase):
    def test_questions_appear_and_disappear_as_answers_change(self):
        form = make_report_template()
        self.log_in(self.owner)
        page = self.page
        page.goto(self.url(form.url))
        page.get_by_label("Họ và tên").fill("Trần Thị Bình")
        page.get_by_label("Số người tham gia").fill("12")
        page.get_by_label("Ngày xảy ra").fill("2026-11-23")
        page.get_by_role("button", name="Tiếp tục").click()
        page.get_by_text("Bước 2/3").wait_for()

        detail = page.get_by_label("Tên vụ việc")
        assert not detail.is_visible()
        page.get_by_role("group", name="Có vụ việc cụ thể không?").get_by_label(
            "Có", exact=True
        ).check()
        assert detail.is_visible()
        page.get_by_role("group", name="Có vụ việc cụ thể không?").get_by_label(
            "Không", exact=True
        ).check()
        assert not detail.is_visible()

        # A question left empty: the summary takes the keyboard to it.
        page.get_by_role("button", name="Tiếp tục").click()
        summary = page.get_by_role("alert")
        summary.get_by_text("Vui lòng sửa các lỗi bên dưới").wait_for()
        summary.get_by_role("link", name="Mức độ quan tâm").click()
        assert page.evaluate("document.activeElement.name") == "2-muc_do_quan_tam"

        page.get_by_label("Nhiều").check()
        page.get_by_role("button", name="Tiếp tục").click()
        page.get_by_text("Bước 3/3").wait_for()
        # The section that depends on step 2's answer stays hidden.
        assert not page.get_by_text("Vụ việc cụ thể").is_visible()
        assert page.get_by_role("heading", name="Đánh giá chung").is_visible()
