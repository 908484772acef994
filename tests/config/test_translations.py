"""The project's catalogue (locale/vi) gives Wagtail's admin the Vietnamese that
Wagtail's own catalogue lacks: screens a reviewer and the Board use every day
show no English labels."""

import json

from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils.translation import trans_real

from tests.base import BaseTestCase
from tests.forms_app.factories import make_report_template, make_submission
from tests.workflows.helpers import REPORT_ANSWERS, REPORT_FIELDS

LC_MESSAGES = settings.LOCALE_PATHS[0] / "vi" / "LC_MESSAGES"

# On every admin screen (skip link, sidebar, keyboard shortcuts dialog).
EVERY_SCREEN = {
    "Skip to main content": "Chuyển đến nội dung chính",
    "Log out": "Đăng xuất",
    "Help": "Trợ giúp",
    "Editor Guide": "Hướng dẫn biên tập",
    "Keyboard shortcuts": "Phím tắt",
    "Toggle sidebar": "Ẩn/hiện thanh bên",
    "Close dialog": "Đóng hộp thoại",
}
DASHBOARD = {"Awaiting your review": "Chờ đồng chí thẩm định"}
INBOX = {
    "Show filters": "Hiện bộ lọc",
    "Bulk actions": "Thao tác hàng loạt",
    "Pagination": "Phân trang",
}
SUBMISSION = {
    "Side panels": "Bảng bên",
    "Toggle side panel": "Ẩn/hiện bảng bên",
}
# What only the Board may do with it.
BOARD_SUBMISSION = {"Save draft": "Lưu bản nháp", "More actions": "Thao tác khác"}
PAGE_EDITOR = {
    "Autosave is paused": "Tự động lưu đang tạm dừng",
    "Toggle preview": "Ẩn/hiện bản xem trước",
    "For search engines": "Cho công cụ tìm kiếm",
}


class CompiledCatalogueTestCase(BaseTestCase):
    def test_the_catalogue_is_compiled_and_up_to_date(self):
        for domain in ("django", "djangojs"):
            po, mo = LC_MESSAGES / f"{domain}.po", LC_MESSAGES / f"{domain}.mo"
            self.assertTrue(
                mo.exists(),
                f"{mo} is missing: the Vietnamese admin needs the compiled catalogue. "
                "Run bin/run --install-only (bin/test does) or "
                "manage.py compilemessages --locale vi --ignore .venv.",
            )
            self.assertGreaterEqual(
                mo.stat().st_mtime,
                po.stat().st_mtime,
                f"{mo} is older than {po}: run bin/run --install-only.",
            )


@override_settings(LANGUAGE_CODE="vi")
class AdminInVietnameseTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        if not (LC_MESSAGES / "django.mo").exists():
            self.fail(
                f"{LC_MESSAGES / 'django.mo'} is missing: run bin/run --install-only "
                "(bin/test does) to compile locale/."
            )
        # Translations are cached per process: read the catalogue as compiled now.
        trans_real._translations.clear()
        trans_real._default = None
        self.page = make_report_template(fields=REPORT_FIELDS)
        # A sensitive report waits for the Board; its commune reviewer sees it too.
        self.submission = make_submission(
            self.page,
            unit=self.hoa_phu_ubnd,
            user=self.member,
            answers={**REPORT_ANSWERS, "dlxh_sensitivity": "sensitive"},
        )
        self.submission.start_review(self.member)

    def assertInVietnamese(self, response, strings):
        """Each label is there in Vietnamese (in HTML, or in the sidebar's JSON)
        and its English original is gone."""
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        for english, vietnamese in strings.items():
            with self.subTest(english=english):
                escaped = json.dumps(vietnamese)[1:-1]
                self.assertTrue(
                    vietnamese in html or escaped in html,
                    f"{vietnamese!r} (for {english!r}) is not on {response.request}",
                )
                self.assertNotIn(english, html)

    def screens(self):
        edit = reverse("submissions:edit", args=[self.submission.pk])
        history = reverse("submissions:workflow_history", args=[self.submission.pk])
        return [
            (reverse("wagtailadmin_home"), {**EVERY_SCREEN, **DASHBOARD}),
            (reverse("submissions:list"), {**EVERY_SCREEN, **INBOX}),
            (edit, {**EVERY_SCREEN, **SUBMISSION}),
            (history, EVERY_SCREEN),
            (reverse("exports:list"), EVERY_SCREEN),
            (
                reverse("wagtailadmin_account"),
                {"Theme preferences": "Tùy chọn giao diện"},
            ),
        ]

    def test_a_commune_reviewer_sees_the_admin_in_vietnamese(self):
        self.login(self.reviewer)
        for url, strings in self.screens():
            self.assertInVietnamese(self.client.get(url), strings)

    def test_the_board_sees_the_admin_in_vietnamese(self):
        self.login(self.owner)
        screens = [
            *self.screens(),
            (reverse("wagtailadmin_home"), {"Site summary": "Tổng quan hệ thống"}),
            (reverse("submissions:edit", args=[self.submission.pk]), BOARD_SUBMISSION),
            (reverse("wagtailadmin_pages:edit", args=[self.page.pk]), PAGE_EDITOR),
        ]
        for url, strings in screens:
            self.assertInVietnamese(self.client.get(url), strings)

    def test_settings_workflows_are_in_vietnamese(self):
        self.login(self.superuser)
        response = self.client.get(reverse("wagtailadmin_workflows:index"))
        self.assertInVietnamese(response, {"Show disabled": "Hiện cả mục đã tắt"})

    def test_the_login_page_is_in_vietnamese(self):
        response = self.client.get(reverse("wagtailadmin_login"))
        self.assertInVietnamese(
            response,
            {
                "Sign in to Wagtail": "Đăng nhập trang quản trị",
                "Forgotten password?": "Quên mật khẩu?",
                "Remember me": "Ghi nhớ đăng nhập",
            },
        )

    def test_the_admin_javascript_strings_are_in_vietnamese(self):
        self.login(self.reviewer)
        response = self.client.get(reverse("wagtailadmin_javascript_catalog"))
        self.assertContains(response, json.dumps("Thu gọn tất cả")[1:-1])
        self.assertContains(response, json.dumps("Trình đơn chính")[1:-1])
