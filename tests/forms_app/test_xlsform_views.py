"""Admin pages: "Nhập XLSForm" and "Tải XLSForm", for the owner, a member and an
outsider (healthchecks' trio), and the superuser."""

from io import BytesIO

from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import GroupPagePermission

from forms_app.models import SurveyPage
from tests.base import BaseTestCase

from .factories import get_forms_index, make_survey
from .xlsforms import CHOICES, SETTINGS, WELL_FORMED, q, xlsform

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(content, name="khao-sat.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX_TYPE)


class XlsformViewTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.index = get_forms_index()
        # The forms index migration grants Board staff their page permissions;
        # granting them here as well keeps these tests about this feature only.
        group = cls.owner.groups.get()
        for codename in ("add_page", "change_page"):
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=cls.index,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
        cls.survey = make_survey()

    import_url = reverse("forms_app_xlsform:import")

    def export_url(self, page=None):
        return reverse("forms_app_xlsform:export", args=[(page or self.survey).pk])

    def post_import(self, content, name="khao-sat.xlsx"):
        return self.client.post(
            self.import_url, {"parent": self.index.pk, "file": upload(content, name)}
        )

    # Import

    def test_owner_sees_the_upload_form_with_the_index_preselected(self):
        self.login(self.owner)

        response = self.client.get(f"{self.import_url}?parent={self.index.pk}")

        self.assertContains(response, "Nhập XLSForm")
        self.assertContains(response, 'type="file"')
        self.assertContains(response, 'enctype="multipart/form-data"')
        self.assertContains(
            response, f'<option value="{self.index.pk}" selected>{self.index.title}'
        )

    def test_owner_imports_a_draft_and_lands_in_its_editor(self):
        self.login(self.owner)

        response = self.post_import(xlsform(WELL_FORMED, CHOICES, SETTINGS))

        page = SurveyPage.objects.get(slug="khao_sat_dat_dai")
        self.assertRedirects(
            response, reverse("wagtailadmin_pages:edit", args=[page.pk])
        )
        self.assertFalse(page.live)
        self.assertEqual(page.get_parent().pk, self.index.pk)
        shown = [str(m) for m in get_messages(response.wsgi_request)]
        self.assertIn("Đã tạo phiếu khảo sát nháp", shown[0])
        self.assertIn("Dòng 16: kiểu câu hỏi “geopoint” chưa được hỗ trợ", shown[1])
        self.assertEqual(self.client.get(response.url).status_code, 200)

    def test_a_malformed_workbook_shows_its_rows_and_creates_nothing(self):
        self.login(self.owner)
        before = SurveyPage.objects.count()
        survey = [
            q("text", "a", "A"),
            q("select_one khong_co", "b", "B"),
            q("text", "a", "C"),
            q("begin group", "g", "G"),
        ]

        response = self.post_import(xlsform(survey, CHOICES))

        self.assertEqual(response.status_code, 200)
        self.assertEqual(SurveyPage.objects.count(), before)
        self.assertContains(response, 'id="xlsform-errors"')
        self.assertContains(response, "Danh sách lựa chọn “khong_co” không có")
        self.assertContains(response, "Tên “a” trùng với dòng 2")
        self.assertContains(response, "“begin group” “g” không có “end group”")

    def test_a_file_that_is_not_xlsx_is_refused(self):
        self.login(self.owner)

        response = self.post_import(b"%PDF-1.4", "khao-sat.pdf")

        self.assertContains(response, "không phải bảng tính Excel .xlsx")
        self.assertFalse(SurveyPage.objects.exclude(pk=self.survey.pk).exists())

    def test_member_and_outsider_get_403(self):
        for user in (self.member, self.outsider):
            with self.subTest(user=user.username):
                self.login(user)

                self.assertEqual(self.client.get(self.import_url).status_code, 403)
                response = self.post_import(xlsform(WELL_FORMED, CHOICES, SETTINGS))
                self.assertEqual(response.status_code, 403)
        self.assertFalse(SurveyPage.objects.filter(slug="khao_sat_dat_dai").exists())

    def test_a_parent_the_user_may_not_add_to_is_refused(self):
        self.login(self.owner)
        # Board staff have page permissions on the forms index, not above it.
        home = self.index.get_parent()

        response = self.client.post(
            self.import_url,
            {"parent": home.pk, "file": upload(xlsform([q("text", "a", "A")]))},
        )

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Hãy chọn một lựa chọn hợp lệ")
        self.assertEqual(SurveyPage.objects.count(), 1)

    def test_superuser_may_import(self):
        self.login(self.superuser)

        response = self.post_import(xlsform([q("text", "a", "A")]))

        self.assertEqual(response.status_code, 302)

    # Export

    def test_owner_downloads_the_form_as_xlsform(self):
        self.login(self.owner)

        response = self.client.get(self.export_url())

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], XLSX_TYPE)
        self.assertIn('filename="khao-sat.xlsx"', response["Content-Disposition"])
        book = load_workbook(BytesIO(response.content))
        self.assertEqual(book.sheetnames, ["survey", "choices", "settings"])

    def test_member_and_outsider_cannot_download(self):
        for user in (self.member, self.outsider):
            with self.subTest(user=user.username):
                self.login(user)

                self.assertEqual(self.client.get(self.export_url()).status_code, 403)

    def test_export_of_a_page_that_is_not_a_form_is_404(self):
        self.login(self.superuser)

        response = self.client.get(self.export_url(self.index))

        self.assertEqual(response.status_code, 404)

    # Buttons and menu

    def test_the_index_listing_offers_import_and_export(self):
        self.login(self.owner)

        response = self.client.get(
            reverse("wagtailadmin_explore", args=[self.index.pk])
        )

        self.assertContains(response, "Nhập XLSForm")
        self.assertContains(response, f"{self.import_url}?parent={self.index.pk}")
        self.assertContains(response, "Tải XLSForm")
        self.assertContains(response, self.export_url())

    def test_the_menu_shows_the_import_to_those_who_may_import(self):
        # The sidebar is drawn from JSON: look for the menu item's name.
        self.login(self.owner)
        home = self.client.get(reverse("wagtailadmin_home")).content.decode()
        self.assertTrue('"xlsform-import"' in home)
        self.login(self.member)
        home = self.client.get(reverse("wagtailadmin_home")).content.decode()
        self.assertFalse('"xlsform-import"' in home)
