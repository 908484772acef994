"""The fast engine: openpyxl's workbook with data rows written by us.

Why a row writer of our own: a large export spends nearly all its time turning
cells into XML, and Wagtail's own export already uses openpyxl's write-only
mode, so no general-purpose writer can be several times faster than it (the
fastest, XlsxWriter, was 1.5 times faster). Writing the `<row>`/`<c>` XML of
typed values directly is what makes the difference; the measurement is in
benchmarks/README.md, "Exports".

Everything else stays openpyxl's: the workbook is built exactly as
OpenpyxlEngine builds it (styles, properties, panes, widths, marking, header
row, autofilter, print titles, charts); the data rows are streamed into a
temporary file beside the output, using openpyxl's own style ids and date
serials; hyperlinks go to openpyxl's hyperlink list (it writes their
relationships). When openpyxl has saved, the rows are spliced into each sheet
at `</sheetData>` while the package is copied, in 1 MB chunks.
"""

import datetime as dt
import math
import os
import shutil
import zipfile
from decimal import Decimal

from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.hyperlink import Hyperlink

from .exporters.base import MAX_ROWS, Link
from .openpyxl_engine import (
    FORMULA_START,
    LINK_LIMIT,
    PROGRESS_EVERY,
    URL_LIMIT,
    OpenpyxlEngine,
    clean_text,
    column_letter,
    local_naive,
)

CHUNK = 1 << 20
# zlib level of the rows: 3 compresses about three times faster than the
# default 6 for a file about a third larger; the rows are most of the work.
ROWS_COMPRESSION = 3
WHITESPACE = (" ", "\t", "\n")
# Above this a zip member needs ZIP64 (Excel reads it; smaller ones stay plain).
ZIP64_FROM = 1 << 31


def _t(text):
    """`<t>` of a text: cleaned, escaped, spaces kept (Excel drops leading and
    trailing ones unless told); one function, as it runs for most cells."""
    text = clean_text(text)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if text.startswith(WHITESPACE) or text.endswith(WHITESPACE):
        return f'<t xml:space="preserve">{text}</t>'
    return f"<t>{text}</t>"


def _style(style_id):
    return f' s="{style_id}"' if style_id else ""


class FastRowsEngine(OpenpyxlEngine):
    name = "fast"

    def __init__(self, path, **kwargs):
        super().__init__(path, **kwargs)
        self.fragments = []  # (worksheet, path of its rows' XML)

    def write_rows(self, ws, layout, sheet, progress):
        workbook = self.workbook
        register = workbook._cell_styles.add
        quoted = _style(register(self.st_quoted))
        link = _style(register(self.st_link))
        dates = [_style(register(s)) for s in self.st_date]
        datetimes = [_style(register(s)) for s in self.st_datetime]
        numbers = [_style(register(s)) if s is not None else "" for s in self.st_number]
        letters = [column_letter(i) for i in range(1, max(layout.width, 1) + 1)]
        epoch = workbook.epoch
        hyperlinks = ws._hyperlinks

        fragment = f"{self.path}.rows{len(self.fragments) + 1}"
        self.fragments.append((ws, fragment))
        rows = links = 0
        number = layout.first_data_row  # 0-based index of the first data row
        with open(fragment, "w", encoding="utf-8", newline="", buffering=CHUNK) as out:
            write = out.write
            for values in sheet.rows():
                number += 1
                if number > MAX_ROWS:
                    break
                r = str(number)
                parts = [f'<row r="{r}">']
                add = parts.append
                for col, value in enumerate(values):
                    kind = type(value)
                    ref = letters[col] + r
                    if kind is str:
                        if not value:
                            continue
                        style = quoted if value.startswith(FORMULA_START) else ""
                        text = _t(value)
                        add(f'<c r="{ref}"{style} t="inlineStr"><is>{text}</is></c>')
                    elif kind is int or kind is float or kind is Decimal:
                        if kind is float and not math.isfinite(value):
                            add(self._text(ref, str(value)))
                        elif kind is Decimal and not value.is_finite():
                            add(self._text(ref, str(value)))
                        else:
                            text = repr(value) if kind is float else str(value)
                            add(f'<c r="{ref}"{numbers[col]}><v>{text}</v></c>')
                    elif kind is dt.datetime:
                        serial = to_excel(local_naive(value), epoch)
                        add(f'<c r="{ref}"{datetimes[col]}><v>{serial!r}</v></c>')
                    elif kind is dt.date:
                        serial = to_excel(value, epoch)
                        add(f'<c r="{ref}"{dates[col]}><v>{serial!r}</v></c>')
                    elif kind is bool:
                        add(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
                    elif kind is Link:
                        text = clean_text(str(value.text))
                        if links < LINK_LIMIT and len(value.url) <= URL_LIMIT:
                            links += 1
                            hyperlinks.append(Hyperlink(ref=ref, target=value.url))
                            add(self._text(ref, text, link))
                        elif text:
                            add(self._text(ref, text))
                    elif value is not None:
                        text = clean_text(str(value))
                        if text:
                            add(self._text(ref, text))
                add("</row>")
                write("".join(parts))
                rows += 1
                if progress is not None and rows % PROGRESS_EVERY == 0:
                    progress(PROGRESS_EVERY)
        if progress is not None:
            progress(rows % PROGRESS_EVERY)
        return rows

    @staticmethod
    def _text(ref, text, style=""):
        return f'<c r="{ref}"{style} t="inlineStr"><is>{_t(text)}</is></c>'

    def close(self):
        package = f"{self.path}.package"
        try:
            self.workbook.save(package)
            rows_of = {ws.path.lstrip("/"): fragment for ws, fragment in self.fragments}
            with (
                zipfile.ZipFile(package) as source,
                zipfile.ZipFile(
                    self.path,
                    "w",
                    zipfile.ZIP_DEFLATED,
                    compresslevel=ROWS_COMPRESSION,
                ) as target,
            ):
                for info in source.infolist():
                    fragment = rows_of.get(info.filename)
                    if fragment is None:
                        target.writestr(info, source.read(info))
                    else:
                        self._splice(source, info, fragment, target)
        finally:
            for path in [package, *(fragment for _ws, fragment in self.fragments)]:
                if os.path.exists(path):
                    os.unlink(path)

    @staticmethod
    def _splice(source, info, fragment, target):
        head, marker, tail = source.read(info).partition(b"</sheetData>")
        if not marker:
            raise ValueError(f"{info.filename}: no </sheetData> to splice rows into")
        big = os.path.getsize(fragment) + len(head) + len(tail) >= ZIP64_FROM
        with target.open(info.filename, "w", force_zip64=big) as out:
            out.write(head)
            with open(fragment, "rb") as rows:
                shutil.copyfileobj(rows, out, CHUNK)
            out.write(marker + tail)
