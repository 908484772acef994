"""The submissions export: a column per field by stable key, typed values, the
inbox's filters, and only what the requester may read."""

import datetime as dt
from decimal import Decimal
from unittest import mock

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.query import QuerySet
from django.urls import reverse

from exports.exporters import get_exporter
from exports.exporters.submissions import SubmissionsExporter
from forms_app.models.review import ReviewStatus, Verification
from tests.base import BaseTestCase
from tests.forms_app.factories import (
    VALID_ANSWERS,
    make_report_template,
    make_submission,
)
from units.choices import Clearance

from .helpers import PrivateFilesMixin, export, open_workbook, records

FILE_ANSWER = {
    "name": "biên bản.pdf",
    "path": "submissions/1/abc/bien-ban.pdf",
    "size": 10,
    "content_type": "application/pdf",
}


class SubmissionsExporterTestCase(PrivateFilesMixin, BaseTestCase):
    def setUp(self):
        super().setUp()
        self.page = make_report_template()
        self.submission = make_submission(
            self.page,
            unit=self.hoa_phu_ubnd,
            user=self.member,
            answers={**VALID_ANSWERS, "tai_lieu": FILE_ANSWER},
        )

    def export_rows(self, user=None, **params):
        job = export(user or self.owner, page=[self.page.pk], **params)
        workbook = open_workbook(job)
        return job, workbook, records(workbook.worksheets[0])

    def test_registered_under_its_kind(self):
        self.assertIs(get_exporter("submissions"), SubmissionsExporter)

    def test_every_field_type_with_its_label_and_excel_type(self):
        job, workbook, rows = self.export_rows()
        self.assertEqual(job.row_count, 1)
        self.assertEqual(
            job.file_name.split("_")[0], "bao-cao-da-gui-bao-cao-tuan-dlxh"
        )
        self.assertEqual(workbook.sheetnames, ["Báo cáo tuần DLXH"])
        row = rows[0]
        self.assertEqual(row["Mã báo cáo"], f"DLXH-{self.submission.pk:06d}")
        self.assertEqual(row["Đơn vị"], "Ủy ban nhân dân xã Hòa Phú")
        self.assertEqual(row["Xã, phường"], "Xã Hòa Phú")
        self.assertEqual(row["Kỳ báo cáo"], self.submission.period)
        self.assertEqual(row["Người gửi"], "hoaphu.ubnd")
        self.assertIsInstance(row["Thời điểm gửi"], dt.datetime)
        self.assertEqual(row["Họ và tên"], "Nguyễn Văn An")
        self.assertEqual(row["Số người tham gia"], 42)
        self.assertEqual(row["Ngày xảy ra"], dt.datetime(2026, 11, 23))
        self.assertEqual(row["Thời điểm ghi nhận"], dt.datetime(2026, 11, 23, 8, 30))
        self.assertEqual(row["Mức độ quan tâm"], "Nhiều")
        self.assertEqual(row["Kênh tiếp nhận"], "Hội nghị; Mạng xã hội")
        self.assertEqual(row["Có vụ việc cụ thể không?"], "Có")
        self.assertEqual(row["Mức độ hài lòng chung"], 4)
        self.assertEqual(row["Đánh giá các nhận định: Chính sách được phổ biến rõ"], 4)
        self.assertEqual(row["Đánh giá các nhận định: Người dân đồng tình"], 3)
        self.assertEqual(row["Xã, phường liên quan"], "Xã Hòa Phú")
        self.assertEqual(row["Tài liệu kèm theo"], "biên bản.pdf")
        self.assertEqual(
            row["Nhóm nội dung dư luận"],
            "Vấn đề Nhân dân quan tâm, vụ việc nổi cộm, nhạy cảm (Điều 5.2)",
        )
        self.assertEqual(row["Mức độ tác động"], "Cao")
        self.assertEqual(row["Xu hướng"], "Gia tăng")
        self.assertEqual(row["Tính chất (phức tạp, nhạy cảm)"], "Phức tạp")
        self.assertEqual(row["Trạng thái thẩm định"], "Chưa gửi duyệt")
        self.assertEqual(row["Kiểm chứng"], "Chưa kiểm chứng")
        self.assertEqual(row["Độ mật"], "Thường")

    def test_attachments_link_to_the_checked_download(self):
        _job, workbook, _rows = self.export_rows()
        sheet = workbook.worksheets[0]
        header = [c.value for c in sheet[1]]
        cell = sheet.cell(row=2, column=header.index("Tài liệu kèm theo") + 1)
        path = reverse("exports:attachment", args=[self.submission.pk, "tai_lieu"])
        self.assertTrue(cell.hyperlink.target.endswith(path))
        self.assertTrue(cell.hyperlink.target.startswith("http"))

    def test_numbers_are_numbers_and_dates_are_dates(self):
        make_submission(
            self.page,
            unit=self.hoa_phu_party,
            answers={**VALID_ANSWERS, "so_nguoi": "12.5", "ngay": "không rõ"},
        )
        _job, workbook, rows = self.export_rows()
        sheet = workbook.worksheets[0]
        header = [c.value for c in sheet[1]]
        number = sheet.cell(row=3, column=header.index("Số người tham gia") + 1)
        self.assertEqual(number.data_type, "n")
        self.assertEqual(Decimal(str(number.value)), Decimal("12.5"))
        date = sheet.cell(row=2, column=header.index("Ngày xảy ra") + 1)
        self.assertEqual(date.data_type, "d")
        # A value that is not a date is written as it was, not dropped.
        self.assertEqual(rows[1]["Ngày xảy ra"], "không rõ")

    def test_columns_keep_their_key_across_relabels_and_removals(self):
        stream = []
        for child in self.page.get_latest_revision_as_object().fields.raw_data:
            value = child["value"]
            if value.get("key") == "ghi_chu":
                continue  # removed from the form
            if value.get("key") == "ho_ten":
                value["label"] = "Người báo cáo"
            if value.get("key") == "muc_do_quan_tam":
                value["choices"][1]["value"]["label"] = "Rất nhiều"
            stream.append({"type": child["type"], "value": value, "id": child["id"]})
        self.page.fields = stream
        self.page.save_revision(user=self.owner).publish(user=self.leader)
        self.page.refresh_from_db()
        newer = make_submission(
            self.page,
            unit=self.hoa_phu_party,
            answers={k: v for k, v in VALID_ANSWERS.items() if k != "ghi_chu"},
        )

        _job, _workbook, rows = self.export_rows()

        by_ref = {row["Mã báo cáo"]: row for row in rows}
        old = by_ref[f"DLXH-{self.submission.pk:06d}"]
        new = by_ref[f"DLXH-{newer.pk:06d}"]
        self.assertNotIn("Họ và tên", old)
        self.assertEqual(old["Người báo cáo"], "Nguyễn Văn An")
        self.assertEqual(new["Người báo cáo"], "Nguyễn Văn An")
        # Removed from the form: kept, with the label it last had.
        self.assertEqual(old["Ghi chú"], "Họp dân thôn 3")
        self.assertIsNone(new["Ghi chú"])
        self.assertEqual(old["Mức độ quan tâm"], "Rất nhiều")

    def test_inbox_filters(self):
        other = make_submission(
            self.page,
            unit=self.tan_an_ubnd,
            answers={**VALID_ANSWERS, "dlxh_impact": "low"},
        )
        other.set_review_status(ReviewStatus.ESCALATED)
        _job, _wb, rows = self.export_rows(review_status=["escalated"])
        self.assertEqual([r["Mã báo cáo"] for r in rows], [f"DLXH-{other.pk:06d}"])
        _job, _wb, rows = self.export_rows(unit__commune=[str(self.hoa_phu.pk)])
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["Xã, phường"], "Xã Hòa Phú")
        _job, _wb, rows = self.export_rows(impact=["low", "very_high"])
        self.assertEqual(len(rows), 1)
        _job, _wb, rows = self.export_rows(
            verification=[Verification.VERIFIED], unit=[self.hoa_phu_ubnd.pk]
        )
        self.assertEqual(rows, [])

    def test_bad_filters_are_refused_before_a_job_exists(self):
        with self.assertRaises(ValidationError):
            SubmissionsExporter(user=self.owner, params={"unit": ["một"]})

    def test_only_what_the_requester_may_read(self):
        make_submission(self.page, unit=self.tan_an_ubnd, user=self.outsider)
        # A commune reviewer exports their commune's reports, not another's.
        _job, _wb, rows = self.export_rows(user=self.reviewer)
        self.assertEqual([r["Đơn vị"] for r in rows], ["Ủy ban nhân dân xã Hòa Phú"])
        _job, _wb, rows = self.export_rows(user=self.owner)
        self.assertEqual(len(rows), 2)
        # Reporting units have no export permission at all.
        with self.assertRaises(PermissionDenied):
            export(self.member, page=[self.page.pk])

    def test_classified_rows_mark_the_file_and_need_clearance(self):
        make_submission(
            self.page,
            unit=self.tan_an_ubnd,
            classification=Clearance.SECRET,
        )
        job, workbook, rows = self.export_rows(user=self.owner)
        self.assertEqual(job.classification, Clearance.SECRET)
        sheet = workbook.worksheets[0]
        self.assertEqual(sheet["A1"].value, "MẬT")
        self.assertEqual(sheet.oddHeader.center.text, "MẬT")
        self.assertEqual({r["Độ mật"] for r in rows}, {"Thường", "Mật"})
        # The viewer's clearance is ordinary: the secret row is not theirs.
        job, workbook, rows = self.export_rows(user=self.viewer)
        self.assertEqual(len(rows), 1)
        self.assertEqual(job.classification, Clearance.NORMAL)

    def test_a_collaborators_name_is_never_exported(self):
        make_submission(self.page, unit=self.hoa_phu_ctv, user=self.collaborator)
        _job, _wb, rows = self.export_rows()
        names = {r["Đơn vị"]: r["Người gửi"] for r in rows}
        self.assertIsNone(names["Cộng tác viên dư luận xã hội xã Hòa Phú"])
        self.assertEqual(names["Ủy ban nhân dân xã Hòa Phú"], "hoaphu.ubnd")

    def test_a_100k_character_answer_and_control_characters(self):
        make_submission(
            self.page,
            unit=self.hoa_phu_party,
            answers={
                **VALID_ANSWERS,
                "ghi_chu": "dài " * 25_000,
                "ho_ten": "=cmd|' /C calc'!A0\x01\x1f",
            },
        )
        job, _wb, rows = self.export_rows()
        self.assertEqual(job.row_count, 2)
        self.assertEqual(len(rows[1]["Ghi chú"]), 32_767)
        self.assertEqual(rows[1]["Họ và tên"], "=cmd|' /C calc'!A0")

    def test_rows_are_read_in_chunks(self):
        seen = []
        original = QuerySet.iterator

        def spy(queryset, chunk_size=None):
            seen.append(chunk_size)
            return original(queryset, chunk_size=chunk_size)

        with mock.patch.object(QuerySet, "iterator", spy):
            self.export_rows()
        self.assertEqual(seen, [2000])

    def test_without_a_form_every_form_gets_a_sheet(self):
        survey = make_report_template(title="Báo cáo nhanh", slug="bao-cao-nhanh")
        make_submission(survey, unit=self.hoa_phu_ubnd)
        job = export(self.owner)
        workbook = open_workbook(job)
        self.assertEqual(workbook.sheetnames, ["Báo cáo nhanh", "Báo cáo tuần DLXH"])
        self.assertEqual(job.row_count, 2)
