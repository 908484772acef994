"""Reading spreadsheets for imports: all rows checked, then all saved or none.

Boards keep their lists of units and staff in spreadsheets. An import is all or
nothing: every row is checked first, and one bad row means nothing is saved, so a
half-imported registry never has to be repaired by hand. The importers themselves
(what a row means) are in importers.py.
"""

import os
from dataclasses import dataclass, field
from datetime import date, datetime, time
from io import BytesIO

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from .text import fold, normalize_name

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# Old binary .xls files (OLE2) are the usual wrong upload; say so plainly.
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
GUIDE_TITLE = gettext_lazy("Hướng dẫn")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool = False
    example: str = ""
    max_length: int | None = None
    width: int = 24


@dataclass(frozen=True)
class RowError:
    """A reason to refuse the sheet; `row` is the Excel row, None for the file."""

    row: int | None
    column: str
    message: str

    def __str__(self):
        if self.row is None:
            return str(self.message)
        return _("Dòng %(row)s, cột %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    @property
    def summary(self):
        return _(
            "%(created)s tạo mới, %(updated)s cập nhật, %(unchanged)s không đổi."
        ) % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


def cell_text(value):
    """A cell as clean text: Excel stores codes such as 24175 as numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return normalize_name(str(value))


def folded_names(label):
    """A label folded in the active language and in Vietnamese, the sheets' own."""
    names = {fold(str(label))}
    with translation.override("vi"):
        names.add(fold(str(label)))
    return names


def choice_lookup(choices, aliases=None):
    """Folded value, label or alias → value, for cells that name a choice."""
    lookup = {fold(str(alias)): value for alias, value in (aliases or {}).items()}
    for value, label in choices:
        lookup[fold(str(value))] = value
        lookup.update(dict.fromkeys(folded_names(label), value))
    return lookup


class BrokenSheet(Exception):
    pass


class SheetImporter:
    """Reads the first sheet, checks every row, then saves all rows or none."""

    columns: tuple[Column, ...] = ()
    sheet_title = ""

    def __init__(self):
        self.result = ImportResult()

    # Reading -----------------------------------------------------------------

    def run(self, source, filename=None):
        rows = self.read(source, filename)
        if self.result.ok:
            self.prepare(rows)
            records = [self.clean_row(number, values) for number, values in rows]
            self.check_rows([r for r in records if r is not None])
        if self.result.ok:
            with transaction.atomic():
                self.save(records)
        return self.result

    def read(self, source, filename=None):
        data, name = self._bytes(source, filename)
        if data is None:
            return []
        wrong_name = bool(name) and not name.lower().endswith(".xlsx")
        if wrong_name or data.startswith(OLE2_SIGNATURE):
            return self.file_error(_("Tệp phải là bảng tính Excel (.xlsx)."))
        if len(data) > MAX_UPLOAD_BYTES:
            return self.file_error(_("Tệp quá lớn (tối đa 5 MB)."))
        try:
            workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
        except Exception:
            # A broken archive raises BadZipFile, KeyError, InvalidFileException or
            # an XML error depending on what is missing; all mean the same here.
            return self.file_error(_("Tệp không phải là bảng tính Excel hợp lệ."))
        try:
            return self._rows(self._worksheet(workbook))
        except BrokenSheet:
            return self.file_error(_("Tệp không phải là bảng tính Excel hợp lệ."))
        finally:
            workbook.close()

    def _bytes(self, source, filename):
        if isinstance(source, str | os.PathLike):
            try:
                with open(source, "rb") as handle:
                    data = handle.read(MAX_UPLOAD_BYTES + 1)
            except OSError:
                self.file_error(_("Không đọc được tệp %(name)s.") % {"name": source})
                return None, None
            return data, filename or os.fspath(source)
        if hasattr(source, "seek"):
            source.seek(0)
        return source.read(MAX_UPLOAD_BYTES + 1), filename or getattr(
            source, "name", None
        )

    def _worksheet(self, workbook):
        # The template's guide sheet may be the active one when it was saved.
        for sheet in workbook.worksheets:
            if fold(sheet.title) in folded_names(self.sheet_title):
                return sheet
        return workbook.worksheets[0]

    def _cells(self, sheet):
        # read_only parses the sheet's XML lazily, so a broken sheet fails here.
        cells = sheet.iter_rows(values_only=True)
        while True:
            try:
                row = next(cells)
            except StopIteration:
                return
            except Exception as error:
                raise BrokenSheet from error
            yield row

    def _rows(self, sheet):
        cells = self._cells(sheet)
        header = next(cells, None)
        positions = self._positions(header or ())
        if not self.result.ok:
            return []
        rows = []
        for number, row in enumerate(cells, start=2):
            # Bounded by the row number, not by rows kept, so that a small file
            # of millions of blank rows cannot keep a worker busy.
            if number > MAX_ROWS + 1:
                message = _("Bảng tính có quá nhiều dòng (tối đa %(max)s).")
                return self.file_error(message % {"max": MAX_ROWS})
            values = {
                key: cell_text(row[index]) if index < len(row) else ""
                for key, index in positions.items()
            }
            if not any(values.values()):
                continue
            rows.append((number, values))
        if not rows:
            self.file_error(_("Bảng tính không có dòng dữ liệu nào."))
        return rows

    def _positions(self, header):
        by_name = {}
        for column in self.columns:
            by_name[fold(column.key.replace("_", " "))] = column
            by_name.update(dict.fromkeys(folded_names(column.label), column))
        positions = {}
        for index, title in enumerate(header):
            name = fold(cell_text(title).rstrip("*").replace("_", " "))
            column = by_name.get(name)
            if column is None:
                continue  # Extra columns (notes, numbering) are allowed.
            if column.key in positions:
                self.file_error(
                    _("Cột “%(column)s” xuất hiện hai lần ở dòng tiêu đề.")
                    % {"column": column.label},
                    column,
                )
            positions[column.key] = index
        if not any(cell_text(title) for title in header):
            return self.file_error(_("Bảng tính trống: dòng 1 phải là dòng tiêu đề."))
        for column in self.columns:
            if column.required and column.key not in positions:
                self.file_error(
                    _("Thiếu cột bắt buộc “%(column)s” ở dòng tiêu đề.")
                    % {"column": column.label},
                    column,
                )
        return positions

    # Checking ----------------------------------------------------------------

    def column(self, key):
        return next(c for c in self.columns if c.key == key)

    def file_error(self, message, column=None):
        label = str(column.label) if column else ""
        self.result.errors.append(RowError(None, label, message))
        return []

    def error(self, row, key, message, /, **params):
        message = message % params if params else message
        self.result.errors.append(RowError(row, str(self.column(key).label), message))

    def value(self, row, values, key):
        """The cell's text, checked for presence and length; "" when bad."""
        column = self.column(key)
        text = values.get(key, "")
        if column.required and not text:
            self.error(row, key, _("Ô này không được để trống."))
        elif column.max_length and len(text) > column.max_length:
            self.error(row, key, _("Dài quá %(max)s ký tự."), max=column.max_length)
            return ""
        return text

    def choice(self, row, values, key, lookup, message):
        text = self.value(row, values, key)
        if text and fold(text) not in lookup:
            self.error(row, key, message, value=text)
            return None
        return lookup.get(fold(text)) if text else None

    def duplicates(self, records, key_of, key, message):
        first_row = {}
        for record in records:
            record_key = key_of(record)
            if record_key in first_row:
                self.error(record.row, key, message, row=first_row[record_key])
            else:
                first_row[record_key] = record.row

    def prepare(self, rows):
        """Load what the rows refer to, in a few queries rather than per row."""

    def clean_row(self, row, values):
        raise NotImplementedError

    def check_rows(self, records):
        """Checks across rows, such as duplicates."""

    def save(self, records):
        raise NotImplementedError

    def count(self, status):
        setattr(self.result, status, getattr(self.result, status) + 1)

    # Template ----------------------------------------------------------------

    @classmethod
    def template_workbook(cls):
        # Vietnamese whatever the admin's language: the sheet is shared with units.
        with translation.override("vi"):
            return cls._template_workbook()

    @classmethod
    def _template_workbook(cls):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = str(cls.sheet_title)
        sheet.append([str(column.label) for column in cls.columns])
        sheet.append([column.example for column in cls.columns])
        for index, column in enumerate(cls.columns, start=1):
            sheet.cell(1, index).font = Font(bold=True)
            # Text format keeps the leading zeros of codes and phone numbers.
            sheet.cell(2, index).number_format = "@"
            letter = sheet.cell(1, index).column_letter
            sheet.column_dimensions[letter].width = column.width
        sheet.freeze_panes = "A2"
        guide = workbook.create_sheet(str(GUIDE_TITLE))
        for line in cls.guide_lines():
            guide.append(line)
        guide.column_dimensions["A"].width = 30
        guide.column_dimensions["B"].width = 60
        return workbook

    @classmethod
    def guide_lines(cls):
        yield [_("Cột"), _("Bắt buộc"), _("Mã cột (có thể dùng thay tên cột)")]
        for column in cls.columns:
            required = _("có") if column.required else _("không")
            yield [str(column.label), required, column.key]
        yield []
        yield [_("Dòng 1 là dòng tiêu đề. Ô tùy chọn để trống thì giữ giá trị cũ.")]
        yield [_("Nhập lại cùng một bảng tính không tạo bản ghi trùng.")]
