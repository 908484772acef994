"""The writer: real Excel types, safe text, marking, and both engines alike."""

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path
from tempfile import TemporaryDirectory
from zoneinfo import ZoneInfo

from django.test import SimpleTestCase, override_settings
from openpyxl import load_workbook

from exports.exporters.base import Chart, Column, Link, Sheet
from exports.fast_rows import FastRowsEngine
from exports.openpyxl_engine import TEXT_LIMIT, OpenpyxlEngine
from exports.writer import choose_engine, write_workbook

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
COLUMNS = [
    Column("Nội dung", 30),
    Column("Số người", 10),
    Column("Tỷ lệ", 10, number_format="0.00"),
    Column("Ngày", 12),
    Column("Thời điểm", 17),
    Column("Tệp", 20),
    Column("Có/Không", 8),
]
NOW_UTC = dt.datetime(2026, 11, 23, 1, 30, tzinfo=dt.UTC)
ROWS = [
    [
        "Người dân Hòa Phú kiến nghị",
        42,
        Decimal("12.50"),
        dt.date(2026, 11, 23),
        NOW_UTC,
        Link("https://dlxh.example.vn/admin/exports/attachments/1/tai_lieu/", "bb.pdf"),
        True,
    ],
    ['=HYPERLINK("http://evil","bấm")', 0, 1.5, None, None, None, False],
    ["+84 912", -3, None, None, None, None, None],
    ["-giảm", None, None, None, None, None, None],
    ["@SUM(A1)", None, None, None, None, None, None],
    ["\tthụt đầu dòng", None, None, None, None, None, None],
    ["\rxuống dòng", None, None, None, None, None, None],
    ["x" * 100_000, None, None, None, None, None, None],
    ["điều\x00khiển\x07\x1b và \ud800 lẻ \uffff", None, None, None, None, None, None],
    ["", float("nan"), Decimal("Infinity"), None, None, None, None],
]


def make_sheet(**kwargs):
    defaults = {"name": "Dữ liệu", "columns": COLUMNS, "rows": lambda: iter(ROWS)}
    defaults.update(kwargs)
    return Sheet(**defaults)


class WriterTestCase(SimpleTestCase):
    engine = OpenpyxlEngine

    def setUp(self):
        self.tmp = TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def write(self, sheets, classification=0, **kwargs):
        path = Path(self.tmp.name) / f"{self.engine.name}.xlsx"
        rows = write_workbook(
            path,
            sheets,
            title="Báo cáo tuần DLXH",
            author="Ban Tuyên giáo và Dân vận Tỉnh ủy",
            classification=classification,
            engine=self.engine,
            **kwargs,
        )
        return rows, load_workbook(path)

    def test_headers_values_and_types(self):
        rows, workbook = self.write([make_sheet()])
        sheet = workbook["Dữ liệu"]
        self.assertEqual(rows, len(ROWS))
        self.assertEqual([c.value for c in sheet[1]], [str(c.header) for c in COLUMNS])
        first = sheet[2]
        self.assertEqual(first[0].value, "Người dân Hòa Phú kiến nghị")
        self.assertEqual((first[1].value, first[1].data_type), (42, "n"))
        self.assertEqual(first[2].value, 12.5)
        self.assertEqual(first[2].number_format, "0.00")
        self.assertIsInstance(first[3].value, dt.datetime)  # a real Excel date
        self.assertEqual(first[3].value.date(), dt.date(2026, 11, 23))
        self.assertEqual(first[3].number_format, "dd/mm/yyyy")
        # Naive local time in Vietnam (UTC+7), as Excel has no time zones.
        self.assertEqual(first[4].value, dt.datetime(2026, 11, 23, 8, 30))
        self.assertEqual(first[4].number_format, "dd/mm/yyyy hh:mm")
        self.assertEqual(first[5].value, "bb.pdf")
        self.assertEqual(
            first[5].hyperlink.target,
            "https://dlxh.example.vn/admin/exports/attachments/1/tai_lieu/",
        )
        self.assertIs(first[6].value, True)
        self.assertEqual(sheet["B3"].value, 0)
        self.assertEqual(sheet["C3"].value, 1.5)

    def test_formula_payloads_are_text(self):
        _rows, workbook = self.write([make_sheet()])
        sheet = workbook.active
        # A CR becomes LF, Excel's line break, but still marks the cell as text.
        starts = ["=", "+", "-", "@", "\t", "\n"]
        for row, start in enumerate(starts, 3):
            cell = sheet.cell(row=row, column=1)
            self.assertEqual(cell.data_type, "s", cell.value)
            self.assertTrue(cell.value.startswith(start))
            self.assertTrue(cell.quotePrefix, cell.value)

    def test_bad_values_do_not_fail(self):
        _rows, workbook = self.write([make_sheet()])
        sheet = workbook.active
        long_text = sheet["A9"].value
        self.assertEqual(len(long_text), TEXT_LIMIT)
        self.assertEqual(sheet["A10"].value, "điềukhiển và  lẻ ")
        self.assertEqual(sheet["B11"].value, "nan")
        self.assertEqual(sheet["C11"].value, "Infinity")

    def test_frozen_header_autofilter_widths(self):
        _rows, workbook = self.write([make_sheet()])
        sheet = workbook.active
        self.assertEqual(sheet.freeze_panes, "A2")
        self.assertEqual(sheet.auto_filter.ref, f"A1:G{len(ROWS) + 1}")
        self.assertAlmostEqual(sheet.column_dimensions["A"].width, 30, delta=1)
        self.assertTrue(sheet["A1"].font.b)
        self.assertEqual(sheet.print_title_rows, "$1:$1")

    def test_unclassified_has_no_marking(self):
        _rows, workbook = self.write([make_sheet()])
        sheet = workbook.active
        self.assertIn(sheet.oddHeader.center.text, (None, ""))
        self.assertEqual(sheet.oddFooter.right.text, "Trang &P/&N")
        self.assertIn(workbook.properties.category, (None, ""))

    def test_classified_marking_first_row_header_footer(self):
        _rows, workbook = self.write([make_sheet(title="Báo cáo")], classification=1)
        sheet = workbook.active
        self.assertEqual(sheet["A1"].value, "MẬT")
        self.assertEqual(sheet["A2"].value, "Báo cáo")
        self.assertEqual(sheet["A3"].value, "Nội dung")
        self.assertEqual(sheet.freeze_panes, "A4")
        self.assertEqual(sheet.auto_filter.ref, f"A3:G{len(ROWS) + 3}")
        self.assertEqual(sheet.oddHeader.center.text, "MẬT")
        self.assertEqual(sheet.oddFooter.center.text, "MẬT")
        self.assertEqual(workbook.properties.category, "MẬT")

    def test_top_secret_sheet_marks_itself(self):
        _rows, workbook = self.write([make_sheet(classification=2)])
        self.assertEqual(workbook.active["A1"].value, "TỐI MẬT")

    def test_document_properties(self):
        _rows, workbook = self.write([make_sheet()])
        props = workbook.properties
        self.assertEqual(props.title, "Báo cáo tuần DLXH")
        self.assertEqual(props.creator, "Ban Tuyên giáo và Dân vận Tỉnh ủy")
        self.assertIsNotNone(props.created)

    def test_sheet_names_are_made_valid_and_unique(self):
        sheets = [
            make_sheet(name="Báo cáo [tuần] 1/2: một tên rất dài quá ba mươi mốt"),
            make_sheet(name="Báo cáo [tuần] 1/2: một tên rất dài quá ba mươi mốt"),
        ]
        _rows, workbook = self.write(sheets)
        names = workbook.sheetnames
        self.assertEqual(len(set(names)), 2)
        for name in names:
            self.assertLessEqual(len(name), 31)
            self.assertFalse(set(name) & set("[]:*?/\\"))

    def test_empty_export_still_opens(self):
        rows, workbook = self.write([])
        self.assertEqual(rows, 0)
        self.assertEqual(len(workbook.sheetnames), 1)

    def test_progress_counts_every_row(self):
        seen = []
        many = [["dòng", n] for n in range(1234)]
        sheet = make_sheet(columns=COLUMNS[:2], rows=lambda: iter(many))
        self.write([sheet], progress=seen.append)
        self.assertEqual(sum(seen), 1234)


class FastRowsEngineTestCase(WriterTestCase):
    engine = FastRowsEngine

    def test_nothing_is_left_beside_the_file(self):
        self.write([make_sheet(), make_sheet(name="Khác")])
        self.assertEqual(os.listdir(self.tmp.name), [f"{self.engine.name}.xlsx"])


class EnginesAgreeTestCase(SimpleTestCase):
    """The fast row writer for large workbooks produces the same workbook."""

    def test_same_cells_and_sheet_settings(self):
        with TemporaryDirectory() as tmp:
            books = {}
            for engine in (OpenpyxlEngine, FastRowsEngine):
                path = Path(tmp) / f"{engine.name}.xlsx"
                write_workbook(
                    path,
                    [make_sheet(title="Tiêu đề"), make_sheet(name="Khác")],
                    title="T",
                    author="Ban",
                    classification=1,
                    engine=engine,
                )
                books[engine.name] = load_workbook(path)
            one, two = books["openpyxl"], books["fast"]
            self.assertEqual(one.sheetnames, two.sheetnames)
            for a, b in zip(one.worksheets, two.worksheets, strict=True):
                self.assertEqual(a.max_row, b.max_row)
                for row_a, row_b in zip(a.iter_rows(), b.iter_rows(), strict=True):
                    for x, y in zip(row_a, row_b, strict=False):
                        self.assertEqual(x.value, y.value, x.coordinate)
                        if x.value is not None:
                            self.assertEqual(x.data_type, y.data_type, x.coordinate)
                            self.assertEqual(
                                x.number_format, y.number_format, x.coordinate
                            )
                            self.assertEqual(x.quotePrefix, y.quotePrefix)
                            self.assertEqual(x.font.b, y.font.b, x.coordinate)
                            self.assertEqual(
                                getattr(x.hyperlink, "target", None),
                                getattr(y.hyperlink, "target", None),
                            )
                self.assertEqual(
                    {k: v.width for k, v in a.column_dimensions.items()},
                    {k: v.width for k, v in b.column_dimensions.items()},
                )
                for attr in ("freeze_panes", "print_title_rows"):
                    self.assertEqual(getattr(a, attr), getattr(b, attr))
                self.assertEqual(a.auto_filter.ref, b.auto_filter.ref)
                self.assertEqual(a.oddHeader.center.text, b.oddHeader.center.text)
                self.assertEqual(a.oddFooter.center.text, b.oddFooter.center.text)
                self.assertEqual(a.oddFooter.right.text, b.oddFooter.right.text)
            self.assertEqual(one.properties.title, two.properties.title)
            self.assertEqual(one.properties.creator, two.properties.creator)
            self.assertEqual(one.properties.category, two.properties.category)


class ChartsTestCase(SimpleTestCase):
    def test_native_chart_in_write_only_mode_with_either_engine(self):
        counts = [["Thấp", 3], ["Trung bình", 5], ["Cao", 2]]
        sheet = Sheet(
            name="Tác động",
            columns=[Column("Mức độ"), Column("Số báo cáo")],
            rows=lambda: iter(counts),
            charts=[Chart(type="column", title="Theo mức độ", values=[2])],
        )
        for engine in (OpenpyxlEngine, FastRowsEngine):
            with TemporaryDirectory() as tmp:
                path = Path(tmp) / "c.xlsx"
                write_workbook(path, [sheet], title="T", author="Ban", engine=engine)
                ws = load_workbook(path)["Tác động"]
                self.assertEqual(len(ws._charts), 1, engine)
                self.assertEqual(ws["B4"].value, 2)


class EngineChoiceTestCase(SimpleTestCase):
    def test_large_workbooks_use_the_fast_row_writer(self):
        sheet = make_sheet()
        with override_settings(EXPORTS_FAST_WRITER_MIN_ROWS=100):
            self.assertIs(choose_engine([sheet], expected_rows=99), OpenpyxlEngine)
            self.assertIs(choose_engine([sheet], expected_rows=100), FastRowsEngine)
        with override_settings(EXPORTS_ENGINE="openpyxl"):
            self.assertIs(choose_engine([sheet], expected_rows=10**6), OpenpyxlEngine)
        with override_settings(EXPORTS_ENGINE="fast"):
            self.assertIs(choose_engine([sheet], expected_rows=1), FastRowsEngine)
