"""XLSForm → the builder's blocks: the stream of a draft SurveyPage.

Groups. XLSForm groups have an end; a builder section (heading) lasts until the
next heading or page break. So a group becomes a heading carrying the group's
`relevant` as its section condition; a `field-list` group (one screen in ODK
and KoboToolbox) not inside another becomes a page break instead, followed by
a heading only when it has a condition. When questions follow the end of a
group with a condition, a heading (or, at the top level, a page break) is added
before them so the condition stops where the group stopped. A `table-list`
group of likert rows on one list becomes a Likert matrix. Only the innermost
condition of nested groups is kept (the builder has one per section): reported.
"""

import html

from django.utils.translation import gettext as _

from ..conditions import Operator
from ..keys import KEY_PATTERN, key_from_label, unique_key
from ..standard_blocks import STANDARD_KEYS
from . import mapping as m
from .questions import QuestionMapper
from .structure import Group, Question, parse_survey, read_choices
from .workbook import CHOICES, SETTINGS, SURVEY, load


def read_xlsform(upload, report):
    """Fill `report` with the title, form id and blocks of the workbook."""
    sheets = load(upload, report)
    if sheets is None:
        return report
    lists = read_choices(sheets[CHOICES], report)
    root = parse_survey(sheets[SURVEY], lists, report)
    if report.errors:
        return report
    settings = sheets[SETTINGS].rows[0] if sheets[SETTINGS].rows else None
    if settings is not None:
        report.title = settings.text("form_title") or settings.get("form_title")
        report.form_id = settings.get("form_id")
    builder = StreamBuilder(root, lists, report)
    builder.build()
    if not report.errors and not any(builder.is_input(b) for b in report.fields):
        report.error(_("Biểu mẫu không có câu hỏi nào nhập được."))
    return report


class Frame:
    """An open group while walking the tree: its section title and condition."""

    def __init__(self, title="", condition=None, parent=None, page=False):
        self.title = title
        self.condition = condition
        self.parent = parent
        self.page = page or bool(parent and parent.page)


class StreamBuilder:
    def __init__(self, root, lists, report):
        self.root = root
        self.lists = lists
        self.report = report
        self.blocks = report.fields
        # The section condition build_steps() will apply to the next block.
        self.active = None
        self.name_to_key = {}
        self.block_types = {}
        # Valid names keep their key; made-up keys must not take one of them.
        self.taken = set(STANDARD_KEYS) | {
            name for name in self._all_names(root) if KEY_PATTERN.match(name)
        }
        self.questions = QuestionMapper(self)

    @staticmethod
    def is_input(block):
        return block["type"] not in ("heading", "instructions", "page_break")

    def _all_names(self, group):
        for child in group.children:
            if child.name:
                yield child.name
            if isinstance(child, Group):
                yield from self._all_names(child)

    def build(self):
        self.walk(self.root, Frame())

    def walk(self, group, frame):
        for child in group.children:
            if isinstance(child, Question):
                self.question(child, frame)
            elif child.kind == "repeat":
                self.report.warn(
                    _(
                        "nhóm lặp lại “%(name)s” (begin repeat) chưa được hỗ trợ; "
                        "nhóm và các câu hỏi bên trong không được nhập."
                    )
                    % {"name": child.name},
                    child.number,
                )
            else:
                self.group(child, frame)

    # Keys and conditions

    def key_for(self, name, row, fixed=None):
        """The stable key of a question or group named `name` in the sheet."""
        if fixed:
            key = fixed
            if name != fixed:
                self.report.warn(
                    _("câu hỏi dùng khối chuẩn nên nhận mã chuẩn “%(key)s”.")
                    % {"key": fixed},
                    row,
                )
        elif KEY_PATTERN.match(name) and name not in STANDARD_KEYS:
            key = name
        else:
            base = key_from_label(name)
            key = unique_key(base, self.taken)
            self.report.warn(
                _(
                    "tên “%(name)s” không dùng được làm mã (chữ thường không dấu, "
                    "chữ số, dấu gạch dưới, bắt đầu bằng chữ cái, tối đa 64 ký tự, "
                    "không trùng mã khối chuẩn); dùng mã “%(key)s”."
                )
                % {"name": name, "key": key},
                row,
            )
        if key in self.name_to_key.values():
            self.report.error(
                _("mã “%(key)s” đã dùng cho một câu hỏi phía trên.") % {"key": key},
                row,
            )
        self.name_to_key[name] = key
        return key

    def condition(self, item, what=None):
        """The builder condition of a row's `relevant`, or None."""
        text = item.row.get("relevant")
        if not text:
            return None
        integers = {
            name
            for name, key in self.name_to_key.items()
            if self.block_types.get(key) == "number_integer"
        }
        parsed = m.parse_relevant(text, integers)
        if parsed is None:
            self._condition_dropped(item, text)
            return None
        name, operator, value = parsed
        key = self.name_to_key.get(name)
        if key is None or key not in self.block_types:
            self.report.warn(
                _(
                    "điều kiện hiển thị “%(text)s” dựa vào “%(name)s”, không phải "
                    "một câu hỏi phía trên; bỏ điều kiện."
                )
                % {"text": text, "name": name},
                item.number,
            )
            return None
        return {"field_key": key, "operator": operator, "value": value}

    def _condition_dropped(self, item, text):
        self.report.warn(
            _(
                "điều kiện hiển thị “%(text)s” không chuyển được; câu hỏi luôn hiện, "
                "hãy đặt lại điều kiện trong trình soạn biểu mẫu."
            )
            % {"text": text},
            item.number,
        )

    # Sections

    def emit(self, block_type, value, frame=None):
        if frame is not None:
            self.ensure_section(frame)
        self.blocks.append({"type": block_type, "value": value})

    def ensure_section(self, frame):
        """Start a section again when a group with a condition has ended."""
        if self.active == frame.condition:
            return
        if frame.parent is None:
            self.blocks.append({"type": "page_break", "value": {"title": ""}})
        else:
            self.blocks.append(
                {
                    "type": "heading",
                    "value": {
                        "title": frame.title,
                        "key": "",
                        "condition": frame.condition or _no_condition(),
                    },
                }
            )
        self.active = frame.condition

    def group(self, group, frame):
        title = group.row.text("label") or group.name
        appearance = group.appearance()
        if m.MATRIX_APPEARANCE in appearance and self.questions.matrix(group, frame):
            return
        own = self.condition(group)
        if own and frame.condition and own != frame.condition:
            self.report.warn(
                _(
                    "nhóm “%(name)s” có điều kiện riêng nằm trong nhóm có điều kiện; "
                    "chỉ giữ điều kiện của nhóm “%(name)s”."
                )
                % {"name": group.name},
                group.number,
            )
        condition = own or frame.condition
        key = self.key_for(group.name, group.number)
        starts_page = m.PAGE_APPEARANCE in appearance and not frame.page
        inner = Frame(title, condition, frame, page=starts_page)
        if starts_page:
            self.blocks.append({"type": "page_break", "value": {"title": title}})
            self.active = None
            if condition:
                self._heading(title, key, condition)
        else:
            self._heading(title, key, condition)
        self.walk(group, inner)

    def _heading(self, title, key, condition):
        value = {"title": title, "key": key, "condition": condition or _no_condition()}
        self.blocks.append({"type": "heading", "value": value})
        self.active = condition

    def question(self, item, frame):
        base = item.base
        if base in m.METADATA_TYPES:
            self.report.warn(
                _("trường hệ thống “%(name)s” (%(type)s) được bỏ qua.")
                % {"name": item.name, "type": base},
                item.number,
            )
            return
        if base == "note":
            self.note(item, frame)
            return
        mapped = self.questions.map(item)
        if mapped is None:
            self.report.warn(
                _(
                    "kiểu câu hỏi “%(type)s” chưa được hỗ trợ; câu hỏi “%(name)s” "
                    "không được nhập."
                )
                % {"type": item.row.get("type"), "name": item.name},
                item.number,
            )
            return
        block_type, value, fixed_key, kind = mapped
        value["key"] = self.key_for(item.name, item.number, fixed_key)
        value["condition"] = self.condition(item) or _no_condition()
        self.emit(block_type, value, frame)
        self.block_types[value["key"]] = kind or block_type

    def note(self, item, frame):
        text = item.row.text("label") or item.name
        if item.row.get("relevant"):
            self.report.warn(
                _(
                    "ghi chú “%(name)s” có điều kiện hiển thị; đoạn hướng dẫn luôn "
                    "hiện nên điều kiện bị bỏ qua."
                )
                % {"name": item.name},
                item.number,
            )
        self.name_to_key[item.name] = None
        self.emit("instructions", {"text": rich_text(text)}, frame)


def _no_condition():
    return {"field_key": "", "operator": Operator.EQUALS.value, "value": ""}


def rich_text(text):
    """Plain note text as the rich text of an instructions block."""
    paragraphs = [p.strip() for p in text.replace("\r", "").split("\n\n")]
    return "".join(
        "<p>" + html.escape(p).replace("\n", "<br/>") + "</p>" for p in paragraphs if p
    )
