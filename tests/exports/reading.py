"""Build an exporter's workbook as the job would, and read it back with openpyxl."""

import tempfile
from pathlib import Path

from openpyxl import load_workbook

from exports.writer import write_workbook


def build_workbook(exporter):
    """The workbook `exporter` produces, loaded (charts included)."""
    path = Path(tempfile.mkdtemp(prefix="dlxh-test-export-")) / "export.xlsx"
    write_workbook(
        path,
        exporter.get_sheets(),
        title=exporter.get_title(),
        author=exporter.get_author(),
        classification=exporter.get_classification(),
    )
    return load_workbook(path)


def table(ws):
    """(headers, rows as dicts by header) of a sheet: the header is the first row
    whose cells are all text, after the marking and title lines."""
    values = [list(row) for row in ws.iter_rows(values_only=True)]
    for index, row in enumerate(values):
        cells = [v for v in row if v is not None]
        if len(cells) > 1 and all(isinstance(v, str) for v in cells):
            headers = row
            return headers, [
                dict(zip(headers, r, strict=False)) for r in values[index + 1 :]
            ]
    return [], []


def find(rows, match):
    """The first row whose cells equal `match` ({header: value})."""
    for row in rows:
        if all(row.get(k) == v for k, v in match.items()):
            return row
    raise AssertionError(f"no row with {match}")
