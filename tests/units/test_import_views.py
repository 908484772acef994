from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from tests.base import BaseTestCase
from units.models import Membership, Unit

from .workbooks import GOOD_PEOPLE, GOOD_UNITS, PEOPLE_HEADER, UNIT_HEADER, xlsx

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportPageTests:
    """The same checks for both import pages; subclasses name the URLs and sheets."""

    namespace = ""
    header = []
    good_rows = []
    bad_row = []
    bad_row_words = ""
    created = 0

    def count(self):
        raise NotImplementedError

    def url(self, name="import"):
        return reverse(f"{self.namespace}:{name}")

    def test_the_listing_shows_the_import_button_to_the_owner(self):
        self.login(self.owner)

        response = self.client.get(self.url("index"))

        self.assertContains(response, "Nhập từ Excel")
        self.assertContains(response, f'href="{self.url()}"')

    def test_the_owner_can_open_the_import_page(self):
        self.login(self.owner)

        response = self.client.get(self.url())

        self.assertContains(response, "Tải mẫu Excel")
        self.assertContains(response, f'href="{self.url("import_template")}"')
        self.assertContains(response, 'type="file"')
        self.assertContains(response, 'enctype="multipart/form-data"')

    def test_the_owner_can_download_the_template(self):
        self.login(self.owner)

        response = self.client.get(self.url("import_template"))

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], XLSX_TYPE)
        self.assertIn("attachment;", response["Content-Disposition"])
        workbook = load_workbook(BytesIO(response.content))
        headers = [cell.value for cell in workbook.worksheets[0][1]]
        self.assertEqual(headers, self.header)
        self.assertIn("Hướng dẫn", workbook.sheetnames)

    def test_a_good_sheet_imports_and_returns_to_the_listing_with_the_counts(self):
        self.login(self.owner)
        before = self.count()

        response = self.client.post(
            self.url(), {"file": xlsx(self.good_rows)}, follow=True
        )

        self.assertRedirects(response, self.url("index"))
        self.assertContains(response, f"{self.created} tạo mới, 0 cập nhật")
        self.assertEqual(self.count(), before + self.created)

    def test_a_bad_sheet_shows_each_bad_row_and_saves_nothing(self):
        self.login(self.owner)
        before = self.count()
        rows = [*self.good_rows, self.bad_row]

        response = self.client.post(self.url(), {"file": xlsx(rows)})

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "chưa nhập dòng nào")
        self.assertContains(response, 'id="import-errors"')
        self.assertContains(response, f"<td>{len(rows)}</td>")
        self.assertContains(response, self.bad_row_words)
        self.assertEqual(self.count(), before)

    def test_a_file_that_is_not_a_workbook_is_refused_on_the_page(self):
        self.login(self.owner)
        upload = BytesIO(b"ma_don_vi;ten_don_vi")
        upload.name = "danh-sach.csv"

        response = self.client.post(self.url(), {"file": upload})

        self.assertContains(response, "Tệp phải là bảng tính Excel (.xlsx).")

    def test_the_form_asks_for_a_file(self):
        self.login(self.owner)
        before = self.count()

        response = self.client.post(self.url(), {})

        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.count(), before)
        self.assertContains(response, "error-message")

    def test_a_member_is_forbidden(self):
        self.login(self.member)

        self.assertEqual(self.client.get(self.url()).status_code, 403)
        self.assertEqual(self.client.get(self.url("import_template")).status_code, 403)
        upload = {"file": xlsx(self.good_rows)}
        self.assertEqual(self.client.post(self.url(), upload).status_code, 403)

    def test_an_outsider_is_forbidden(self):
        self.login(self.outsider)

        self.assertEqual(self.client.get(self.url()).status_code, 403)
        upload = {"file": xlsx(self.good_rows)}
        self.assertEqual(self.client.post(self.url(), upload).status_code, 403)

    def test_an_anonymous_visitor_is_sent_to_log_in(self):
        response = self.client.get(self.url())

        self.assertRedirects(
            response, f"{reverse('wagtailadmin_login')}?next={self.url()}"
        )


class UnitImportViewTestCase(ImportPageTests, BaseTestCase):
    namespace = "units"
    header = UNIT_HEADER
    good_rows = GOOD_UNITS
    bad_row = ["X99999-UBND", "Ủy ban nhân dân xã X", "Ủy ban nhân dân", "xã", 99999]
    bad_row_words = "Không có xã, phường mã “99999”"
    created = 4

    def count(self):
        return Unit.objects.count()

    def test_the_listing_hides_the_import_button_from_a_viewer(self):
        # Leadership viewers read the registry but may not add to it.
        self.login(self.viewer)

        response = self.client.get(self.url("index"))

        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Nhập từ Excel")


class PeopleImportViewTestCase(ImportPageTests, BaseTestCase):
    namespace = "memberships"
    header = PEOPLE_HEADER
    good_rows = GOOD_PEOPLE
    bad_row = ["x.y", "X Y", "", "X24175-UBND", "Chuyên viên Ban"]
    bad_row_words = "chỉ dành cho cán bộ Ban Tuyên giáo"
    created = 4

    def count(self):
        return Membership.objects.count()
