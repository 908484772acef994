"""The shape of an XLSForm: choice lists, and survey rows nested in their groups.

Everything that makes a workbook unusable as a whole is found here and reported
as an error with its row: rows without type or name, duplicate names, selects
on unknown lists, and groups that do not open and close in pairs.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..standard_blocks import STANDARD_KEYS
from .mapping import LOCALITY_LIST
from .workbook import CHOICES, Row

# Lists whose items come from the system (communes, sectors, fixed vocabularies):
# a workbook may leave them out of its `choices` sheet.
REGISTRY_LISTS = {LOCALITY_LIST, *STANDARD_KEYS}

_SELECT = re.compile(
    r"(select[ _]one|select[ _]multiple)(?:\s+(\S+))?(?:\s+(or_other))?", re.I
)
_GROUP_WORDS = {"begin group", "end group", "begin repeat", "end repeat"}


@dataclass
class Choice:
    name: str
    label: str
    row: int


@dataclass
class Question:
    """A survey row that is not a group boundary."""

    row: Row
    base: str
    list_name: str = ""
    or_other: bool = False

    @property
    def name(self):
        return self.row.get("name")

    @property
    def number(self):
        return self.row.number

    def appearance(self):
        return set(self.row.get("appearance").lower().split())


@dataclass
class Group:
    """A `begin group`/`begin repeat` row and what it holds; the root has no row."""

    row: Row | None
    kind: str
    children: list = field(default_factory=list)

    @property
    def name(self):
        return self.row.get("name") if self.row else ""

    @property
    def number(self):
        return self.row.number if self.row else None

    def appearance(self):
        return set(self.row.get("appearance").lower().split()) if self.row else set()

    def questions(self):
        return [child for child in self.children if isinstance(child, Question)]


def split_type(raw):
    """(base type, list name, or_other) of a `type` cell."""
    text = " ".join(raw.split())
    words = text.lower().replace("_", " ")
    if words in _GROUP_WORDS:
        return words, "", False
    match = _SELECT.fullmatch(text)
    if match:
        base = match.group(1).lower().replace(" ", "_")
        return base, match.group(2) or "", bool(match.group(3))
    return text.lower(), "", False


def read_choices(sheet, report):
    """{list name: [Choice]} from the `choices` sheet."""
    lists = {}
    if sheet.rows and not {"list_name", "name"} <= set(sheet.headers):
        report.error(
            _("Trang tính “choices” cần hai cột “list_name” và “name”."),
            sheet=CHOICES,
        )
        return lists
    for row in sheet.rows:
        if row.is_empty:
            continue
        list_name, name = row.get("list_name"), row.get("name")
        if not list_name or not name:
            report.error(
                _("lựa chọn thiếu tên danh sách (list_name) hoặc tên (name)."),
                row.number,
                CHOICES,
            )
            continue
        items = lists.setdefault(list_name, [])
        if any(item.name == name for item in items):
            report.error(
                _("lựa chọn “%(name)s” lặp lại trong danh sách “%(list)s”.")
                % {"name": name, "list": list_name},
                row.number,
                CHOICES,
            )
            continue
        items.append(Choice(name, row.text("label") or name, row.number))
    return lists


def parse_survey(sheet, lists, report):
    """The root Group of the survey rows."""
    root = Group(None, "root")
    stack, seen = [root], {}
    for row in sheet.rows:
        if row.is_empty:
            continue
        raw_type = row.get("type")
        if not raw_type:
            report.error(_("thiếu kiểu câu hỏi (cột “type”)."), row.number)
            continue
        base, list_name, or_other = split_type(raw_type)
        if base.startswith("end "):
            _close(stack, base.split()[1], row, report)
            continue
        name = row.get("name")
        if not name:
            report.error(_("thiếu tên (cột “name”)."), row.number)
        elif name in seen:
            report.error(
                _(
                    "tên “%(name)s” trùng với dòng %(other)s; mỗi câu hỏi và mỗi "
                    "nhóm cần một tên riêng."
                )
                % {"name": name, "other": seen[name]},
                row.number,
            )
        else:
            seen[name] = row.number
        if base in ("select_one", "select_multiple"):
            if not list_name:
                report.error(
                    _("thiếu tên danh sách lựa chọn sau “%(type)s”.") % {"type": base},
                    row.number,
                )
            elif list_name not in lists and list_name not in REGISTRY_LISTS:
                report.error(
                    _("danh sách lựa chọn “%(list)s” không có trong trang “choices”.")
                    % {"list": list_name},
                    row.number,
                )
        if base.startswith("begin "):
            group = Group(row, base.split()[1])
            stack[-1].children.append(group)
            stack.append(group)
        else:
            stack[-1].children.append(Question(row, base, list_name, or_other))
    for group in stack[1:]:
        report.error(
            _("“begin %(kind)s” “%(name)s” không có “end %(kind)s” tương ứng.")
            % {"kind": group.kind, "name": group.name},
            group.number,
        )
    return root


def _close(stack, kind, row, report):
    if len(stack) == 1:
        report.error(
            _("“end %(kind)s” không có “begin %(kind)s” tương ứng.") % {"kind": kind},
            row.number,
        )
        return
    if stack[-1].kind != kind:
        report.error(
            _("“end %(kind)s” đóng nhóm “%(name)s” mở bằng “begin %(other)s”.")
            % {"kind": kind, "name": stack[-1].name, "other": stack[-1].kind},
            row.number,
        )
    stack.pop()
