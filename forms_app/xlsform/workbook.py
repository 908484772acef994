"""Reading an XLSForm workbook into rows, with the sheet row number of each.

pyxform's own reader turns the .xlsx into lists of {column: text}; this module
only adds what the import needs on top: canonical column names (pyxform's
aliases such as `bind::relevant`), the label language to prefer, row numbers
for messages, and the report that collects errors and warnings.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from pyxform.errors import PyXFormError
from pyxform.xls2json_backends import xlsx_to_dict

from units.text import fold

SURVEY, CHOICES, SETTINGS = "survey", "choices", "settings"
LANGUAGE_COLUMNS = {"label", "hint", "constraint_message", "required_message"}
ALIASES = {
    "bind::relevant": "relevant",
    "bind::required": "required",
    "bind::constraint": "constraint",
    "bind::jr:constraintmsg": "constraint_message",
    "constraint message": "constraint_message",
    "jr:constraintmsg": "constraint_message",
    "control::appearance": "appearance",
    "list name": "list_name",
    "default_value": "default",
}
VIETNAMESE = {"vi", "vietnamese", "tieng viet"}


@dataclass
class Message:
    text: str
    row: int | None = None
    sheet: str = SURVEY

    def __str__(self):
        if self.row is None:
            return self.text
        if self.sheet == SURVEY:
            return _("Dòng %(row)s: %(text)s") % {"row": self.row, "text": self.text}
        return _("Trang “%(sheet)s”, dòng %(row)s: %(text)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "text": self.text,
        }


@dataclass
class Report:
    """What the import found. Errors block the import; warnings do not."""

    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    title: str = ""
    form_id: str = ""
    fields: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    def error(self, text, row=None, sheet=SURVEY):
        self.errors.append(Message(text, row, sheet))

    def warn(self, text, row=None, sheet=SURVEY):
        self.warnings.append(Message(text, row, sheet))


def canonical(header):
    name = " ".join(str(header).split())
    lower = name.lower()
    if lower in ALIASES:
        return ALIASES[lower]
    base, sep, language = name.partition("::")
    if sep and base.strip().lower() in LANGUAGE_COLUMNS:
        return f"{base.strip().lower()}::{language.strip()}"
    return lower


def _is_vietnamese(language):
    folded = fold(language)
    return (
        "(vi)" in folded
        or folded in VIETNAMESE
        or any(folded.startswith(word) for word in VIETNAMESE - {"vi"})
    )


def language_order(headers, default_language=""):
    """Languages of the label columns, best first: Vietnamese, the form's default
    language, unmarked columns, then the others as they come."""
    languages = []
    for header in headers:
        base, sep, language = header.partition("::")
        if base in LANGUAGE_COLUMNS and language not in languages:
            languages.append(language if sep else "")
    return sorted(
        languages or [""],
        key=lambda lang: (
            not (lang and _is_vietnamese(lang)),
            not (lang and lang == default_language),
            lang != "",
        ),
    )


@dataclass
class Row:
    number: int
    data: dict
    languages: list

    def get(self, column):
        return (self.data.get(column) or "").strip()

    def text(self, column):
        """The column in the preferred language that has a value in this row."""
        for language in self.languages:
            value = self.get(f"{column}::{language}" if language else column)
            if value:
                return value
        return ""

    @property
    def is_empty(self):
        return not any(value.strip() for value in self.data.values() if value)


@dataclass
class Sheet:
    name: str
    headers: list
    rows: list


def _sheet(book, name, default_language=""):
    headers = [canonical(h) for h in (book.get(f"{name}_header") or [{}])[0]]
    languages = language_order(headers, default_language)
    rows = []
    for index, raw in enumerate(book.get(name) or []):
        data = {canonical(key): str(value) for key, value in raw.items() if value}
        # Row 1 is the header; pyxform keeps inner empty rows, so numbers hold.
        rows.append(Row(index + 2, data, languages))
    return Sheet(name, headers, rows)


def load(upload, report):
    """{sheet name: Sheet} from an uploaded file, or None (errors reported)."""
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = upload.read() if hasattr(upload, "read") else upload
    try:
        book = xlsx_to_dict(content)
    except PyXFormError as error:
        if "Duplicate column header" in str(error):
            header = str(error).rpartition(":")[2].strip()
            report.error(
                _("Có hai cột cùng tên “%(header)s” trong một trang tính.")
                % {"header": header}
            )
        else:
            report.error(
                _(
                    "Tệp không phải bảng tính Excel .xlsx đọc được. XLSForm cần "
                    "được lưu dưới dạng .xlsx (Excel 2007 trở lên)."
                )
            )
        return None
    except Exception:  # whatever breaks the reader, the fault is the file's
        report.error(_("Không đọc được tệp tải lên như một bảng tính .xlsx."))
        return None
    names = {name.lower() for name in book.get("sheet_names", [])}
    if SURVEY not in names:
        report.error(
            _(
                "Không có trang tính “survey”. XLSForm cần các trang “survey”, "
                "“choices” (nếu có câu hỏi lựa chọn) và “settings”."
            )
        )
        return None
    settings = _sheet(book, SETTINGS)
    first = settings.rows[0] if settings.rows else Row(2, {}, [""])
    default_language = first.get("default_language")
    sheets = {
        SURVEY: _sheet(book, SURVEY, default_language),
        CHOICES: _sheet(book, CHOICES, default_language),
        SETTINGS: settings,
    }
    for column in ("type", "name"):
        if column not in sheets[SURVEY].headers:
            report.error(
                _("Trang tính “survey” thiếu cột “%(column)s”.") % {"column": column}
            )
    if report.errors:
        return None
    return sheets
