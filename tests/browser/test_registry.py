from tests.browser.base import BrowserTestCase


class RegistryBrowserTestCase(BrowserTestCase):
    def test_board_staff_log_in_and_open_the_unit_registry(self):
        self.log_in(self.owner)

        self.page.get_by_role("button", name="Tổ chức").click()
        self.page.get_by_role("link", name="Đơn vị", exact=True).click()

        self.page.wait_for_url(self.url("/admin/units/"))
        table = self.page.locator("table.listing")
        assert table.get_by_text("Ban Tuyên giáo và Dân vận Tỉnh ủy").is_visible()
        assert table.get_by_text("Ủy ban nhân dân xã Hòa Phú").is_visible()

        self.page.fill("#id_q", "tan an")  # the listing's own search, not the sidebar's
        self.page.keyboard.press("Enter")
        self.page.wait_for_url("**/admin/units/?q=tan+an*")
        assert table.get_by_text("Ủy ban nhân dân phường Tân An").is_visible()
        assert table.get_by_text("Ủy ban nhân dân xã Hòa Phú").count() == 0
