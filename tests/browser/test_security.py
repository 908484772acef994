"""In chromium: a Board leader sets up two-factor sign-in with a TOTP code and
signs in again with the next one; the pages involved run under the CSP."""

import re

import pyotp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.base import PASSWORD
from tests.browser.base import BrowserTestCase
from tests.two_factor import totp_code


class TwoFactorBrowserTestCase(BrowserTestCase):
    def sign_in_with_password(self, page):
        page.goto(self.url("/admin/login/"))
        page.fill("input[name=username]", self.leader.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")

    def test_a_board_leader_signs_in_with_a_totp_code(self):
        page = self.page
        with self.screenshots_on_failure():
            self.sign_in_with_password(page)
            page.wait_for_url(re.compile(r"/admin/hai-buoc/thiet-lap/"))
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "Thiết lập xác thực hai bước"
            )
            expect(page.locator("[data-two-factor-qr] svg")).to_be_visible()
            secret = page.locator("[data-two-factor-secret]").inner_text()
            page.get_by_label("Mã xác thực (6 chữ số)").fill(
                pyotp.TOTP(secret.replace(" ", "")).now()
            )
            page.get_by_role("button", name="Xác nhận và đăng nhập").click()
            page.wait_for_url(self.url("/admin/"))
            expect(page.get_by_role("link", name="Báo cáo dư luận")).to_be_visible()

            # Next time: the password, then the code of the app.
            other = self.new_page()
            self.sign_in_with_password(other)
            other.wait_for_url(re.compile(r"/admin/hai-buoc/\?"))
            other.get_by_label("Mã xác thực (6 chữ số)").fill("000000")
            other.get_by_role("button", name="Xác nhận").click()
            expect(other.get_by_role("alert")).to_contain_text("Mã xác thực không đúng")
            other.wait_for_timeout(1100)  # django-otp waits after a wrong code
            device = TOTPDevice.objects.get(user=self.leader)
            other.get_by_label("Mã xác thực (6 chữ số)").fill(totp_code(device))
            other.get_by_role("button", name="Xác nhận").click()
            other.wait_for_url(self.url("/admin/"))
            other.goto(self.url("/admin/access_audit/"))
            expect(other.get_by_role("heading", level=1)).to_contain_text(
                "Nhật ký truy cập"
            )
