"""One XLSForm question row → one builder block (type, value)."""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from ..standard_blocks import STANDARD_KEYS, VocabularyBlock
from ..stream import FormFieldsBlock
from . import mapping as m

TEXT_STANDARD = {"dlxh_summary", "dlxh_recommendations"}
SELECT_STANDARD = set(STANDARD_KEYS) - TEXT_STANDARD


def is_scale(items):
    """Whether a list is the scale 1..5 or 1..7 that ratings are written as."""
    names = [item.name for item in items]
    return len(names) in m.RATING_SCALES and names == [
        str(n) for n in range(1, len(names) + 1)
    ]


def _decimal(text):
    try:
        return Decimal(text)
    except (InvalidOperation, TypeError):
        return None


class QuestionMapper:
    def __init__(self, builder):
        self.builder = builder
        self.report = builder.report
        self.lists = builder.lists

    def map(self, item):
        """(block type, value, fixed key, kind) of a question row, or None.

        `fixed key` is set for standard blocks; `kind` refines the block type
        where conditions need it (`> N` only translates on whole numbers).
        """
        handler = {
            "text": self.text,
            "integer": self.number,
            "decimal": self.number,
            "range": self.range,
            "date": self.date,
            "datetime": self.date,
            "select_one": self.select_one,
            "select_multiple": self.select_multiple,
            "file": self.file,
            "image": self.file,
        }.get(item.base)
        return handler(item) if handler else None

    # Shared columns

    def common(self, item):
        label = item.row.text("label")
        if not label:
            self.report.warn(
                _("câu hỏi “%(name)s” không có nhãn; dùng tên làm nhãn.")
                % {"name": item.name},
                item.number,
            )
            label = item.name
        return {
            "label": label,
            "help_text": item.row.text("hint"),
            "required": self.required(item),
        }

    def required(self, item):
        raw = item.row.get("required")
        if raw.lower() in m.TRUE_WORDS:
            return True
        if raw.lower() not in m.FALSE_WORDS:
            self.report.warn(
                _(
                    "điều kiện bắt buộc “%(text)s” không chuyển được; câu hỏi để "
                    "không bắt buộc."
                )
                % {"text": raw},
                item.number,
            )
        return False

    def _constraint_dropped(self, item, text):
        self.report.warn(
            _("ràng buộc “%(text)s” không chuyển được; bỏ ràng buộc này.")
            % {"text": text},
            item.number,
        )

    # Types

    def text(self, item):
        value = self.common(item)
        if item.name in TEXT_STANDARD:
            return item.name, value, item.name, None
        constraint = item.row.get("constraint")
        limits = m.parse_text_constraint(constraint) if constraint else {}
        if limits is None:
            self._constraint_dropped(item, constraint)
            limits = {}
        pattern = limits.get("pattern")
        if pattern == m.EMAIL_PATTERN and len(limits) == 1:
            return "email", value, None, None
        if pattern == m.PHONE_PATTERN and len(limits) == 1:
            return "phone", value, None, None
        if pattern:
            try:
                re.compile(pattern)
            except re.error:
                self._constraint_dropped(item, constraint)
                limits.pop("pattern")
            else:
                value["pattern_message"] = item.row.text("constraint_message")
        value.update(limits)
        if item.row.get("default"):
            value["default"] = item.row.get("default")
        multiline = m.MULTILINE_APPEARANCE in item.appearance()
        return ("long_text" if multiline else "short_text"), value, None, None

    def number(self, item):
        value = self.common(item)
        integer = item.base == "integer"
        value["decimal_places"] = 0 if integer else 2
        constraint = item.row.get("constraint")
        if constraint:
            limits = m.parse_number_constraint(constraint, integer)
            if limits is None:
                self._constraint_dropped(item, constraint)
            else:
                value.update({k: str(v) for k, v in limits.items()})
        default = _decimal(item.row.get("default") or None)
        if default is not None:
            value["default"] = str(default)
        return "number", value, None, "number_integer" if integer else "number"

    def range(self, item):
        value = self.common(item)
        params = m.parse_parameters(item.row.get("parameters"))
        start = _decimal(params.get("start", "1"))
        end = _decimal(params.get("end", "10"))
        step = _decimal(params.get("step", "1"))
        if None in (start, end, step):
            return None
        if start == 1 and step == 1 and end in m.RATING_SCALES:
            value["scale"] = str(int(end))
            return "rating", value, None, None
        whole = all(n == int(n) for n in (start, end, step))
        value.update(
            min_value=str(start), max_value=str(end), decimal_places=0 if whole else 2
        )
        return "number", value, None, "number_integer" if whole else "number"

    def date(self, item):
        return item.base, self.common(item), None, None

    def _or_other(self, item):
        if item.or_other:
            self.report.warn(
                _("“or_other” chưa được hỗ trợ; thêm lựa chọn “Khác” nếu cần."),
                item.number,
            )

    def _choices(self, items):
        return [{"label": choice.label, "key": choice.name} for choice in items]

    def select_one(self, item):
        value = self.common(item)
        items = self.lists.get(item.list_name, [])
        standard = item.list_name if item.list_name in SELECT_STANDARD else None
        if standard is None and item.name in SELECT_STANDARD:
            standard = item.name
        if standard:
            self._check_vocabulary(item, standard, items)
            return standard, value, standard, None
        self._or_other(item)
        if item.list_name == m.LOCALITY_LIST:
            return "locality", value, None, None
        names = sorted(choice.name for choice in items)
        if names == sorted(m.YES_NO_NAMES):
            return "yes_no", value, None, None
        appearance = item.appearance()
        if m.RATING_APPEARANCE in appearance and is_scale(items):
            value.update(
                scale=str(len(items)),
                low_label=items[0].label,
                high_label=items[-1].label,
            )
            return "rating", value, None, None
        if not items:
            return None
        value["choices"] = self._choices(items)
        value["display"] = (
            "dropdown" if appearance & m.DROPDOWN_APPEARANCES else "radio"
        )
        return "single_choice", value, None, None

    def _check_vocabulary(self, item, standard, items):
        block = FormFieldsBlock.base_blocks[standard]
        if not isinstance(block, VocabularyBlock) or block.vocabulary is None:
            return
        if {c.name for c in items} != set(block.vocabulary.values):
            self.report.warn(
                _(
                    "danh sách “%(list)s” khác bộ mã chuẩn của khối “%(key)s”; dùng "
                    "bộ mã chuẩn của hệ thống."
                )
                % {"list": item.list_name, "key": standard},
                item.number,
            )

    def select_multiple(self, item):
        value = self.common(item)
        self._or_other(item)
        items = self.lists.get(item.list_name, [])
        if not items:
            return None
        value["choices"] = self._choices(items)
        return "multiple_choice", value, None, None

    def file(self, item):
        value = self.common(item)
        accept = item.row.get("body::accept")
        if accept:
            extensions = [e.strip().lstrip(".") for e in re.split(r"[,\s]+", accept)]
            value["allowed_extensions"] = ",".join(e.lower() for e in extensions if e)
        elif item.base == "image":
            value["allowed_extensions"] = m.IMAGE_EXTENSIONS
        return "file", value, None, None

    # Groups

    def matrix(self, group, frame):
        """A `table-list` group of likert rows on one list → a Likert matrix."""
        questions = group.questions()
        # KoboToolbox writes a header row (appearance "label") above the rows.
        rows = [q for q in questions if "label" not in q.appearance()]
        lists = {q.list_name for q in questions}
        if (
            not rows
            or len(questions) != len(group.children)
            or any(q.base != "select_one" for q in questions)
            or len(lists) != 1
            or not is_scale(self.lists.get(lists.pop(), []))
        ):
            return False
        items = self.lists[questions[0].list_name]
        builder = self.builder
        value = {
            "label": group.row.text("label") or group.name,
            "help_text": group.row.text("hint"),
            "required": any([self.required(q) for q in rows]),
            "scale": str(len(items)),
            "low_label": items[0].label,
            "high_label": items[-1].label,
            "statements": self._statements(group.name, rows),
        }
        value["key"] = builder.key_for(group.name, group.number)
        value["condition"] = builder.condition(group) or {
            "field_key": "",
            "operator": "equals",
            "value": "",
        }
        for q in rows:
            if q.row.get("relevant"):
                self.report.warn(
                    _("điều kiện riêng của từng dòng trong ma trận Likert bị bỏ qua."),
                    q.number,
                )
        builder.emit("likert_matrix", value, frame)
        builder.block_types[value["key"]] = "likert_matrix"
        return True

    def _statements(self, prefix, rows):
        statements, seen = [], set()
        for q in rows:
            key = q.name
            for sep in ("__", "_"):
                if key.startswith(prefix + sep) and len(key) > len(prefix + sep):
                    key = key[len(prefix + sep) :]
                    break
            if key in seen:
                key = q.name
            seen.add(key)
            statements.append({"label": q.row.text("label") or q.name, "key": key})
        return statements
