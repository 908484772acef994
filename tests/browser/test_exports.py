"""Board staff export the inbox to Excel in chromium: the progress bar fills up
while a real RQ worker writes the file, then the file downloads and opens."""

import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from openpyxl import load_workbook

import jobs
from exports.models import ExportJob
from tests.browser.base import BrowserTestCase
from tests.exports.test_worker import descendants
from tests.forms_app.factories import make_report_template, make_submission

ROOT = Path(__file__).resolve().parents[2]
QUEUE = f"exports-browser-{uuid.uuid4().hex[:8]}"
ROWS = 60


# The export runs in a worker process, which cannot see an in-memory SQLite
# database.
@pytest.mark.needs_postgres
@pytest.mark.needs_redis
@override_settings(
    EXPORTS_QUEUE=QUEUE,
    EXPORTS_TEST_HOOKS=True,
    RQ_QUEUES={**settings.RQ_QUEUES, QUEUE: settings.RQ_QUEUES["exports"]},
)
class ExportBrowserTestCase(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.queue = jobs.get_queue(QUEUE)
        self.queue.empty()
        self.addCleanup(self.queue.empty)
        self.form = make_report_template(one_per_unit_per_period=False)
        for n in range(ROWS):
            make_submission(
                self.form,
                unit=self.hoa_phu_ubnd,
                answers={"ho_ten": f"Người báo cáo {n}", "so_nguoi": n},
            )
        self.worker = self.start_worker()

    def start_worker(self):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.exports.worker_settings",
            "DLXH_TEST_DATABASE_NAME": connection.settings_dict["NAME"],
            "DLXH_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "DLXH_TEST_EXPORTS_QUEUE": QUEUE,
        }
        process = subprocess.Popen(
            [sys.executable, "manage.py", "rqworker", QUEUE],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def stop():
            for pid in [*descendants(process.pid), process.pid]:
                try:
                    os.kill(pid, 9)
                except ProcessLookupError:
                    pass
            process.wait(timeout=30)

        self.addCleanup(stop)
        return process

    def test_board_staff_export_the_inbox_and_download_the_file(self):
        page = self.page
        self.log_in(self.owner)
        # The inbox filtered on the form; a test-only delay slows each row so
        # the bar is seen moving.
        page.goto(self.url(f"/admin/submissions/?page={self.form.pk}&_test_delay=0.05"))
        page.get_by_role("link", name="Xuất Excel", exact=True).click()

        page.wait_for_url("**/admin/exports/start/submissions/**")
        assert page.get_by_text(f"Tệp sẽ có {ROWS} dòng dữ liệu").is_visible()
        page.get_by_role("button", name="Bắt đầu xuất").click()

        page.wait_for_url(re.compile(r"/admin/exports/\?moi=\d+$"))
        job = ExportJob.objects.get()
        row = page.locator(f'tr[data-job-id="{job.pk}"]')
        bar = row.locator("progress")
        seen = set()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            value = int(bar.evaluate("el => el.value"))
            seen.add(value)
            if value == 100:
                break
            page.wait_for_timeout(200)
        assert 100 in seen, seen
        assert row.locator('[data-field="percent"]').inner_text() == "100 %"
        assert row.locator('[data-field="status"]').inner_text() == "Hoàn tất"

        download_link = row.get_by_role("link", name="Tải xuống")
        download_link.wait_for(state="visible")
        with page.expect_download() as info:
            download_link.click()
        download = info.value
        assert download.suggested_filename.endswith(".xlsx")
        with open(download.path(), "rb") as handle:
            workbook = load_workbook(handle)
        sheet = workbook.worksheets[0]
        header = [cell.value for cell in sheet[1]]
        assert header[:2] == ["Mã báo cáo", "Đơn vị"]
        assert sheet.max_row == ROWS + 1
        names = {
            row[header.index("Họ và tên")]
            for row in sheet.iter_rows(min_row=2, values_only=True)
        }
        assert "Người báo cáo 59" in names
