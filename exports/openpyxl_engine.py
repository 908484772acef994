"""The openpyxl engine: every workbook's structure, and each cell through openpyxl.

openpyxl builds every workbook, in write-only mode: styles, properties, frozen
header, column widths, autofilter, marking in header and footer, print titles,
hyperlinks and charts. Write-only worksheets support charts
(`WriteOnlyWorksheet.add_chart` is `Worksheet.add_chart`; drawings are written
when the workbook is saved, so a chart may cover rows streamed before it);
panes and widths must be set before the first row, the rest may come after.
`OpenpyxlEngine` writes the data rows too; `exports.fast_rows.FastRowsEngine`
keeps all of this and writes only the data rows' XML itself (exports.writer
chooses between them).

No single value can fail an export: text loses the characters XML cannot hold
(openpyxl's ILLEGAL_CHARACTERS_RE plus lone surrogates), CR becomes LF, and text
is cut at Excel's 32,767 characters; text that Excel could take for a formula
(=, +, -, @, tab, CR first) is a text cell with Excel's quote prefix; aware
datetimes become naive Asia/Ho_Chi_Minh ones.
"""

import datetime as dt
import math
import re
from copy import copy
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from openpyxl.chart.data_source import StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import quote_sheetname
from openpyxl.worksheet.filters import AutoFilter

from .exporters.base import MAX_ROWS, MAX_SHEET_NAME, Link

TEXT_LIMIT = 32_767
# Excel refuses a worksheet with more hyperlinks; later ones are written as text.
LINK_LIMIT = 65_530
URL_LIMIT = 2_079
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
# Control characters XML 1.0 forbids (openpyxl's ILLEGAL_CHARACTERS_RE), lone
# surrogates (they cannot be encoded) and the two non-characters.
BAD_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MARKING_COLOUR = "FF0000"
HEADER_FILL = "DDE4EE"
PROGRESS_EVERY = 10


def markings():
    # Marks of the Law on Protection of State Secrets, printed on every page.
    return {1: _("MẬT"), 2: _("TỐI MẬT"), 3: _("TUYỆT MẬT")}


def marking_for(classification):
    return markings().get(int(classification or 0), "")


def clean_text(value):
    if BAD_CHARACTERS.search(value):
        value = BAD_CHARACTERS.sub("", value)
    if "\r" in value:
        # XML readers turn a raw CR into LF, Excel's line break in a cell.
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if len(value) > TEXT_LIMIT:
        value = value[: TEXT_LIMIT - 1] + "…"
    return value


def local_naive(value):
    """Excel has no time zones: the wall-clock time in Vietnam."""
    if timezone.is_aware(value):
        value = value.astimezone(ZoneInfo(settings.TIME_ZONE)).replace(tzinfo=None)
    return value


def safe_sheet_name(name, used):
    name = re.sub(r"[\[\]:*?/\\]", " ", clean_text(str(name))).strip(" '") or "Sheet"
    name = name[:MAX_SHEET_NAME]
    candidate, n = name, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate = name[: MAX_SHEET_NAME - len(suffix)] + suffix
        n += 1
    used.add(candidate.lower())
    return candidate


def column_letter(index):
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Layout:
    """Where things go on a sheet: the same for both engines (rows 0-based)."""

    def __init__(self, sheet, classification):
        self.sheet = sheet
        self.marking = marking_for(max(classification, sheet.classification or 0))
        self.preamble = [text for text in (self.marking, sheet.title) if text]
        self.header_row = len(self.preamble)
        self.first_data_row = self.header_row + 1
        self.width = max(len(sheet.columns), 1)

    @property
    def header_text(self):
        return self.marking

    @property
    def footer_right(self):
        return _("Trang &P/&N")


def _number_ok(value):
    """NaN and infinities have no Excel form; they are written as text."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, Decimal):
        return value.is_finite()
    return True


class OpenpyxlEngine:
    name = "openpyxl"

    def __init__(self, path, *, title, author, classification, created):
        self.path = path
        self.classification = classification
        self.workbook = Workbook(write_only=True)
        props = self.workbook.properties
        props.title = title
        props.creator = author
        props.lastModifiedBy = author
        props.created = props.modified = created
        props.category = marking_for(classification)
        props.keywords = "DLXH"
        self.used_names = set()

    def _styles(self, ws, columns):
        def style(**attrs):
            cell = WriteOnlyCell(ws)
            for name, value in attrs.items():
                setattr(cell, name, value)
            return cell._style

        self.st_header = style(
            font=Font(bold=True),
            fill=PatternFill("solid", fgColor=HEADER_FILL),
            alignment=Alignment(wrap_text=True, vertical="top"),
        )
        self.st_marking = style(font=Font(bold=True, color=MARKING_COLOUR, size=13))
        self.st_title = style(font=Font(bold=True, size=13))
        self.st_quoted = style(quotePrefix=True)
        self.st_link = style(font=Font(color="0563C1", underline="single"))
        self.st_date = []
        self.st_datetime = []
        self.st_number = []
        for column in columns:
            fmt = column.number_format
            self.st_date.append(style(number_format=fmt or DATE_FORMAT))
            self.st_datetime.append(style(number_format=fmt or DATETIME_FORMAT))
            self.st_number.append(style(number_format=fmt) if fmt else None)

    @staticmethod
    def _styled(ws, value, style, data_type=None):
        cell = WriteOnlyCell(ws, value)
        if data_type:
            cell.data_type = data_type
        cell._style = copy(style)
        return cell

    def write_sheet(self, sheet, progress):
        layout = _Layout(sheet, self.classification)
        ws = self.workbook.create_sheet(safe_sheet_name(sheet.name, self.used_names))
        self._styles(ws, sheet.columns)
        for index, column in enumerate(sheet.columns, 1):
            if column.width:
                ws.column_dimensions[column_letter(index)].width = column.width
        ws.freeze_panes = f"A{layout.first_data_row + 1}"
        if layout.marking:
            for part in (ws.oddHeader.center, ws.oddFooter.center):
                part.text = layout.marking
                part.font = "Times New Roman,Bold"
                part.color = MARKING_COLOUR
        ws.oddFooter.right.text = layout.footer_right

        if layout.marking:
            ws.append([self._styled(ws, layout.marking, self.st_marking)])
        if sheet.title:
            ws.append([self._styled(ws, clean_text(sheet.title), self.st_title)])
        ws.append(
            [
                self._styled(ws, clean_text(str(c.header)), self.st_header)
                for c in sheet.columns
            ]
        )
        rows = self.write_rows(ws, layout, sheet, progress)

        header = layout.header_row + 1
        last = header + rows
        ws.auto_filter = AutoFilter(
            ref=f"A{header}:{column_letter(layout.width)}{max(last, header)}"
        )
        ws.print_title_rows = f"{header}:{header}"
        for chart in sheet.charts:
            ws.add_chart(
                self._chart(ws, chart, header, last), self._anchor(chart, layout)
            )
        return rows

    def write_rows(self, ws, layout, sheet, progress):
        """The data rows, each cell through openpyxl; returns how many."""
        styled = self._styled
        st_quoted, st_link = self.st_quoted, self.st_link
        st_date, st_datetime, st_number = self.st_date, self.st_datetime, self.st_number
        rows = links = 0
        limit = MAX_ROWS - layout.first_data_row
        for values in sheet.rows():
            if rows >= limit:
                break
            out = []
            for col, value in enumerate(values):
                kind = type(value)
                if kind is str:
                    if not value:
                        value = None
                    elif value.startswith(FORMULA_START):
                        value = styled(ws, clean_text(value), st_quoted, "s")
                    else:
                        value = clean_text(value)
                elif kind is int or kind is float or kind is Decimal:
                    if not _number_ok(value):
                        value = str(value)
                    elif st_number[col] is not None:
                        value = styled(ws, value, st_number[col])
                elif kind is dt.datetime:
                    value = styled(ws, local_naive(value), st_datetime[col])
                elif kind is dt.date:
                    value = styled(ws, value, st_date[col])
                elif kind is Link:
                    text = clean_text(str(value.text))
                    if links < LINK_LIMIT and len(value.url) <= URL_LIMIT:
                        links += 1
                        cell = styled(ws, text, st_link, "s")
                        cell.hyperlink = value.url
                        value = cell
                    else:
                        value = text or None
                elif value is not None and kind is not bool:
                    value = clean_text(str(value)) or None
                out.append(value)
            ws.append(out)
            rows += 1
            if progress is not None and rows % PROGRESS_EVERY == 0:
                progress(PROGRESS_EVERY)
        if progress is not None:
            progress(rows % PROGRESS_EVERY)
        return rows

    @staticmethod
    def _anchor(chart, layout):
        return (
            chart.anchor or f"{column_letter(layout.width + 2)}{layout.header_row + 1}"
        )

    @staticmethod
    def _chart(ws, spec, header, last):
        if spec.type == "line":
            chart = LineChart()
        elif spec.type == "pie":
            chart = PieChart()
        else:
            chart = BarChart()
            chart.type = "bar" if spec.type == "bar" else "col"
        chart.title = spec.title or None
        chart.width, chart.height = spec.width, spec.height
        first, stop = header + 1, max(last, header + 1)
        if spec.rows is not None:
            first = header + 1 + spec.rows[0]
            stop = max(min(header + spec.rows[1], last), first)
        for column in spec.values:
            if spec.rows is None:
                data = Reference(ws, min_col=column, min_row=header, max_row=stop)
                chart.add_data(data, titles_from_data=True)
                continue
            # The band does not start under the header: name the series by it.
            data = Reference(ws, min_col=column, min_row=first, max_row=stop)
            chart.add_data(data, titles_from_data=False)
            cell = f"{quote_sheetname(ws.title)}!${column_letter(column)}${header}"
            chart.series[-1].tx = SeriesLabel(strRef=StrRef(cell))
        categories = Reference(ws, min_col=spec.categories, min_row=first, max_row=stop)
        chart.set_categories(categories)
        if spec.type != "pie":
            chart.x_axis.title = spec.x_title or None
            chart.y_axis.title = spec.y_title or None
        return chart

    def close(self):
        self.workbook.save(self.path)
