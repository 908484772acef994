"""Issue 10 in chromium: on a phone, a commune reporter goes from the front page
to their unit's page, sends the weekly report that is due, sees it listed as
sent with its status, and later the Board's direction, without typing an
address; the Board opens the compliance grid and exports it."""

import re

from playwright.sync_api import expect

from forms_app.models import FormSubmission
from tests.base import PASSWORD
from tests.browser.base import BrowserTestCase
from tests.forms_app.factories import make_report_template
from tests.workflows.helpers import REPORT_FIELDS
from units.choices import Level, UnitKind
from workflows.models import Direction

TITLE = "Báo cáo tuần DLXH"
SUMMARY = "Người dân đồng tình với việc sắp xếp thôn, buôn."
DIRECTION = "Tiếp tục nắm tình hình, báo cáo Ban trước thứ Sáu."


class ReportingCycleBrowserTestCase(BrowserTestCase):
    timeout = 30_000

    def setUp(self):
        super().setUp()
        expect.set_options(timeout=self.timeout)
        self.addCleanup(expect.set_options, timeout=None)
        self.form = make_report_template(
            title=TITLE,
            fields=REPORT_FIELDS,
            audience_levels=[Level.COMMUNE],
            audience_kinds=[UnitKind.PEOPLES_COMMITTEE],
        )

    def test_a_commune_reporter_sends_the_due_report_from_their_page_on_a_phone(self):
        phone = self.browser.new_context(
            locale="vi-VN", viewport={"width": 390, "height": 844}
        )
        phone.set_default_timeout(self.timeout)
        self.other_contexts.append(phone)
        page = phone.new_page()
        with self.screenshots_on_failure():
            # The only address typed is the site's own.
            page.goto(self.url("/"))
            page.get_by_role("link", name="Đăng nhập").first.click()
            page.fill("input[name=username]", self.member.username)
            page.fill("input[name=password]", PASSWORD)
            page.get_by_role("button", name=re.compile("Đăng nhập")).click()
            page.wait_for_url(self.url("/viec-cua-don-vi/"))
            expect(page.get_by_role("heading", level=1)).to_have_text("Việc của đơn vị")

            due = page.locator(".obligation").filter(has_text=TITLE)
            expect(due).to_contain_text("Còn hạn")
            expect(due).to_contain_text("Hạn nộp:")
            due.get_by_role("link", name="Gửi báo cáo").click()
            page.wait_for_url(re.compile(r"/bieu-mau/bao-cao-tuan/\?ky="))
            expect(page.get_by_label("Kỳ báo cáo")).to_be_visible()
            page.get_by_label("Tóm tắt nội dung dư luận").fill(SUMMARY)
            page.get_by_role("group", name="Mức độ tác động").get_by_label(
                "Trung bình"
            ).check()
            page.get_by_role("group", name="Xu hướng").get_by_label("Ổn định").check()
            page.get_by_role("group", name=re.compile("Tính chất")).get_by_label(
                "Bình thường"
            ).check()
            page.get_by_label("Kiến nghị, đề xuất").fill("Không có.")
            page.get_by_role("button", name="Gửi báo cáo").click()
            page.wait_for_url(re.compile(r"/phieu-da-gui/\d+/"))
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "Đã gửi thành công"
            )
            expect(page.locator("[data-lateness]")).to_have_text("nộp đúng hạn")
            self.run_jobs()

            page.get_by_role("link", name="Về trang Việc của đơn vị").click()
            page.wait_for_url(self.url("/viec-cua-don-vi/"))
            sent = page.locator(".sent li").filter(has_text=TITLE)
            expect(sent).to_contain_text("Đúng hạn")
            expect(sent.locator("[data-review-status]")).to_have_text(
                "Tình trạng: Chờ thẩm định"
            )
            expect(page.locator(".obligation").filter(has_text=TITLE)).to_have_count(0)
            self.assertEqual(page.viewport_size["width"], 390)
            no_overflow = page.evaluate(
                "document.documentElement.scrollWidth <= window.innerWidth"
            )
            self.assertTrue(no_overflow, "the unit page scrolls sideways on a phone")

            # The Board directs; the unit reads it on the same page.
            submission = FormSubmission.objects.get(unit=self.hoa_phu_ubnd)
            Direction.record(submission, self.owner, DIRECTION)
            page.get_by_role("link", name="Việc của đơn vị").first.click()
            expect(page.locator(".directions")).to_contain_text(DIRECTION)
            expect(
                page.locator(".sent li")
                .filter(has_text=TITLE)
                .locator("[data-review-status]")
            ).to_have_text("Tình trạng: Ban đã chỉ đạo")

    def test_the_board_opens_the_compliance_grid_and_exports_it(self):
        page = self.page
        with self.screenshots_on_failure():
            self.log_in(self.owner)
            page.get_by_role(
                "link", name="Tình hình nộp báo cáo", exact=True
            ).first.click()
            page.wait_for_url(self.url("/admin/nop-bao-cao/"))
            grid = page.locator("#dlxh-compliance-grid")
            row = grid.locator(f"tr[data-unit='{self.hoa_phu_ubnd.code}']")
            expect(row).to_be_visible()
            expect(row.locator("td[data-state]").last).to_contain_text("○")
            expect(page.locator(".dlxh-legend")).to_contain_text("Chưa nộp, còn hạn")

            page.get_by_role("link", name="Xuất Excel", exact=True).click()
            page.wait_for_url(re.compile(r"/admin/exports/start/compliance_grid/"))
            page.get_by_role("button", name="Bắt đầu xuất").click()
            page.wait_for_url(re.compile(r"/admin/exports/\?moi=\d+"))
            self.run_jobs("exports")
            download = page.locator("[data-field=download]").first
            expect(download).to_be_visible()
            with page.expect_download() as info:
                download.click()
            self.assertTrue(info.value.suggested_filename.startswith("tinh-hinh-nop"))
