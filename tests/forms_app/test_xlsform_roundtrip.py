"""XLSForm round trip: builder → XLSForm → builder keeps keys, types and
conditions; the export is valid for pyxform; the import_xlsform command."""

from io import BytesIO, StringIO
from pathlib import Path
from tempfile import TemporaryDirectory

from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from forms_app.models import FormsIndexPage, SurveyPage
from forms_app.xlsform import create_draft, workbook_for
from tests.base import BaseTestCase

from .factories import get_forms_index, make_report_template
from .xlsforms import CHOICES, SETTINGS, WELL_FORMED, q, summary, xlsform


class RoundTripTests(BaseTestCase):
    """Builder → XLSForm → builder keeps keys, types and conditions."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.index = get_forms_index()

    def round_trip(self, page):
        buffer = BytesIO()
        workbook_for(page).save(buffer)
        report, copy = create_draft(self.index, BytesIO(buffer.getvalue()), self.owner)
        self.assertEqual([str(e) for e in report.errors], [])
        return report, SurveyPage.objects.get(pk=copy.pk), buffer.getvalue()

    def test_every_field_type(self):
        page = make_report_template()

        report, copy, _content = self.round_trip(page)

        self.assertEqual(summary(copy.fields), summary(page.fields))
        self.assertEqual(copy.title, page.title)
        self.assertEqual(
            [str(w) for w in report.warnings],
            [
                "Đường dẫn “bao-cao-tuan” đã có trong thư mục này; "
                "dùng “bao-cao-tuan-2”."
            ],
        )
        original = {c.value.get("key"): c.value for c in page.fields}
        for child in copy.fields:
            value = child.value
            if child.block_type in ("single_choice", "multiple_choice"):
                self.assertEqual(
                    [(c["key"], c["label"]) for c in value["choices"]],
                    [(c["key"], c["label"]) for c in original[value["key"]]["choices"]],
                )
            if child.block_type == "likert_matrix":
                self.assertEqual(
                    [s["key"] for s in value["statements"]], ["pho_bien", "dong_tinh"]
                )
        self.assertEqual(titles(copy), titles(page))
        self.assertEqual(
            [step.title for step in copy.get_steps()],
            [step.title for step in page.get_steps()],
        )

    def test_every_operator_and_block_option(self):
        fields = [
            _f("number", "Tuổi", "tuoi", min_value=18, max_value=99),
            _f("number", "Thu nhập", "thu_nhap", decimal_places=2),
            _f(
                "short_text", "Mã", "ma", pattern="^[A-Z]{3}$", pattern_message="Ba chữ"
            ),
            _f(
                "multiple_choice",
                "Kênh",
                "kenh",
                choices=[
                    {"label": "Báo", "key": "bao"},
                    {"label": "Mạng", "key": "mang"},
                ],
                condition={"field_key": "tuoi", "operator": "at_least", "value": "30"},
            ),
            _f(
                "single_choice",
                "Nhóm",
                "nhom",
                display="dropdown",
                choices=[{"label": "A", "key": "a"}, {"label": "B", "key": "b"}],
                condition={"field_key": "kenh", "operator": "contains", "value": "bao"},
            ),
            _f(
                "long_text",
                "Ý kiến",
                "y_kien",
                condition={"field_key": "nhom", "operator": "one_of", "value": "a,b"},
            ),
            _f(
                "rating",
                "Hài lòng",
                "hai_long",
                scale="7",
                low_label="Rất tệ",
                high_label="Rất tốt",
                condition={
                    "field_key": "kenh",
                    "operator": "one_of",
                    "value": "bao,mang",
                },
            ),
            _f(
                "date",
                "Ngày",
                "ngay",
                condition={"field_key": "ma", "operator": "contains", "value": "AB"},
            ),
        ]
        page = SurveyPage(
            title="Đủ phép so sánh", slug="du-phep", period_type="ad_hoc", fields=fields
        )
        self.index.add_child(instance=page)

        report, copy, _content = self.round_trip(page)

        self.assertEqual(summary(copy.fields), summary(page.fields))
        self.assertEqual(
            [str(w) for w in report.warnings],
            ["Đường dẫn “du-phep” đã có trong thư mục này; dùng “du-phep-2”."],
        )
        values = {c.value["key"]: c.value for c in copy.fields}
        self.assertEqual(
            (values["tuoi"]["min_value"], values["tuoi"]["max_value"]), (18, 99)
        )
        self.assertEqual(values["thu_nhap"]["decimal_places"], 2)
        self.assertEqual(values["ma"]["pattern"], "^[A-Z]{3}$")
        self.assertEqual(values["ma"]["pattern_message"], "Ba chữ")
        self.assertEqual(values["nhom"]["display"], "dropdown")
        self.assertEqual(
            (
                values["hai_long"]["scale"],
                values["hai_long"]["low_label"],
                values["hai_long"]["high_label"],
            ),
            ("7", "Rất tệ", "Rất tốt"),
        )

    def test_export_sheets(self):
        make_report_template()
        page = FormsIndexPage.objects.first().get_children().specific().first()

        book = load_workbook(BytesIO(self.round_trip(page)[2]))

        self.assertEqual(book.sheetnames, ["survey", "choices", "settings"])
        survey = list(book["survey"].iter_rows(values_only=True))
        self.assertEqual(survey[0][:3], ("type", "name", "label"))
        rows = {row[1]: row for row in survey[1:] if row[1]}
        self.assertEqual(rows["nguoi_bao_cao"][0], "begin group")
        self.assertEqual(rows["so_nguoi"][0], "integer")
        self.assertEqual(rows["so_nguoi"][7], ". >= 0")
        self.assertEqual(rows["chi_tiet_vu_viec"][5], "${co_vu_viec} = 'yes'")
        self.assertEqual(rows["dlxh_impact"][0], "select_one dlxh_impact")
        self.assertEqual(rows["xa_phuong"][0], "select_one dlxh_communes")
        self.assertEqual(rows["nhan_dinh__pho_bien"][0], "select_one nhan_dinh")
        self.assertEqual(rows["buoc_2"][6], "field-list")
        choices = list(book["choices"].iter_rows(values_only=True))
        self.assertIn(("dlxh_impact", "high", "Cao"), choices)
        self.assertIn(("dlxh_communes", "24175", "Xã Hòa Phú"), choices)
        self.assertIn(("yes_no", "yes", "Có"), choices)
        settings = list(book["settings"].iter_rows(values_only=True))
        self.assertEqual(settings[1][:2], ("Báo cáo tuần DLXH", "bao-cao-tuan"))


def titles(page):
    return [
        (child.block_type, child.value["title"])
        for child in page.fields
        if child.block_type in ("heading", "page_break")
    ]


def _f(block_type, label, key, **value):
    return {"type": block_type, "value": {"label": label, "key": key, **value}}


class CommandTests(BaseTestCase):
    def test_import_xlsform_creates_a_draft_or_lists_errors(self):
        get_forms_index()
        with TemporaryDirectory() as folder:
            good = Path(folder) / "phieu.xlsx"
            good.write_bytes(xlsform(WELL_FORMED, CHOICES, SETTINGS))
            bad = Path(folder) / "loi.xlsx"
            bad.write_bytes(xlsform([q("text", "a", "A"), q("end group", None)]))
            out, err = StringIO(), StringIO()

            call_command(
                "import_xlsform", str(good), user="canbo.ban", stdout=out, stderr=err
            )
            with self.assertRaises(CommandError):
                call_command("import_xlsform", str(bad), user="canbo.ban", stderr=err)

        self.assertIn("Đã tạo phiếu khảo sát nháp", out.getvalue())
        self.assertIn("Cảnh báo: Dòng 16", err.getvalue())
        self.assertIn("Lỗi: Dòng 3: “end group” không có", err.getvalue())
        self.assertFalse(SurveyPage.objects.get(slug="khao_sat_dat_dai").live)


class PyxformTests(BaseTestCase):
    """The export is a valid XLSForm: pyxform turns it into an ODK XForm."""

    def test_pyxform_converts_the_export(self):
        page = make_report_template()
        buffer = BytesIO()
        workbook_for(page).save(buffer)
        warnings = []

        result = convert(buffer.getvalue(), warnings=warnings, file_type=".xlsx")

        self.assertIn("<h:title>Báo cáo tuần DLXH</h:title>", result.xform)
        self.assertIn('nodeset="/data/nguoi_bao_cao/ho_ten"', result.xform)
        self.assertEqual(warnings, [])
