"""Running an export in the test's own process and opening what it wrote."""

import shutil
import tempfile

from django.test import override_settings
from openpyxl import load_workbook

from exports.models import ExportJob
from exports.runs import run_export, start_export


def export(user, kind="submissions", **params):
    """Start and run an export as `user`; the finished ExportJob."""
    job = start_export(user, kind, params)
    run_export(job.pk)
    return ExportJob.objects.get(pk=job.pk)


def open_workbook(job):
    assert job.status == ExportJob.Status.DONE, (job.status, job.error)
    with job.file.open("rb") as handle:
        return load_workbook(handle)


def find_header_row(sheet, first_header="Mã báo cáo"):
    for index, row in enumerate(sheet.iter_rows(values_only=True), 1):
        if row and row[0] == first_header:
            return index
    return None


def records(sheet):
    """The data rows as dicts by header, wherever the header row is; [] for the
    placeholder sheet of an export that found nothing."""
    start = find_header_row(sheet)
    if start is None:
        return []
    rows = list(sheet.iter_rows(min_row=start, values_only=True))
    header = rows[0]
    return [dict(zip(header, row, strict=False)) for row in rows[1:]]


class PrivateFilesMixin:
    """A MEDIA_ROOT of its own for each test: files outlive rolled-back rows."""

    def setUp(self):
        super().setUp()
        root = tempfile.mkdtemp(prefix="dlxh-exports-test-")
        self.addCleanup(shutil.rmtree, root, ignore_errors=True)
        files = override_settings(MEDIA_ROOT=root)
        files.enable()
        self.addCleanup(files.disable)
