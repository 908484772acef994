"""Survey results: frequencies, means, the cross-tab by locality, charts, marking."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from exports.exporters import get_exporter
from exports.exporters.survey import SurveyResultsExporter
from tests.base import BaseTestCase
from tests.exports.reading import build_workbook, find, table
from tests.forms_app.factories import make_report_template, make_submission, make_survey
from units.choices import Clearance


def field(block_type, label, key, **value):
    return {"type": block_type, "value": {"label": label, "key": key, **value}}


SURVEY_FIELDS = [
    field(
        "single_choice",
        "Mức độ quan tâm",
        "muc_do",
        choices=[{"label": "Ít", "key": "it"}, {"label": "Nhiều", "key": "nhieu"}],
    ),
    field(
        "multiple_choice",
        "Kênh thông tin",
        "kenh",
        choices=[
            {"label": "Hội nghị", "key": "hoi_nghi"},
            {"label": "Mạng xã hội", "key": "mang_xa_hoi"},
            {"label": "Báo chí", "key": "bao_chi"},
        ],
    ),
    field("yes_no", "Đồng chí có ủng hộ chủ trương không?", "ung_ho"),
    field(
        "rating",
        "Mức độ hài lòng",
        "hai_long",
        scale="5",
        low_label="Rất không hài lòng",
        high_label="Rất hài lòng",
    ),
    field(
        "likert_matrix",
        "Đánh giá các nhận định",
        "nhan_dinh",
        scale="5",
        statements=[
            {"label": "Chính sách được phổ biến rõ", "key": "pho_bien"},
            {"label": "Người dân đồng tình", "key": "dong_tinh"},
        ],
    ),
    {"type": "dlxh_locality", "value": {"required": False}},
    field("number", "Tuổi", "tuoi"),
    field("long_text", "Ý kiến khác", "y_kien"),
]

ANSWERS = [
    {
        "muc_do": "nhieu",
        "kenh": ["hoi_nghi", "mang_xa_hoi"],
        "ung_ho": "yes",
        "hai_long": 4,
        "nhan_dinh": {"pho_bien": 4, "dong_tinh": 3},
        "dlxh_locality": "24175",
        "tuoi": 30,
        "y_kien": "Cần thông tin sớm hơn.",
    },
    {
        "muc_do": "nhieu",
        "kenh": ["mang_xa_hoi"],
        "ung_ho": "no",
        "hai_long": 2,
        "nhan_dinh": {"pho_bien": 5},
        "dlxh_locality": "24163",
        "tuoi": 50,
    },
    {
        "muc_do": "it",
        "ung_ho": "yes",
        "hai_long": 5,
        "nhan_dinh": {"dong_tinh": 1},
        "dlxh_locality": "24175",
    },
]


class SurveyResultsTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.survey = make_survey(fields=SURVEY_FIELDS, login_required=False)
        cls.responses = [
            make_submission(cls.survey, answers=answers) for answers in ANSWERS
        ]
        # A unit's answer without a locality counts for the unit's commune.
        cls.responses.append(
            make_submission(
                cls.survey,
                cls.tan_an_ubnd,
                answers={"muc_do": "nhieu", "ung_ho": "yes", "hai_long": 3},
            )
        )

    def results(self, user=None):
        exporter = SurveyResultsExporter(
            user=user or self.owner, params={"page": self.survey.pk}
        )
        return build_workbook(exporter)

    def test_registered(self):
        self.assertIs(get_exporter("survey_results"), SurveyResultsExporter)

    def test_sheets(self):
        workbook = self.results()
        self.assertEqual(
            workbook.sheetnames, ["Tần suất", "Điểm trung bình", "Theo địa bàn"]
        )
        self.assertEqual(
            workbook["Tần suất"]["A1"].value,
            "Khảo sát ý kiến Nhân dân — 4 phiếu trả lời",
        )

    def test_frequencies_by_choice_label(self):
        headers, rows = table(self.results()["Tần suất"])
        self.assertEqual(headers, ["Câu hỏi", "Lựa chọn", "Số lượt chọn", "Tỷ lệ (%)"])

        def share(question, choice):
            row = find(rows, {"Câu hỏi": question, "Lựa chọn": choice})
            return row["Số lượt chọn"], row["Tỷ lệ (%)"]

        self.assertEqual(share("Mức độ quan tâm", "Nhiều"), (3, 75))
        self.assertEqual(share("Mức độ quan tâm", "Ít"), (1, 25))
        # Of the two who answered; several choices each, so past 100 in all.
        self.assertEqual(share("Kênh thông tin", "Mạng xã hội"), (2, 100))
        self.assertEqual(share("Kênh thông tin", "Hội nghị"), (1, 50))
        self.assertEqual(share("Kênh thông tin", "Báo chí"), (0, 0))
        self.assertEqual(share("Đồng chí có ủng hộ chủ trương không?", "Có"), (3, 75))
        self.assertEqual(share("Mức độ hài lòng", "1 – Rất không hài lòng"), (0, 0))
        self.assertEqual(share("Mức độ hài lòng", "5 – Rất hài lòng"), (1, 25))
        self.assertEqual(
            share(
                "Đánh giá các nhận định — Chính sách được phổ biến rõ", "5 – Rất đồng ý"
            ),
            (1, 50),
        )
        self.assertEqual(share("Địa bàn phát sinh", "Xã Hòa Phú"), (2, 66.7))

    def test_means_and_spread(self):
        headers, rows = table(self.results()["Điểm trung bình"])
        self.assertEqual(
            headers[:4],
            ["Câu hỏi, nhận định", "Số người trả lời", "Điểm trung bình", "Thang điểm"],
        )
        rating = find(rows, {"Câu hỏi, nhận định": "Mức độ hài lòng"})
        self.assertEqual(rating["Số người trả lời"], 4)
        self.assertEqual(rating["Điểm trung bình"], 3.5)
        self.assertEqual(rating["Thang điểm"], 5)
        self.assertEqual(
            [rating[f"Số chọn mức {n}"] for n in range(1, 6)], [0, 1, 1, 1, 1]
        )
        spread = find(
            rows,
            {"Câu hỏi, nhận định": "Đánh giá các nhận định — Người dân đồng tình"},
        )
        self.assertEqual(
            (spread["Số người trả lời"], spread["Điểm trung bình"]), (2, 2)
        )
        age = find(rows, {"Câu hỏi, nhận định": "Tuổi"})
        self.assertEqual((age["Số người trả lời"], age["Điểm trung bình"]), (2, 40))

    def test_cross_tab_by_locality(self):
        headers, rows = table(self.results()["Theo địa bàn"])
        self.assertEqual(headers[:2], ["Địa bàn", "Số phiếu"])
        self.assertIn("Mức độ quan tâm: Nhiều", headers)
        self.assertIn("Mức độ hài lòng: điểm trung bình", headers)
        hoa_phu = find(rows, {"Địa bàn": "Xã Hòa Phú"})
        self.assertEqual(hoa_phu["Số phiếu"], 2)
        self.assertEqual(hoa_phu["Mức độ quan tâm: Nhiều"], 1)
        self.assertEqual(hoa_phu["Mức độ quan tâm: Ít"], 1)
        self.assertEqual(hoa_phu["Mức độ hài lòng: điểm trung bình"], 4.5)
        tan_an = find(rows, {"Địa bàn": "Phường Tân An"})
        self.assertEqual(tan_an["Số phiếu"], 2)  # one by locality, one by unit
        self.assertEqual(tan_an["Mức độ quan tâm: Nhiều"], 2)
        self.assertEqual(tan_an["Mức độ hài lòng: điểm trung bình"], 2.5)

    def test_a_chart_per_question(self):
        workbook = self.results()
        # Single, multiple, yes/no, rating, two Likert statements, locality.
        self.assertEqual(len(workbook["Tần suất"]._charts), 7)
        self.assertEqual(len(workbook["Điểm trung bình"]._charts), 1)

    def test_classified_answer_marks_the_workbook(self):
        self.assertNotEqual(self.results()["Tần suất"]["A1"].value, "MẬT")
        type(self.responses[0]).objects.filter(pk=self.responses[0].pk).update(
            classification=Clearance.SECRET
        )
        workbook = self.results()
        for name in workbook.sheetnames:
            self.assertEqual(workbook[name]["A1"].value, "MẬT")

    def test_through_the_access_policy(self):
        # A unit sees only its own answers.
        workbook = self.results(user=self.outsider)
        self.assertEqual(
            workbook["Tần suất"]["A1"].value,
            "Khảo sát ý kiến Nhân dân — 1 phiếu trả lời",
        )

    def test_only_surveys(self):
        report = make_report_template(slug="khong-phai-khao-sat")
        for params in ({}, {"page": "x"}, {"page": report.pk}, {"page": 10**9}):
            with self.subTest(params=params), self.assertRaises(ValidationError):
                SurveyResultsExporter(user=self.owner, params=params)
        exporter = SurveyResultsExporter(
            user=self.owner, params={"page": [str(self.survey.pk)]}
        )
        self.assertEqual(exporter.params, {"page": self.survey.pk})

    def test_from_the_survey_page_in_the_admin(self):
        self.login(self.owner)
        response = self.client.get(
            reverse("wagtailadmin_pages:edit", args=[self.survey.pk])
        )
        url = (
            f"{reverse('exports:start', args=['survey_results'])}?page={self.survey.pk}"
        )
        self.assertContains(response, url)
        start = self.client.get(url)
        self.assertContains(start, "Kết quả khảo sát “Khảo sát ý kiến Nhân dân”")
