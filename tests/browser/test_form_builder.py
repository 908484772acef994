"""Issue 3 in chromium: Board staff build a weekly report in Wagtail's page editor,
one block of every type and a condition; a Board leader approves it; a commune unit
fills it in, corrects a mistake the form points out, and sends it."""

import re

from django.test import override_settings
from playwright.sync_api import expect

from forms_app.models import FormsIndexPage, FormSubmission, ReportTemplatePage
from tests.browser.base import BrowserTestCase

TITLE = "Báo cáo tuần tình hình dư luận xã hội"

# The block types of the stream, in the order the test adds them.
EVERY_BLOCK_TYPE = [
    "heading",
    "instructions",
    "short_text",
    "long_text",
    "number",
    "date",
    "datetime",
    "email",
    "phone",
    "page_break",
    "single_choice",
    "multiple_choice",
    "yes_no",
    "short_text",
    "rating",
    "likert_matrix",
    "locality",
    "file",
    "page_break",
    "dlxh_category",
    "dlxh_impact",
    "dlxh_trend",
    "dlxh_recommendations",
]

# What the commune sends, stored by the keys generated from the labels.
EXPECTED_ANSWERS = {
    "ho_va_ten": "Nguyễn Văn An",
    "so_nguoi_tham_gia": 42,
    "ngay_xay_ra": "2026-11-23",
    "so_dien_thoai": "0912345678",
    "muc_do_quan_tam": "nhieu",
    "kenh_tiep_nhan": ["mang_xa_hoi"],
    "co_vu_viec": "yes",
    "ten_vu_viec": "Giải phóng mặt bằng thôn 3",
    "muc_do_hai_long": 4,
    "xa_phuong_lien_quan": "24175",
    "dlxh_category": "issue_of_concern",
    "dlxh_impact": "high",
    "dlxh_trend": "rising",
    "dlxh_recommendations": "Tổ chức đối thoại với người dân trước ngày 30/11.",
}


def labelled(scope, label):
    """The input labelled exactly `label`; Wagtail marks a required one with "*"
    (and labels its panels with their headings, hence the filter on inputs)."""
    pattern = re.compile(rf"^\s*{re.escape(label)}\*?\s*$", re.IGNORECASE)
    return scope.get_by_label(pattern).and_(scope.locator("input, select, textarea"))


class QuestionsEditor:
    """The "Câu hỏi" StreamField of the page editor, used as a person uses it:
    the "+" at the end of the stream, then a block type from the chooser."""

    def __init__(self, page):
        self.page = page
        self.panel = page.get_by_role("region", name="Câu hỏi", exact=True)
        self.blocks = self.panel.locator(
            "[data-streamfield-stream-container] > [data-streamfield-child]"
        )

    def add(self, block_label):
        """Append a block of the type labelled `block_label`; its locator."""
        count = self.blocks.count()
        self.panel.get_by_role("button", name="Chèn một khối").last.click()
        self.page.get_by_role("option", name=block_label, exact=True).click()
        # Wait for the new block before filling it, or a fill lands in the last one.
        expect(self.blocks).to_have_count(count + 1)
        block = self.blocks.nth(count)
        expect(block.locator(".c-sf-block__type").first).to_have_text(block_label)
        return block

    def question(self, block_label, label, *, required=False, key=""):
        block = self.add(block_label)
        labelled(block, "nhãn câu hỏi").fill(label)
        if key:
            labelled(block, "mã trường").fill(key)
        if required:
            labelled(block, "bắt buộc").check()
        return block

    def choice_question(self, block_label, label, choice, **kwargs):
        block = self.question(block_label, label, **kwargs)
        labelled(block, "nhãn").fill(choice)  # the first item of the list
        return block

    def page_break(self, next_step_title):
        labelled(self.add("Ngắt trang"), "tên bước tiếp theo").fill(next_step_title)


# Wagtail 8 autosaves the editor every half second; a draft saved while blocks are
# being added would race the test's own clicks. People get the same result with or
# without it: this test saves once, by submitting for approval.
@override_settings(WAGTAIL_AUTOSAVE_INTERVAL=0)
class FormBuilderBrowserTestCase(BrowserTestCase):
    timeout = 30_000

    def setUp(self):
        super().setUp()
        expect.set_options(timeout=self.timeout)
        self.addCleanup(expect.set_options, timeout=None)
        self.index = FormsIndexPage.objects.get()

    def test_staff_build_a_report_a_leader_approves_it_and_a_commune_sends_it(self):
        with self.screenshots_on_failure():
            template = self.build_and_submit_for_approval()
            self.approve_as_board_leader(template)
            self.send_as_commune_unit(template)

    def build_and_submit_for_approval(self):
        page = self.page
        self.log_in(self.owner)
        page.goto(self.url(f"/admin/pages/{self.index.pk}/add_subpage/"))
        page.get_by_role("link", name="Mẫu báo cáo", exact=True).click()
        page.wait_for_url(re.compile(r"/admin/pages/add/forms_app/reporttemplatepage/"))
        labelled(page, "Tiêu đề").fill(TITLE)

        questions = QuestionsEditor(page)
        labelled(questions.add("Tiêu đề phần"), "tiêu đề phần").fill("Người báo cáo")
        questions.add("Đoạn hướng dẫn").get_by_role("textbox").fill(
            "Điền đầy đủ thông tin trước 16 giờ thứ Sáu."
        )
        questions.question("Văn bản ngắn", "Họ và tên", required=True)
        questions.question("Văn bản dài", "Ghi chú")
        questions.question("Số", "Số người tham gia", required=True)
        questions.question("Ngày", "Ngày xảy ra")
        questions.question("Ngày giờ", "Thời điểm ghi nhận")
        questions.question("Thư điện tử", "Thư điện tử")
        questions.question("Số điện thoại", "Số điện thoại")
        questions.page_break("Diễn biến")
        questions.choice_question("Chọn một", "Mức độ quan tâm", "Nhiều", required=True)
        questions.choice_question("Chọn nhiều", "Kênh tiếp nhận", "Mạng xã hội")
        questions.question(
            "Có / Không", "Có vụ việc cụ thể không?", required=True, key="co_vu_viec"
        )
        # Shown only when the yes/no above is answered "yes".
        incident = questions.question("Văn bản ngắn", "Tên vụ việc", required=True)
        incident.get_by_role("region", name="Điều kiện hiển thị").get_by_role(
            "button", name="Thu gọn/mở rộng mục"
        ).click()
        labelled(incident, "chỉ hiện khi trường (mã)").fill("co_vu_viec")
        labelled(incident, "giá trị").fill("yes")
        questions.question("Thang đánh giá (Likert)", "Mức độ hài lòng")
        questions.choice_question(
            "Ma trận Likert", "Đánh giá các nhận định", "Người dân đồng tình"
        )
        questions.question("Địa bàn (xã, phường)", "Xã, phường liên quan")
        questions.question("Tệp đính kèm", "Tài liệu kèm theo")
        questions.page_break("Đánh giá")
        for standard_block in (
            "DLXH: Nhóm nội dung",
            "DLXH: Mức độ tác động",
            "DLXH: Xu hướng",
            "DLXH: Kiến nghị, đề xuất",
        ):
            questions.add(standard_block)

        page.get_by_role("tab", name="Thiết lập biểu mẫu").click()
        labelled(page, "Kỳ báo cáo").select_option(label="Hằng tuần")

        page.get_by_role("button", name="Thao tác khác").click()
        page.get_by_role("button", name=re.compile("Phê duyệt biểu mẫu")).click()
        page.wait_for_url(self.url(f"/admin/pages/{self.index.pk}/"))

        template = ReportTemplatePage.objects.get(title=TITLE)
        self.assertFalse(template.live)
        state = template.current_workflow_state
        self.assertEqual(state.workflow.name, "Phê duyệt biểu mẫu")
        self.assertEqual(state.requested_by, self.owner)
        draft = template.get_latest_revision_as_object()
        self.assertEqual(draft.period_type, "weekly")
        self.assertEqual([block.block_type for block in draft.fields], EVERY_BLOCK_TYPE)
        incident = next(b for b in draft.fields if b.value.get("key") == "ten_vu_viec")
        self.assertEqual(
            dict(incident.value["condition"]),
            {"field_key": "co_vu_viec", "operator": "equals", "value": "yes"},
        )
        return template

    def approve_as_board_leader(self, template):
        page = self.new_page()
        self.log_in(self.leader, page)
        awaiting = page.locator("#awaiting-review-section")
        awaiting.get_by_role("link", name=TITLE, exact=True).click()
        page.wait_for_url(self.url(f"/admin/pages/{template.pk}/edit/"))
        page.get_by_role("button", name="Thao tác khác").click()
        page.get_by_role("button", name="Phê chuẩn và xuất bản", exact=True).click()
        page.wait_for_url(self.url(f"/admin/pages/{self.index.pk}/"))

        template.refresh_from_db()
        self.assertTrue(template.live)
        self.assertFalse(template.workflow_in_progress)

    def send_as_commune_unit(self, template):
        page = self.new_page()
        self.log_in(self.member, page)
        page.goto(self.url(self.index.url))
        page.get_by_role("link", name=TITLE).click()
        page.get_by_text("Bước 1/3").wait_for()

        # The name is left out and the phone number is too short.
        page.get_by_label("Số người tham gia").fill("42")
        page.get_by_label("Ngày xảy ra").fill("2026-11-23")
        page.get_by_label("Số điện thoại").fill("12345")
        page.get_by_role("button", name="Tiếp tục").click()
        summary = page.get_by_role("alert")
        expect(summary).to_contain_text("Vui lòng sửa các lỗi bên dưới")
        expect(page.get_by_text("Bước 1/3")).to_be_visible()
        name, phone = page.get_by_label("Họ và tên"), page.get_by_label("Số điện thoại")
        expect(name).to_have_accessible_description("Trường này là bắt buộc.")
        expect(phone).to_have_accessible_description(
            "Số điện thoại gồm 10–11 chữ số, bắt đầu bằng 0 hoặc +84."
        )
        expect(page.locator("[data-field=so_dien_thoai] .errorlist")).to_be_visible()
        expect(page.get_by_label("Số người tham gia")).to_have_value("42")

        name.fill("Nguyễn Văn An")
        phone.fill("0912345678")
        page.get_by_role("button", name="Tiếp tục").click()
        page.get_by_text("Bước 2/3").wait_for()

        incident = page.get_by_label("Tên vụ việc")
        expect(incident).to_be_hidden()
        page.get_by_role("group", name="Có vụ việc cụ thể không?").get_by_label(
            "Có", exact=True
        ).check()
        expect(incident).to_be_visible()
        incident.fill("Giải phóng mặt bằng thôn 3")
        page.get_by_label("Nhiều").check()
        page.get_by_label("Mạng xã hội").check()
        # Screen readers hear the scale's end labels on its ends only.
        rating = page.get_by_role("group", name="Mức độ hài lòng")
        expect(rating.get_by_role("radio")).to_have_count(5)
        for end in ("1 (Rất không đồng ý)", "5 (Rất đồng ý)"):
            expect(rating.get_by_role("radio", name=end)).to_be_attached()
        rating.get_by_role("radio", name="4", exact=True).check()
        page.get_by_label("Xã, phường liên quan").select_option(label="Xã Hòa Phú")
        page.get_by_role("button", name="Tiếp tục").click()
        page.get_by_text("Bước 3/3").wait_for()

        page.get_by_role("group", name="Nhóm nội dung dư luận").get_by_label(
            "Vấn đề Nhân dân quan tâm"
        ).check()
        page.get_by_role("group", name="Mức độ tác động").get_by_label(
            "Cao", exact=True
        ).check()
        page.get_by_role("group", name="Xu hướng").get_by_label("Gia tăng").check()
        page.get_by_label("Kiến nghị, đề xuất").fill(
            EXPECTED_ANSWERS["dlxh_recommendations"]
        )
        page.get_by_role("button", name="Gửi báo cáo").click()
        page.wait_for_url(re.compile(r"/phieu-da-gui/\d+/"))

        submission = FormSubmission.objects.get()
        expect(page.get_by_role("heading", level=1)).to_have_text("Đã gửi thành công")
        expect(page.get_by_role("status")).to_contain_text(
            "Cảm ơn đồng chí đã gửi thông tin."
        )
        expect(page.get_by_text(f"DLXH-{submission.pk:06d}")).to_be_visible()
        expect(page.get_by_text("Giải phóng mặt bằng thôn 3")).to_be_visible()

        self.assertEqual(submission.answers, EXPECTED_ANSWERS)
        template.refresh_from_db()
        self.assertEqual(submission.page_revision, template.live_revision)
        self.assertEqual(submission.unit, self.hoa_phu_ubnd)
        self.assertEqual(submission.submitted_by, self.member)
        self.assertEqual(submission.period, template.get_period().key)
        self.assertEqual(submission.impact, "high")
