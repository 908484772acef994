"""Digests of any period from the admin, surveys in the digest, no chart over no
data, and labelled counts in the export list."""

from django.urls import reverse

from exports.exporters.digest import DigestExporter
from exports.models import ExportJob
from exports.views import rows_text
from forms_app import periods
from tests.base import BaseTestCase
from tests.exports.reading import build_workbook, table
from tests.forms_app.factories import make_submission, make_survey

PICKER = "/admin/exports/tong-hop/"


class DigestPickerTest(BaseTestCase):
    def test_staff_pick_any_week_month_quarter_or_year(self):
        self.login(self.owner)
        response = self.client.get(PICKER)
        self.assertEqual(response.status_code, 200)
        for period_type in periods.SCHEDULED_TYPES:
            old = periods.recent_periods(period_type, 4)[-1]
            with self.subTest(period_type=period_type):
                self.assertContains(response, f'value="{old.key}"')
                response_post = self.client.post(PICKER, {"period": old.key})
                self.assertEqual(
                    response_post["Location"],
                    f"{reverse('exports:start', args=['digest'])}?period={old.key}",
                )

    def test_and_the_annual_reports_year(self):
        self.login(self.owner)
        response = self.client.post(PICKER, {"year": "2024"})
        self.assertEqual(
            response["Location"],
            f"{reverse('exports:start', args=['annual_report'])}?year=2024",
        )

    def test_a_period_not_offered_is_refused_with_a_message(self):
        self.login(self.owner)
        response = self.client.post(PICKER, {"period": "1999-W01"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "error-message")

    def test_reporting_units_may_not_open_it(self):
        self.login(self.member)
        self.assertIn(self.client.get(PICKER).status_code, (302, 403))


class SurveyAndEmptyChartsTest(BaseTestCase):
    def test_surveys_answered_in_the_period_are_summarised(self):
        survey = make_survey(
            fields=[
                {
                    "type": "single_choice",
                    "value": {
                        "label": "Độ tuổi",
                        "key": "do_tuoi",
                        "choices": [
                            {"label": "Dưới 30", "key": "duoi_30"},
                            {"label": "Từ 30", "key": "tu_30"},
                        ],
                    },
                }
            ]
        )
        for choice in ("duoi_30", "duoi_30", "tu_30"):
            make_submission(survey, answers={"do_tuoi": choice})
        week = periods.period_for("weekly").key
        workbook = build_workbook(
            DigestExporter(user=self.owner, params={"period": week})
        )
        _headers, rows = table(workbook["Khảo sát"])
        picked = {r["Lựa chọn"]: r["Số lượt chọn, số phiếu"] for r in rows}
        self.assertEqual(picked["Dưới 30"], 2)
        self.assertEqual(picked["Từ 30"], 1)
        answered = [r for r in rows if r["Câu hỏi"] == "Số phiếu trả lời trong kỳ"]
        self.assertEqual(answered[0]["Số lượt chọn, số phiếu"], 3)

    def test_a_chart_over_no_data_is_a_sentence(self):
        week = periods.period_for("weekly").key
        workbook = build_workbook(
            DigestExporter(user=self.owner, params={"period": week})
        )
        sheet = workbook["Tổng hợp"]
        self.assertEqual(len(sheet._charts), 0)
        _headers, rows = table(sheet)
        sentences = [r["Nội dung"] for r in rows if r["Chỉ tiêu"] == "Biểu đồ"]
        self.assertIn(
            "Theo mức độ tác động: không có số liệu trong kỳ nên không vẽ biểu đồ.",
            sentences,
        )


class ExportCountLabelTest(BaseTestCase):
    def test_every_count_says_what_it_counts(self):
        Status = ExportJob.Status
        cases = [
            (Status.QUEUED, 0, 41, None, "Khoảng 41 dòng"),
            (Status.RUNNING, 20, 41, None, "Đã ghi 20 / khoảng 41 dòng"),
            (Status.RUNNING, 41, 0, None, "Đã ghi 41 dòng"),
            (Status.DONE, 41, 0, 41, "41 dòng dữ liệu"),
            (Status.FAILED, 7, 41, None, "Đã ghi 7 dòng trước khi dừng"),
        ]
        for status, done, total, count, text in cases:
            with self.subTest(status=status):
                job = ExportJob(
                    status=status, rows_done=done, rows_total=total, row_count=count
                )
                self.assertEqual(rows_text(job), text)
