"""The weekly and monthly digest: sheets, counts against known data, the previous
period, compliance, charts, classification marking, and the access policy."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from exports.exporters import get_exporter
from exports.exporters.digest import DigestExporter
from forms_app.models import ReportTemplatePage
from tests.base import BaseTestCase
from tests.exports.reading import build_workbook, find, table
from tests.forms_app.factories import (
    VALID_ANSWERS,
    make_report_template,
    make_sector,
    make_submission,
)
from units.choices import Clearance, UnitKind
from workflows.models import Direction

WEEK, PREVIOUS_WEEK = "2025-W47", "2025-W46"  # 17–23 and 10–16 November 2025


def at(day, hour=10, month=11, year=2025):
    return timezone.make_aware(dt.datetime(year, month, day, hour))


class DigestData:
    """A weekly template owed by the commune People's Committees and Party
    committees, a quick report template, and reports over two weeks."""

    @classmethod
    def create_digest_data(cls):
        cls.weekly = make_report_template(
            title="Báo cáo tuần DLXH",
            slug="bao-cao-tuan",
            audience_levels=["commune"],
            audience_kinds=[UnitKind.PEOPLES_COMMITTEE, UnitKind.PARTY_COMMITTEE],
        )
        cls.quick = make_report_template(
            title="Báo cáo nhanh",
            slug="bao-cao-nhanh",
            period_type="quick",
            answer_required=False,
        )
        ReportTemplatePage.objects.update(first_published_at=at(1, month=1))
        cls.weekly.refresh_from_db()
        cls.sector = make_sector("Đất đai, tài nguyên")

        def answers(**values):
            return {**VALID_ANSWERS, "dlxh_sector": cls.sector.key, **values}

        # This week: Hòa Phú's committee on time, Tân An's late, Hòa Phú's party
        # committee silent but for a quick report, escalated and directed.
        cls.on_time = make_submission(
            cls.weekly,
            cls.hoa_phu_ubnd,
            answers=answers(
                dlxh_locality="24175",
                dlxh_summary="Người dân quan tâm giá bồi thường.",
            ),
            period=WEEK,
            submitted_at=at(19),
        )
        cls.late = make_submission(
            cls.weekly,
            cls.tan_an_ubnd,
            answers=answers(
                dlxh_locality="24163",
                dlxh_category="opinion_on_policy",
                dlxh_source_channel="cyberspace",
                dlxh_impact="low",
                dlxh_trend="stable",
                dlxh_sensitivity="normal",
                dlxh_sector="",
            ),
            period=WEEK,
            submitted_at=at(22),
        )
        cls.flash = make_submission(
            cls.quick,
            cls.hoa_phu_party,
            answers=answers(
                dlxh_locality="24175",
                dlxh_impact="very_high",
                dlxh_trend="spreading",
                dlxh_recommendations='=HYPERLINK("http://x")',
            ),
            period="2025-11-20",
            submitted_at=at(20),
        )
        type(cls.flash).objects.filter(pk=cls.flash.pk).update(
            escalated=True, escalation_reason="quick_report"
        )
        direction = Direction.objects.create(
            submission=cls.flash, author=cls.owner, text="Xử lý"
        )
        Direction.objects.filter(pk=direction.pk).update(created_at=at(20, 15))
        # Last week: one report, on time.
        cls.last_week = make_submission(
            cls.weekly,
            cls.hoa_phu_ubnd,
            answers=answers(dlxh_locality="24175", dlxh_impact="medium"),
            period=PREVIOUS_WEEK,
            submitted_at=at(12),
        )


class DigestTest(DigestData, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.create_digest_data()

    def digest(self, user=None, **params):
        params.setdefault("period", WEEK)
        return build_workbook(DigestExporter(user=user or self.owner, params=params))

    def summary(self, workbook):
        return table(workbook["Tổng hợp"])[1]

    def row(self, rows, section, label):
        return find(rows, {"Chỉ tiêu": section, "Nội dung": label})

    def test_registered_as_digest(self):
        self.assertIs(get_exporter("digest"), DigestExporter)

    def test_sheets_and_headers(self):
        workbook = self.digest()
        self.assertEqual(
            workbook.sheetnames, ["Tổng hợp", "Nộp báo cáo", "Chi tiết", "Khảo sát"]
        )
        headers, _rows = table(workbook["Tổng hợp"])
        self.assertEqual(
            list(headers),
            [
                "Chỉ tiêu",
                "Nội dung",
                "Kỳ này (2025-W47)",
                "Kỳ trước (2025-W46)",
                "Tăng (+), giảm (−)",
                "Tăng, giảm (%)",
            ],
        )
        self.assertEqual(
            workbook["Tổng hợp"]["A1"].value,
            "Tổng hợp thông tin dư luận xã hội tuần 47/2025 (17/11 – 23/11/2025)",
        )
        headers, _rows = table(workbook["Nộp báo cáo"])
        self.assertEqual(
            list(headers),
            [
                "Mẫu báo cáo",
                "Mã đơn vị",
                "Đơn vị",
                "Cấp",
                "Xã, phường",
                "Hạn nộp",
                "Thời điểm nộp",
                "Tình trạng",
            ],
        )
        headers, _rows = table(workbook["Chi tiết"])
        self.assertEqual(headers[:4], ["Số báo cáo", "Mẫu báo cáo", "Kỳ", "Đơn vị"])
        self.assertIn("Kiến nghị, đề xuất", headers)

    def test_counts_beside_the_previous_period(self):
        rows = self.summary(self.digest())
        total = self.row(rows, "Tổng quan", "Số báo cáo")
        self.assertEqual(
            [total[h] for h in list(total)[2:]], [3, 1, 2, 200.0]
        )  # this week, last week, change, change in %
        self.assertEqual(
            self.row(rows, "Tổng quan", "Số đơn vị có báo cáo")["Kỳ này (2025-W47)"], 3
        )
        self.assertEqual(
            self.row(rows, "Tổng quan", "Báo cáo lên Ban")["Kỳ này (2025-W47)"], 1
        )
        self.assertEqual(
            self.row(rows, "Tổng quan", "Ý kiến chỉ đạo của Ban")["Kỳ này (2025-W47)"],
            1,
        )
        issue = self.row(
            rows,
            "Nhóm nội dung",
            "Vấn đề Nhân dân quan tâm, vụ việc nổi cộm, nhạy cảm (Điều 5.2)",
        )
        self.assertEqual(
            (issue["Kỳ này (2025-W47)"], issue["Kỳ trước (2025-W46)"]), (2, 1)
        )
        high = self.row(rows, "Mức độ tác động", "Cao")
        self.assertEqual(
            (high["Kỳ này (2025-W47)"], high["Kỳ trước (2025-W46)"]), (1, 0)
        )
        self.assertIsNone(high["Tăng, giảm (%)"])  # nothing to compare with
        medium = self.row(rows, "Mức độ tác động", "Trung bình")
        self.assertEqual(
            (medium["Kỳ này (2025-W47)"], medium["Tăng (+), giảm (−)"]), (0, -1)
        )
        hoa_phu = self.row(rows, "Địa bàn", "Xã Hòa Phú")
        self.assertEqual(
            (hoa_phu["Kỳ này (2025-W47)"], hoa_phu["Kỳ trước (2025-W46)"]), (2, 1)
        )
        sector = self.row(rows, "Lĩnh vực", "Đất đai, tài nguyên")
        self.assertEqual(sector["Kỳ này (2025-W47)"], 2)
        channel = self.row(rows, "Nguồn thông tin", "Không gian mạng, mạng xã hội")
        self.assertEqual(channel["Kỳ này (2025-W47)"], 1)
        spreading = self.row(rows, "Xu hướng", "Lan rộng")
        self.assertEqual(spreading["Kỳ này (2025-W47)"], 1)
        reason = self.row(rows, "Báo cáo lên Ban theo lý do", "Báo cáo nhanh")
        self.assertEqual(reason["Kỳ này (2025-W47)"], 1)

    def test_hot_spots(self):
        rows = self.summary(self.digest())
        hot = self.row(rows, "Điểm nóng theo địa bàn", "Xã Hòa Phú")
        # Last week's Hòa Phú report was of medium impact and rising: hot too.
        self.assertEqual((hot["Kỳ này (2025-W47)"], hot["Kỳ trước (2025-W46)"]), (2, 1))
        with self.assertRaises(AssertionError):
            self.row(rows, "Điểm nóng theo địa bàn", "Phường Tân An")

    def test_compliance_statuses(self):
        workbook = self.digest()
        _headers, rows = table(workbook["Nộp báo cáo"])
        statuses = {row["Mã đơn vị"]: row["Tình trạng"] for row in rows}
        self.assertEqual(
            statuses,
            {
                "X24175-UBND": "Đúng hạn",
                "X24163-UBND": "Trễ hạn",
                "X24175-DU": "Chưa nộp",
            },
        )
        on_time = find(rows, {"Mã đơn vị": "X24175-UBND"})
        self.assertEqual(on_time["Hạn nộp"], dt.datetime(2025, 11, 21, 16, 0))
        self.assertEqual(on_time["Thời điểm nộp"], dt.datetime(2025, 11, 19, 10, 0))
        summary = self.summary(workbook)
        section = "Tình hình nộp báo cáo"
        self.assertEqual(self.row(summary, section, "Đúng hạn")["Kỳ này (2025-W47)"], 1)
        self.assertEqual(self.row(summary, section, "Trễ hạn")["Kỳ này (2025-W47)"], 1)
        missing = self.row(summary, section, "Chưa nộp")
        self.assertEqual(
            (missing["Kỳ này (2025-W47)"], missing["Kỳ trước (2025-W46)"]), (1, 2)
        )
        rate = self.row(summary, "Tổng quan", "Tỷ lệ nộp báo cáo đúng hạn (%)")
        self.assertEqual(
            (rate["Kỳ này (2025-W47)"], rate["Kỳ trước (2025-W46)"]), (33.3, 33.3)
        )

    def test_detail_rows(self):
        _headers, rows = table(self.digest()["Chi tiết"])
        self.assertEqual(len(rows), 3)
        first = rows[0]
        self.assertEqual(first["Số báo cáo"], f"DLXH-{self.on_time.pk:06d}")
        self.assertEqual(first["Đơn vị"], "Ủy ban nhân dân xã Hòa Phú")
        self.assertEqual(first["Xã, phường của đơn vị"], "Xã Hòa Phú")
        self.assertEqual(first["Địa bàn phát sinh"], "Xã Hòa Phú")
        self.assertEqual(first["Mức độ tác động"], "Cao")
        self.assertEqual(
            first["Tóm tắt nội dung"], "Người dân quan tâm giá bồi thường."
        )
        self.assertEqual(
            first["Kiến nghị, đề xuất"], VALID_ANSWERS["dlxh_recommendations"]
        )
        flash = find(rows, {"Mẫu báo cáo": "Báo cáo nhanh"})
        self.assertEqual(flash["Báo cáo lên Ban"], "Có")
        self.assertEqual(flash["Số ý kiến chỉ đạo"], 1)
        # Text that Excel would take for a formula stays text.
        self.assertEqual(flash["Kiến nghị, đề xuất"], '=HYPERLINK("http://x")')

    def test_charts_on_the_summary(self):
        workbook = self.digest()
        self.assertGreaterEqual(len(workbook["Tổng hợp"]._charts), 6)
        self.assertEqual(len(workbook["Chi tiết"]._charts), 0)
        without = self.digest(sections=["summary", "compliance", "detail"])
        self.assertEqual(len(without["Tổng hợp"]._charts), 0)

    def test_sections_to_include(self):
        workbook = self.digest(sections=["compliance"])
        self.assertEqual(workbook.sheetnames, ["Nộp báo cáo"])

    def test_no_marking_without_classified_submissions(self):
        workbook = self.digest()
        self.assertNotEqual(workbook["Tổng hợp"]["A1"].value, "MẬT")
        self.assertEqual(
            DigestExporter(
                user=self.owner, params={"period": WEEK}
            ).get_classification(),
            Clearance.NORMAL,
        )

    def test_classified_submission_marks_every_sheet(self):
        type(self.late).objects.filter(pk=self.late.pk).update(
            classification=Clearance.SECRET
        )
        workbook = self.digest()
        for name in workbook.sheetnames:
            self.assertEqual(workbook[name]["A1"].value, "MẬT", name)
        # A classification ceiling leaves it out, and the marking with it.
        workbook = self.digest(max_classification=Clearance.NORMAL)
        self.assertNotEqual(workbook["Tổng hợp"]["A1"].value, "MẬT")
        _headers, rows = table(workbook["Chi tiết"])
        self.assertEqual(len(rows), 2)

    def test_classified_in_the_previous_period_marks_the_summary(self):
        type(self.last_week).objects.filter(pk=self.last_week.pk).update(
            classification=Clearance.SECRET
        )
        exporter = DigestExporter(user=self.owner, params={"period": WEEK})
        self.assertEqual(exporter.get_classification(), Clearance.SECRET)

    def test_goes_through_the_access_policy(self):
        workbook = self.digest(user=self.outsider)  # Tân An's People's Committee
        rows = self.summary(workbook)
        total = self.row(rows, "Tổng quan", "Số báo cáo")
        self.assertEqual(total["Kỳ này (2025-W47)"], 1)
        _headers, detail = table(workbook["Chi tiết"])
        self.assertEqual(
            [r["Đơn vị"] for r in detail], ["Ủy ban nhân dân phường Tân An"]
        )
        _headers, owed = table(workbook["Nộp báo cáo"])
        self.assertEqual([r["Mã đơn vị"] for r in owed], ["X24163-UBND"])

    def test_monthly_digest_takes_every_report_sent_in_the_month(self):
        workbook = self.digest(period="2025-11")
        rows = self.summary(workbook)
        total = self.row(rows, "Tổng quan", "Số báo cáo")
        self.assertEqual(
            (total["Kỳ này (2025-11)"], total["Kỳ trước (2025-10)"]), (4, 0)
        )
        self.assertEqual(
            workbook["Tổng hợp"]["A1"].value,
            "Tổng hợp thông tin dư luận xã hội tháng 11/2025",
        )

    def test_bad_parameters(self):
        for params in (
            {},
            {"period": "2025-W99"},
            {"period": "2025-11-20"},
            {"period": WEEK, "sections": ["nothing"]},
            {"period": WEEK, "sections": ["charts"]},
            {"period": WEEK, "max_classification": "7"},
        ):
            with self.subTest(params=params), self.assertRaises(ValidationError):
                DigestExporter(user=self.owner, params=params)

    def test_parameters_from_a_query_string(self):
        exporter = DigestExporter(
            user=self.owner,
            params={"period": [WEEK], "sections": ["summary", "detail"]},
        )
        self.assertEqual(
            exporter.params, {"period": WEEK, "sections": ["summary", "detail"]}
        )
