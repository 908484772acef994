"""A form page → an XLSForm workbook (survey, choices, settings) with openpyxl.

The workbook opens in KoboToolbox or ODK, and imports back here to the same
blocks: keys are the `name`s, conditions the `relevant`s, sections are groups,
page breaks `field-list` groups, and blocks XLSForm has no type for are marked
by their list name or appearance (see mapping.py).
"""

import html
import re

from django.conf import settings as django_settings
from django.utils import timezone
from django.utils.html import strip_tags
from openpyxl import Workbook
from openpyxl.styles import Font

from units.models import Commune

from ..keys import unique_key
from . import mapping as m

SURVEY_COLUMNS = [
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "appearance",
    "constraint",
    "constraint_message",
    "default",
    "parameters",
    "body::accept",
]
CHOICE_COLUMNS = ["list_name", "name", "label"]
SETTINGS_COLUMNS = ["form_title", "form_id", "version", "default_language"]
LANGUAGE = "Vietnamese (vi)"


def plain_text(rich_text):
    """Rich text as a note label: paragraphs become blank lines."""
    source = getattr(rich_text, "source", rich_text) or ""
    source = re.sub(r"<br\s*/?>", "\n", source)
    source = re.sub(r"</(p|h\d|li)>", "\n\n", source)
    return html.unescape(strip_tags(source)).strip()


class XlsformWriter:
    def __init__(self, page):
        self.page = page
        self.rows = []
        self.lists = {}
        self.types = {}
        self.taken = set()
        self.open_section = False
        self.open_page = False

    def workbook(self):
        stream = list(self.page.fields)
        for child in stream:
            key = child.value.get("key") if hasattr(child.value, "get") else None
            if key:
                self.taken.add(key)
                self.types[key] = child.block_type
        steps = 1
        for child in stream:
            if child.block_type == "page_break":
                steps += 1
                self.page_break(child.value, steps)
            elif child.block_type == "heading":
                self.heading(child.value)
            elif child.block_type == "instructions":
                name = unique_key("huong_dan", self.taken)
                self.add_row("note", name, plain_text(child.value["text"]))
            elif child.block_type == "likert_matrix":
                self.matrix(child.value)
            else:
                self.question(child.block_type, child.block, child.value)
        self.close_section()
        self.close_page()
        return self._book()

    # Rows

    def add_row(self, type_, name, label="", **columns):
        row = {"type": type_, "name": name, "label": label}
        row.update({k.replace("__", "::"): v for k, v in columns.items() if v})
        self.rows.append(row)

    def add_list(self, name, items):
        """A choices list; a different list under a taken name gets a new name."""
        items = [(str(key), str(label)) for key, label in items]
        base, n = name, 2
        while name in self.lists and self.lists[name] != items:
            name = f"{base}_{n}"
            n += 1
        self.lists[name] = items
        return name

    def relevant(self, condition):
        key = (condition or {}).get("field_key") or ""
        return m.format_relevant(condition, self.types.get(key, ""))

    def close_section(self):
        if self.open_section:
            self.add_row("end group", "")
            self.open_section = False

    def close_page(self):
        if self.open_page:
            self.add_row("end group", "")
            self.open_page = False

    def page_break(self, value, step):
        self.close_section()
        self.close_page()
        name = unique_key(f"buoc_{step}", self.taken)
        self.add_row(
            "begin group",
            name,
            value.get("title") or "",
            appearance=m.PAGE_APPEARANCE,
        )
        self.open_page = True

    def heading(self, value):
        self.close_section()
        self.add_row(
            "begin group",
            value["key"],
            value["title"],
            relevant=self.relevant(value.get("condition")),
        )
        self.open_section = True

    def _common(self, value):
        return {
            "hint": value.get("help_text") or "",
            "required": "yes" if value.get("required") else "",
            "relevant": self.relevant(value.get("condition")),
        }

    def _scale_list(self, key, value):
        size = int(value.get("scale") or 5)
        labels = [str(n) for n in range(1, size + 1)]
        labels[0] = value.get("low_label") or labels[0]
        labels[-1] = value.get("high_label") or labels[-1]
        return self.add_list(key, [(n, labels[n - 1]) for n in range(1, size + 1)])

    def matrix(self, value):
        key = value["key"]
        list_name = self._scale_list(_own_list(key), value)
        common = self._common(value)
        self.add_row(
            "begin group",
            key,
            value["label"],
            hint=common["hint"],
            relevant=common["relevant"],
            appearance=m.MATRIX_APPEARANCE,
        )
        for statement in value["statements"]:
            self.add_row(
                f"select_one {list_name}",
                f"{key}__{statement['key']}",
                statement["label"],
                required=common["required"],
            )
        self.add_row("end group", "")

    def question(self, block_type, block, value):
        key = value["key"]
        columns = self._common(value)
        type_, extra = self.type_for(block_type, block, value, key)
        columns.update(extra)
        self.add_row(type_, key, value["label"], **columns)

    def type_for(self, block_type, block, value, key):
        """(XLSForm type, other columns) of one question block."""
        if block_type in ("short_text", "long_text"):
            default_max = block.child_blocks["max_length"].get_default()
            extra = {
                "constraint": m.format_text_constraint(value, default_max),
                "constraint_message": value.get("pattern_message") or "",
                "default": value.get("default") or "",
            }
            if block_type == "long_text":
                extra["appearance"] = m.MULTILINE_APPEARANCE
            return "text", extra
        if block_type == "number":
            extra = {"constraint": m.format_number_constraint(value)}
            if value.get("default") is not None:
                extra["default"] = str(value["default"])
            return ("decimal" if value.get("decimal_places") else "integer"), extra
        if block_type == "date":
            return "date", {}
        if block_type == "datetime":
            return "dateTime", {}
        if block_type == "email":
            return "text", {"constraint": f"regex(., {m.quote(m.EMAIL_PATTERN)})"}
        if block_type == "phone":
            return "text", {
                "constraint": f"regex(., {m.quote(m.PHONE_PATTERN)})",
                "appearance": m.PHONE_APPEARANCE,
            }
        if block_type in ("single_choice", "multiple_choice"):
            items = [(c["key"], c["label"]) for c in value["choices"]]
            list_name = self.add_list(_own_list(key), items)
            if block_type == "multiple_choice":
                return f"select_multiple {list_name}", {}
            appearance = "minimal" if value.get("display") == "dropdown" else ""
            return f"select_one {list_name}", {"appearance": appearance}
        if block_type == "yes_no":
            items = block.get_choices(value, None)
            return f"select_one {self.add_list(m.YES_NO_LIST, items)}", {}
        if block_type == "rating":
            list_name = self._scale_list(_own_list(key), value)
            return f"select_one {list_name}", {"appearance": m.RATING_APPEARANCE}
        if block_type in ("locality", "dlxh_locality"):
            name = m.LOCALITY_LIST if block_type == "locality" else block_type
            return f"select_one {self.add_list(name, communes())}", {}
        if block_type == "file":
            extensions = block.extensions(value)
            accept = ",".join(f".{ext}" for ext in extensions)
            return "file", {"body__accept": accept}
        if block_type in ("dlxh_summary", "dlxh_recommendations"):
            return "text", {"appearance": m.MULTILINE_APPEARANCE}
        # The remaining standard blocks: a fixed vocabulary under the list
        # named after their key, which the import recognises.
        items = block.get_choices(value, None)
        return f"select_one {self.add_list(block_type, items)}", {}

    # Workbook

    def _book(self):
        book = Workbook()
        survey = book.active
        survey.title = "survey"
        _write(survey, SURVEY_COLUMNS, self.rows)
        choices = book.create_sheet("choices")
        _write(
            choices,
            CHOICE_COLUMNS,
            [
                {"list_name": name, "name": key, "label": label}
                for name, items in self.lists.items()
                for key, label in items
            ],
        )
        settings = book.create_sheet("settings")
        _write(
            settings,
            SETTINGS_COLUMNS,
            [
                {
                    "form_title": self.page.title,
                    "form_id": self.page.slug,
                    "version": timezone.now().strftime("%Y%m%d%H%M"),
                    "default_language": LANGUAGE,
                }
            ],
        )
        return book


def _own_list(key):
    """A question's own list is named after it, unless the name marks a block."""
    return f"{key}_list" if key in m.RESERVED_LISTS else key


def communes():
    return Commune.objects.filter(
        province_code=django_settings.DLXH_PROVINCE_CODE
    ).values_list("code", "name")


def _write(sheet, columns, rows):
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.get(column, "") or None for column in columns])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns):
        width = max([len(column), *(len(str(r.get(column) or "")) for r in rows)])
        letter = sheet.cell(row=1, column=index + 1).column_letter
        sheet.column_dimensions[letter].width = min(max(width + 2, 10), 60)


def workbook_for(page):
    return XlsformWriter(page).workbook()
