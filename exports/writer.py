"""Sheets to an .xlsx file, streamed: rows are written as they come, never held.

This module chooses the engine and writes the workbook. Two engines write the
data rows and produce the same workbook (tests compare them cell by cell):

- `OpenpyxlEngine` (exports.openpyxl_engine): openpyxl writes every cell; the
  default for small files;
- `FastRowsEngine` (exports.fast_rows): the same openpyxl workbook, with the
  data rows' XML written by us and spliced into each sheet; used from
  EXPORTS_FAST_WRITER_MIN_ROWS rows. Why a writer of our own, and what it
  was measured at: benchmarks/README.md, "Exports".
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .exporters.base import Column, Sheet
from .fast_rows import FastRowsEngine
from .openpyxl_engine import OpenpyxlEngine


def choose_engine(sheets, expected_rows=None):
    """openpyxl for small workbooks, the fast row writer for large ones.

    settings.EXPORTS_ENGINE forces one ("openpyxl" or "fast").
    """
    forced = getattr(settings, "EXPORTS_ENGINE", "auto")
    if forced == "fast":
        return FastRowsEngine
    if forced == "openpyxl":
        return OpenpyxlEngine
    threshold = getattr(settings, "EXPORTS_FAST_WRITER_MIN_ROWS", 1000)
    if expected_rows is not None and expected_rows >= threshold:
        return FastRowsEngine
    return OpenpyxlEngine


def write_workbook(
    path,
    sheets,
    *,
    title,
    author,
    classification=0,
    progress=None,
    expected_rows=None,
    engine=None,
):
    """Write `sheets` to `path`; returns the number of data rows written.

    `progress(n)` is called with the rows written since its last call.
    `sheets` may be a generator; it is read once.
    """
    # A workbook needs a sheet, even when the exporter had nothing to give.
    sheets = list(sheets) or [
        Sheet(name=_("Dữ liệu"), columns=[Column(_("Không có dữ liệu"))], rows=list)
    ]
    engine_class = engine or choose_engine(sheets, expected_rows)
    created = timezone.now().astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    workbook = engine_class(
        path,
        title=title,
        author=author,
        classification=classification,
        created=created,
    )
    total = 0
    for sheet in sheets:
        total += workbook.write_sheet(sheet, progress)
    workbook.close()
    return total
