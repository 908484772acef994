"""Editing a live form never breaks the answers it already has."""

from forms_app.models import ReportTemplatePage
from tests.base import BaseTestCase
from tests.forms_app.factories import make_report_template


def field(block_type, label, key, **value):
    return {"type": block_type, "value": {"label": label, "key": key, **value}}


FIELDS = [
    field("short_text", "Họ và tên", "ho_va_ten"),
    field(
        "single_choice",
        "Mức độ quan tâm",
        "muc_do",
        choices=[{"label": "Ít", "key": "it"}, {"label": "Nhiều", "key": "nhieu"}],
    ),
    field("long_text", "Ghi chú", "ghi_chu"),
    {"type": "dlxh_impact", "value": {}},
    {"type": "dlxh_trend", "value": {}},
    {"type": "dlxh_recommendations", "value": {}},
]

ANSWERS = {
    "ho_va_ten": "Nguyễn Văn An",
    "muc_do": "nhieu",
    "ghi_chu": "Họp dân thôn 3",
    "dlxh_impact": "high",
    "dlxh_trend": "rising",
    "dlxh_recommendations": "Đối thoại với người dân.",
}


def raw_stream(page):
    return [
        {"type": child["type"], "value": child["value"], "id": child["id"]}
        for child in page.get_latest_revision_as_object().fields.raw_data
    ]


class VersioningTest(BaseTestCase):
    def setUp(self):
        self.page = make_report_template(fields=FIELDS, one_per_unit_per_period=False)
        self.first, _created = self.page.process_form_submission(
            answers=dict(ANSWERS), unit=self.hoa_phu_ubnd, user=self.member
        )
        self.first_revision = self.page.live_revision

    def edit(self, publish=True):
        """Relabel, reorder, add and remove questions, as staff would."""
        blocks = {child["value"]["key"]: child for child in raw_stream(self.page)}
        blocks["ho_va_ten"]["value"]["label"] = "Họ, tên người báo cáo"
        blocks["muc_do"]["value"]["label"] = "Mức độ quan tâm của Nhân dân"
        blocks["muc_do"]["value"]["choices"][1]["value"]["label"] = "Rất nhiều"
        added = field("number", "Số người tham gia", "", required=True)
        stream = [
            blocks["muc_do"],  # moved up
            blocks["ho_va_ten"],
            added,
            # "ghi_chu" removed
            blocks["dlxh_impact"],
            blocks["dlxh_trend"],
            blocks["dlxh_recommendations"],
        ]
        self.page.fields = stream
        revision = self.page.save_revision(user=self.owner)
        if publish:
            revision.publish(user=self.leader)
        self.page = ReportTemplatePage.objects.get(pk=self.page.pk)
        return revision

    def test_each_submission_records_the_revision_it_answered(self):
        self.assertEqual(self.first.page_revision, self.first_revision)
        revision = self.edit()
        second, _created = self.page.process_form_submission(
            answers={"so_nguoi_tham_gia": 12, "muc_do": "it"},
            unit=self.hoa_phu_ubnd,
            user=self.member,
        )
        self.assertEqual(second.page_revision, revision)
        self.first.refresh_from_db()
        self.assertEqual(self.first.page_revision, self.first_revision)

    def test_a_draft_edit_does_not_change_what_units_answer(self):
        self.edit(publish=False)
        later, _created = self.page.process_form_submission(
            answers=dict(ANSWERS), unit=self.hoa_phu_ubnd, user=self.member
        )
        self.assertEqual(later.page_revision, self.first_revision)
        self.assertEqual(
            [item.key for item in later.get_form_items()][:3],
            ["ho_va_ten", "muc_do", "ghi_chu"],
        )

    def test_old_answers_stay_readable_after_editing(self):
        self.edit()
        self.first.refresh_from_db()
        self.assertEqual(self.first.answers, ANSWERS)
        rows = {
            key: (label, shown) for key, label, shown in self.first.get_answer_rows()
        }
        # Relabelled: the current label, and the current label of the choice.
        self.assertEqual(rows["ho_va_ten"], ("Họ, tên người báo cáo", "Nguyễn Văn An"))
        self.assertEqual(rows["muc_do"], ("Mức độ quan tâm của Nhân dân", "Rất nhiều"))
        # Removed: the label it had when it was answered.
        self.assertEqual(rows["ghi_chu"], ("Ghi chú", "Họp dân thôn 3"))
        # Added later: not part of this answer.
        self.assertNotIn("so_nguoi_tham_gia", rows)
        self.assertEqual(rows["dlxh_impact"][1], "Cao")

    def test_an_answer_whose_choice_was_removed_keeps_its_label(self):
        blocks = [child for child in raw_stream(self.page)]
        muc_do = next(b for b in blocks if b["value"]["key"] == "muc_do")
        del muc_do["value"]["choices"][1]  # "Nhiều", which the unit picked
        self.page.fields = blocks
        self.page.save_revision(user=self.owner).publish(user=self.leader)
        self.first.refresh_from_db()

        rows = {key: shown for key, _label, shown in self.first.get_answer_rows()}

        self.assertEqual(rows["muc_do"], "Nhiều")

    def test_old_answers_keep_their_own_order(self):
        self.edit()
        keys = [key for key, _label, _shown in self.first.get_answer_rows()]
        self.assertEqual(keys[:3], ["ho_va_ten", "muc_do", "ghi_chu"])

    def test_new_answers_follow_the_new_form(self):
        self.edit()
        self.assertEqual(
            [item.key for item in self.page.input_items()][:3],
            ["muc_do", "ho_va_ten", "so_nguoi_tham_gia"],
        )
        second, _created = self.page.process_form_submission(
            answers={"muc_do": "nhieu", "ho_va_ten": "Trần Thị Bình"},
            unit=self.hoa_phu_ubnd,
            user=self.member,
        )
        rows = [(key, label) for key, label, _shown in second.get_answer_rows()]
        self.assertEqual(
            rows,
            [
                ("muc_do", "Mức độ quan tâm của Nhân dân"),
                ("ho_va_ten", "Họ, tên người báo cáo"),
            ],
        )

    def test_editing_twice_still_reads_the_first_answers(self):
        self.edit()
        stream = raw_stream(self.page)
        stream[1]["value"]["label"] = "Người báo cáo"
        self.page.fields = stream
        self.page.save_revision(user=self.owner).publish(user=self.leader)
        self.first.refresh_from_db()
        rows = {key: label for key, label, _shown in self.first.get_answer_rows()}
        self.assertEqual(rows["ho_va_ten"], "Người báo cáo")
        self.assertEqual(rows["ghi_chu"], "Ghi chú")
