"""Who owed a report for a period, and whether it came on time (Art. 6.3, 8.2)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase
from django.utils import timezone
from wagtail.models import PageLogEntry

from exports import compliance
from exports.compliance import Status
from exports.exporters import get_exporter
from exports.exporters.annual import AnnualReportExporter
from forms_app.archiving import archive_form
from forms_app.models import ReportTemplatePage
from forms_app.obligations import ReportingCalendar
from forms_app.submitting import AlreadySubmitted
from tests.base import BaseTestCase
from tests.exports.reading import build_workbook, find, table
from tests.exports.test_digest import DigestData
from tests.forms_app.factories import make_report_template, make_submission
from units.choices import Level, Role, UnitKind
from units.models import Unit


def at(year, month, day, hour=10):
    return timezone.make_aware(dt.datetime(year, month, day, hour))


class PeriodKeyTest(SimpleTestCase):
    def test_keys_of_every_scheduled_type(self):
        cases = {
            "2025-W47": ("weekly", dt.date(2025, 11, 17), dt.date(2025, 11, 23)),
            "2026-W01": ("weekly", dt.date(2025, 12, 29), dt.date(2026, 1, 4)),
            "2025-11": ("monthly", dt.date(2025, 11, 1), dt.date(2025, 11, 30)),
            "2025-Q4": ("quarterly", dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
            "2025": ("yearly", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        }
        for key, (period_type, start, end) in cases.items():
            with self.subTest(key=key):
                found_type, period = compliance.period_from_key(key)
                self.assertEqual(
                    (found_type, period.key, period.start, period.end),
                    (period_type, key, start, end),
                )

    def test_bad_keys(self):
        for key in ("", "2025-W60", "2025-13", "2025-Q5", "tuần 47", "2025-11-20"):
            with self.subTest(key=key), self.assertRaises(ValueError):
                compliance.period_from_key(key)

    def test_periods_of_a_year(self):
        weeks = compliance.periods_of_year("weekly", 2026)
        self.assertEqual(len(weeks), 53)  # 2026 is a long ISO year
        self.assertEqual(weeks[0].key, "2026-W01")
        self.assertEqual(weeks[-1].key, "2026-W53")
        self.assertEqual(len(compliance.periods_of_year("weekly", 2025)), 52)
        months = compliance.periods_of_year("monthly", 2025)
        self.assertEqual([m.key for m in months][:2], ["2025-01", "2025-02"])
        self.assertEqual(len(months), 12)
        self.assertEqual(len(compliance.periods_of_year("quarterly", 2025)), 4)
        self.assertEqual(len(compliance.periods_of_year("yearly", 2025)), 1)

    def test_on_time_rate(self):
        counts = {Status.ON_TIME: 3, Status.LATE: 1, Status.MISSING: 0, "not_due": 5}
        self.assertEqual(compliance.on_time_rate(counts), 75.0)
        empty = {status: 0 for status in Status.values}
        self.assertIsNone(compliance.on_time_rate(empty))

    def test_labels(self):
        _type, week = compliance.period_from_key("2025-W47")
        self.assertEqual(
            compliance.period_label("weekly", week), "tuần 47/2025 (17/11 – 23/11/2025)"
        )
        _type, quarter = compliance.period_from_key("2025-Q4")
        self.assertEqual(compliance.period_label("quarterly", quarter), "quý 4/2025")


class OwingUnitsTest(BaseTestCase):
    def owing(self, **audience):
        units = audience.pop("units", [])
        page = make_report_template(
            slug=f"mau-{len(units)}-{len(audience)}", **audience
        )
        page.audience_units.set(units)
        page.save()
        return {unit.code for unit in ReportingCalendar().owing(page)}

    def test_no_audience_is_every_unit_but_the_board(self):
        every = set(
            Unit.objects.exclude(kind=UnitKind.BOARD).values_list("code", flat=True)
        )
        self.assertEqual(self.owing(), every)
        self.assertNotIn("T66-BTGDV", every)

    def test_named_units_only(self):
        self.assertEqual(
            self.owing(units=[self.police, self.hoa_phu_ubnd]),
            {"T66-CA", "X24175-UBND"},
        )

    def test_levels_and_kinds_plus_named_units(self):
        self.assertEqual(
            self.owing(
                audience_levels=[Level.COMMUNE],
                audience_kinds=[UnitKind.PEOPLES_COMMITTEE],
                units=[self.police],
            ),
            {"X24175-UBND", "X24163-UBND", "T66-CA"},
        )

    def test_roles_need_a_member_in_that_role(self):
        self.assertEqual(self.owing(audience_roles=[Role.COLLABORATOR]), {"X24175-CTV"})

    def test_inactive_units_owe_nothing(self):
        Unit.objects.filter(pk=self.tan_an_ubnd.pk).update(is_active=False)
        self.assertNotIn(
            "X24163-UBND", self.owing(audience_kinds=[UnitKind.PEOPLES_COMMITTEE])
        )


class LedgerTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.weekly = make_report_template(
            audience_levels=[Level.COMMUNE],
            audience_kinds=[UnitKind.PEOPLES_COMMITTEE],
        )
        ReportTemplatePage.objects.filter(pk=cls.weekly.pk).update(
            first_published_at=at(2025, 11, 1)
        )
        cls.weekly.refresh_from_db()
        _type, cls.week = compliance.period_from_key("2025-W47")
        make_submission(
            cls.weekly,
            cls.hoa_phu_ubnd,
            period="2025-W47",
            submitted_at=at(2025, 11, 18),
        )

    def test_a_second_report_of_the_week_is_refused(self):
        with self.assertRaises(AlreadySubmitted):
            make_submission(
                self.weekly,
                self.hoa_phu_ubnd,
                period="2025-W47",
                submitted_at=at(2025, 11, 21),
            )

    def statuses(self, rows):
        return {(row.unit.code, row.period.key): row.status for row in rows}

    def test_statuses_of_a_week(self):
        rows = compliance.obligations(
            self.owner, "weekly", self.week, now=at(2025, 12, 1)
        )
        self.assertEqual(
            self.statuses(rows),
            {
                ("X24175-UBND", "2025-W47"): Status.ON_TIME,
                ("X24163-UBND", "2025-W47"): Status.MISSING,
            },
        )
        self.assertEqual(rows[0].deadline, at(2025, 11, 21, 16))

    def test_due_before_the_deadline(self):
        rows = compliance.obligations(
            self.owner, "weekly", self.week, now=at(2025, 11, 20)
        )
        self.assertEqual(self.statuses(rows)[("X24163-UBND", "2025-W47")], Status.DUE)

    def test_not_due_before_the_period(self):
        rows = compliance.obligations(
            self.owner, "weekly", self.week, now=at(2025, 11, 14)
        )
        self.assertEqual(
            self.statuses(rows)[("X24163-UBND", "2025-W47")], Status.NOT_DUE
        )

    def test_a_template_owes_nothing_before_it_was_published(self):
        _type, earlier = compliance.period_from_key("2025-W40")
        self.assertEqual(compliance.obligations(self.owner, "weekly", earlier), [])

    def test_templates_not_required_owe_nothing(self):
        ReportTemplatePage.objects.filter(pk=self.weekly.pk).update(
            answer_required=False
        )
        self.assertEqual(compliance.obligations(self.owner, "weekly", self.week), [])

    def test_an_archived_template_owed_until_it_was_withdrawn(self):
        archive_form(self.weekly, user=self.owner)
        PageLogEntry.objects.filter(page_id=self.weekly.pk).update(
            timestamp=at(2025, 11, 26)
        )
        ledger = compliance.Ledger(self.owner, now=at(2025, 12, 31))
        weeks = [compliance.period_from_key(k)[1] for k in ("2025-W47", "2025-W49")]
        owed = {row.period.key for row in ledger.obligations("weekly", weeks)}
        self.assertEqual(owed, {"2025-W47"})

    def test_many_periods_at_once(self):
        ledger = compliance.Ledger(self.owner, now=at(2025, 12, 31))
        weeks = compliance.periods_of_year("weekly", 2025)
        rows = ledger.obligations("weekly", weeks)
        # Published on 1 November: week 44 (due 31 October) is not owed.
        self.assertEqual(
            sorted({row.period.key for row in rows})[:2], ["2025-W45", "2025-W46"]
        )
        counts = compliance.count_statuses(rows)
        self.assertEqual(counts[Status.ON_TIME], 1)
        self.assertEqual(counts[Status.MISSING], len(rows) - 1)

    def test_outside_the_board_only_ones_own_units(self):
        rows = compliance.obligations(
            self.outsider, "weekly", self.week, now=at(2025, 12, 1)
        )
        self.assertEqual(
            self.statuses(rows), {("X24163-UBND", "2025-W47"): Status.MISSING}
        )
        rows = compliance.obligations(
            self.viewer, "weekly", self.week, now=at(2025, 12, 1)
        )
        self.assertEqual(len(rows), 2)


class AnnualReportTest(DigestData, BaseTestCase):
    """The yearly report of Art. 8.2 over the digest's data (November 2025)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.create_digest_data()
        cls.workbook = build_workbook(
            AnnualReportExporter(user=cls.owner, params={"year": 2025})
        )

    def test_registered(self):
        self.assertIs(get_exporter("annual_report"), AnnualReportExporter)

    def test_sheets(self):
        self.assertEqual(
            self.workbook.sheetnames,
            [
                "Tổng hợp năm",
                "Theo tháng",
                "Đúng hạn theo đơn vị",
                "Đúng hạn theo kỳ",
                "Đơn vị theo kỳ",
            ],
        )
        self.assertGreaterEqual(len(self.workbook["Tổng hợp năm"]._charts), 3)
        self.assertEqual(len(self.workbook["Theo tháng"]._charts), 2)

    def test_counts_of_the_year(self):
        _headers, rows = table(self.workbook["Tổng hợp năm"])
        total = find(rows, {"Chỉ tiêu": "Tổng quan", "Nội dung": "Số báo cáo"})
        self.assertEqual((total["Năm 2025"], total["Năm 2024"]), (4, 0))
        high = find(rows, {"Chỉ tiêu": "Mức độ tác động", "Nội dung": "Rất cao"})
        self.assertEqual(high["Năm 2025"], 1)
        rate = find(rows, {"Nội dung": "Tỷ lệ nộp báo cáo đúng hạn (%)"})
        # 3 units × 52 weeks; two reports on time.
        self.assertEqual(rate["Năm 2025"], round(100 * 2 / 156, 1))

    def test_months(self):
        _headers, rows = table(self.workbook["Theo tháng"])
        self.assertEqual(len(rows), 12)
        november = find(rows, {"Tháng": "Tháng 11"})
        self.assertEqual(november["Số báo cáo"], 4)
        self.assertEqual(november["Báo cáo lên Ban"], 1)
        self.assertEqual(november["Ý kiến chỉ đạo"], 1)
        self.assertEqual(november["Tác động: Cao"], 1)
        self.assertEqual(find(rows, {"Tháng": "Tháng 3"})["Số báo cáo"], 0)

    def test_on_time_rate_per_unit(self):
        _headers, rows = table(self.workbook["Đúng hạn theo đơn vị"])
        by_unit = {row["Mã đơn vị"]: row for row in rows}
        self.assertEqual(set(by_unit), {"X24175-UBND", "X24163-UBND", "X24175-DU"})
        hoa_phu = by_unit["X24175-UBND"]
        self.assertEqual(
            [
                hoa_phu[h]
                for h in ("Số lượt phải nộp", "Đúng hạn", "Trễ hạn", "Chưa nộp")
            ],
            [52, 2, 0, 50],
        )
        self.assertEqual(hoa_phu["Tỷ lệ đúng hạn (%)"], 3.8)
        self.assertEqual(by_unit["X24163-UBND"]["Trễ hạn"], 1)
        self.assertEqual(by_unit["X24175-DU"]["Tỷ lệ đúng hạn (%)"], 0)

    def test_on_time_rate_per_period(self):
        _headers, rows = table(self.workbook["Đúng hạn theo kỳ"])
        self.assertEqual(len(rows), 52)
        week = find(rows, {"Kỳ": "2025-W47"})
        self.assertEqual(
            [week[h] for h in ("Số lượt phải nộp", "Đúng hạn", "Trễ hạn", "Chưa nộp")],
            [3, 1, 1, 1],
        )

    def test_unit_by_period_matrix(self):
        headers, rows = table(self.workbook["Đơn vị theo kỳ"])
        self.assertEqual(headers[2], "2025-W01")
        cells = {row["Mã đơn vị"]: row["2025-W47"] for row in rows}
        self.assertEqual(
            cells, {"X24175-UBND": "✓", "X24163-UBND": "Trễ", "X24175-DU": "✗"}
        )

    def test_bad_year(self):
        for year in (None, "abc", 1999, 9999):
            with self.subTest(year=year), self.assertRaises(ValidationError):
                AnnualReportExporter(user=self.owner, params={"year": year})
