"""Issue 4 in chromium: a commune unit sends a report, its commune reviewer escalates
it to the Board through Wagtail's workflow action modal, Board staff record a
direction, and the unit reads the direction on its submission's screen."""

import re

from playwright.sync_api import expect

from forms_app.models import FormSubmission
from forms_app.models.review import ReviewStatus
from tests.browser.base import BrowserTestCase
from tests.forms_app.factories import make_report_template
from tests.workflows.helpers import REPORT_FIELDS
from workflows.models import Direction

TITLE = "Báo cáo tuần DLXH"
SUMMARY = "Người dân phản ánh về giá bồi thường đất dự án đường tránh."
REASON = "Liên quan quy hoạch của tỉnh, vượt thẩm quyền của xã."
DIRECTION = "Giao UBND xã tổ chức đối thoại với các hộ dân trước ngày 30/11."


class ReviewBrowserTestCase(BrowserTestCase):
    timeout = 30_000

    def setUp(self):
        super().setUp()
        expect.set_options(timeout=self.timeout)
        self.addCleanup(expect.set_options, timeout=None)
        self.form = make_report_template(title=TITLE, fields=REPORT_FIELDS)

    def test_a_report_is_escalated_by_the_commune_and_directed_by_the_board(self):
        with self.screenshots_on_failure():
            submission = self.send_as_commune_unit()
            self.escalate_as_commune_reviewer(submission)
            self.direct_as_board_staff(submission)
            self.read_direction_as_commune_unit(submission)

    def open_actions(self, page, action):
        """Wagtail's workflow action of `action`, from the editor's action menu;
        the modal it opens."""
        page.get_by_role("button", name="Thao tác khác").click()
        page.get_by_role("button", name=action, exact=True).click()
        dialog = page.get_by_role("dialog")
        expect(dialog.get_by_role("heading", name=action)).to_be_visible()
        return dialog

    def send_as_commune_unit(self):
        page = self.page
        self.log_in(self.member)
        page.goto(self.url(self.form.url))
        page.get_by_label("Tóm tắt nội dung dư luận").fill(SUMMARY)
        page.get_by_role("group", name="Mức độ tác động").get_by_label(
            "Cao", exact=True
        ).check()
        page.get_by_role("group", name="Xu hướng").get_by_label("Gia tăng").check()
        page.get_by_role("group", name="Tính chất").get_by_label("Phức tạp").check()
        page.get_by_label("Kiến nghị, đề xuất").fill("Tổ chức đối thoại.")
        page.get_by_role("button", name="Gửi báo cáo").click()
        page.wait_for_url(re.compile(r"/phieu-da-gui/\d+/"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Đã gửi thành công")
        self.run_jobs()  # the review starts in a job after the commit

        submission = FormSubmission.objects.get()
        self.assertEqual(submission.answers["dlxh_summary"], SUMMARY)
        self.assertEqual(submission.review_status, ReviewStatus.PENDING)
        self.assertFalse(submission.escalated)
        return submission

    def escalate_as_commune_reviewer(self, submission):
        page = self.new_page()
        self.log_in(self.reviewer, page)
        page.get_by_role("link", name="Báo cáo dư luận", exact=True).click()
        page.wait_for_url(self.url("/admin/submissions/"))
        row = page.get_by_role("row").filter(has_text=TITLE)
        expect(row).to_contain_text("Chờ thẩm định")
        row.get_by_role("link", name=re.compile(TITLE)).click()
        page.wait_for_url(self.url(f"/admin/submissions/edit/{submission.pk}/"))
        expect(page.locator("tr[data-key=dlxh_summary]")).to_contain_text(SUMMARY)

        dialog = self.open_actions(page, "Báo cáo lên Ban")
        dialog.get_by_label("Lý do báo cáo lên Ban").select_option(
            label="Vượt thẩm quyền"
        )
        dialog.get_by_label("Bình luận").fill(REASON)
        dialog.get_by_role("button", name="Báo cáo lên Ban").click()
        page.wait_for_url(self.url("/admin/submissions/"))
        expect(row).to_contain_text("Đã báo cáo lên Ban")

        submission.refresh_from_db()
        self.assertTrue(submission.escalated)
        self.assertEqual(submission.escalation_reason, "beyond_authority")
        self.assertEqual(submission.review_status, ReviewStatus.ESCALATED)
        self.assertEqual(submission.current_workflow_task.name, "Ban xem xét, chỉ đạo")

    def direct_as_board_staff(self, submission):
        page = self.new_page()
        self.log_in(self.owner, page)
        page.get_by_role("link", name="Đã báo cáo lên Ban, chờ xem xét: 1").click()
        page.wait_for_url(re.compile(r"/admin/submissions/\?review_status=escalated"))
        page.get_by_role("row").filter(has_text=TITLE).get_by_role(
            "link", name=re.compile(TITLE)
        ).click()
        page.wait_for_url(self.url(f"/admin/submissions/edit/{submission.pk}/"))
        summary = page.locator(".dlxh-summary")
        expect(summary.locator("[data-review-status]")).to_have_text(
            "Đã báo cáo lên Ban"
        )
        expect(summary).to_contain_text("Vượt thẩm quyền")

        dialog = self.open_actions(page, "Chỉ đạo, định hướng")
        dialog.get_by_label("Ý kiến chỉ đạo, định hướng").fill(DIRECTION)
        dialog.get_by_role("button", name="Chỉ đạo, định hướng").click()
        page.wait_for_url(self.url("/admin/submissions/"))

        submission.refresh_from_db()
        self.assertEqual(submission.review_status, ReviewStatus.DIRECTED)
        self.assertFalse(submission.workflow_in_progress)
        direction = Direction.objects.get(submission=submission)
        self.assertEqual((direction.author, direction.text), (self.owner, DIRECTION))

    def read_direction_as_commune_unit(self, submission):
        page = self.page
        page.goto(self.url("/admin/"))
        page.get_by_role("link", name=re.compile("^Có ý kiến chỉ đạo mới")).click()
        page.wait_for_url(self.url(f"/admin/submissions/edit/{submission.pk}/"))
        expect(page.locator("[data-review-status]")).to_have_text("Ban đã chỉ đạo")
        direction = page.locator("[data-direction]")
        expect(direction).to_contain_text(DIRECTION)
        expect(direction).to_contain_text(
            self.owner.get_full_name() or self.owner.username
        )
