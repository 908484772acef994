"""Conditional display: each operator, and hiding that cascades down a chain."""

from django.test import SimpleTestCase

from forms_app.conditions import condition_met
from forms_app.forms import StepForm, build_steps
from forms_app.stream import FormFieldsBlock


def when(key, operator, value):
    return {"field_key": key, "operator": operator, "value": value}


class OperatorTest(SimpleTestCase):
    def assertMet(self, operator, expected, answer, met=True):
        condition = when("q", operator, expected)
        self.assertEqual(
            condition_met(condition, {"q": answer}),
            met,
            f"{answer!r} {operator} {expected!r}",
        )

    def test_empty_condition_always_holds(self):
        for condition in (None, {}, when("", "equals", "yes")):
            with self.subTest(condition=condition):
                self.assertTrue(condition_met(condition, {}))

    def test_unanswered_field_never_meets_a_condition(self):
        for answer in (None, "", [], {}):
            with self.subTest(answer=answer):
                self.assertMet("equals", "", answer, met=False)
        self.assertFalse(condition_met(when("q", "equals", "x"), {}))

    def test_equals_text_ignores_case_and_diacritics(self):
        self.assertMet("equals", "hoa binh", "Hòa Bình")
        self.assertMet("equals", "Hoà Bình", "Hòa Bình")
        self.assertMet("equals", "Đắk Lắk", "dak lak")
        self.assertMet("equals", "Hòa", "Hòa Bình", met=False)

    def test_equals_on_a_list_means_exactly_that_choice(self):
        self.assertMet("equals", "hoi_nghi", ["hoi_nghi"])
        self.assertMet("equals", "hoi_nghi", ["hoi_nghi", "bao_chi"], met=False)

    def test_one_of(self):
        self.assertMet("one_of", "it, nhieu", "nhieu")
        self.assertMet("one_of", "it,nhieu", "khong", met=False)
        self.assertMet("one_of", "bao_chi, mang_xa_hoi", ["hoi_nghi", "mang_xa_hoi"])
        self.assertMet("one_of", "bao_chi", ["hoi_nghi"], met=False)
        self.assertMet("one_of", " , ", "x", met=False)

    def test_contains(self):
        self.assertMet("contains", "mat bang", "Giải phóng mặt bằng")
        self.assertMet("contains", "đất", "Tranh chấp ĐẤT đai")
        self.assertMet("contains", "mang_xa_hoi", ["hoi_nghi", "mang_xa_hoi"])
        self.assertMet("contains", "bao_chi", ["hoi_nghi"], met=False)

    def test_at_least_numbers(self):
        self.assertMet("at_least", "40", 42)
        self.assertMet("at_least", "42", 42)
        self.assertMet("at_least", "43", 42, met=False)
        # Decimals are stored as text; they compare as numbers, not as text.
        self.assertMet("at_least", "3.25", "3.5")
        self.assertMet("at_least", "10", "9.5", met=False)
        self.assertMet("at_least", "4", 4)  # a rating

    def test_at_least_dates_and_times(self):
        self.assertMet("at_least", "2026-11-01", "2026-11-23")
        self.assertMet("at_least", "2026-11-01", "2026-10-31", met=False)
        self.assertMet("at_least", "2026-11-23T08:00", "2026-11-23T08:30:00+07:00")

    def test_yes_no(self):
        self.assertMet("equals", "yes", "yes")
        self.assertMet("equals", "yes", "no", met=False)
        # Booleans (from imports or the API) read as yes/no.
        self.assertMet("equals", "yes", True)
        self.assertMet("equals", "no", False)

    def test_unknown_operator_never_holds(self):
        self.assertMet("greater_than", "1", 2, met=False)


def yes_no(label, key, **value):
    return {"type": "yes_no", "value": {"label": label, "key": key, **value}}


def text(label, key, **value):
    return {"type": "short_text", "value": {"label": label, "key": key, **value}}


CHAIN = [
    yes_no("Có vụ việc cụ thể không?", "co_vu_viec", required=True),
    text(
        "Tên vụ việc",
        "ten_vu_viec",
        required=True,
        condition=when("co_vu_viec", "equals", "yes"),
    ),
    text(
        "Diện tích đất tranh chấp",
        "dien_tich",
        required=True,
        condition=when("ten_vu_viec", "contains", "đất"),
    ),
    {
        "type": "heading",
        "value": {
            "title": "Diễn biến",
            "key": "phan_dien_bien",
            "condition": when("co_vu_viec", "equals", "yes"),
        },
    },
    {
        "type": "number",
        "value": {"label": "Số người tham gia", "key": "so_nguoi", "required": True},
    },
    {"type": "page_break", "value": {"title": "Đánh giá"}},
    text("Người báo cáo", "nguoi_bao_cao", required=True),
    text(
        "Kiến nghị về vụ việc",
        "kien_nghi_vu_viec",
        required=True,
        condition=when("co_vu_viec", "equals", "yes"),
    ),
]

ALL_POSTED = {
    "ten_vu_viec": "Tranh chấp đất đai thôn 3",
    "dien_tich": "2 ha",
    "so_nguoi": "40",
}


class CascadeTest(SimpleTestCase):
    def setUp(self):
        self.steps = build_steps(FormFieldsBlock().to_python(CHAIN))

    def form(self, data, step=0, prior=None):
        form = StepForm(data, step=self.steps[step], prior_answers=prior)
        form.is_valid()
        return form

    def test_no_hides_the_chain_and_the_section_whatever_was_posted(self):
        form = self.form({"co_vu_viec": "no", **ALL_POSTED})
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.get_answers(), {"co_vu_viec": "no"})
        self.assertEqual(form.hidden_keys, {"ten_vu_viec", "dien_tich", "so_nguoi"})

    def test_hidden_required_fields_are_not_required(self):
        form = self.form({"co_vu_viec": "no"})
        self.assertTrue(form.is_valid(), form.errors)

    def test_yes_shows_the_next_link_and_requires_it(self):
        form = self.form({"co_vu_viec": "yes"})
        self.assertFalse(form.is_valid())
        self.assertEqual(set(form.errors), {"ten_vu_viec", "so_nguoi"})
        # The third link depends on an unanswered one, so it stays hidden.
        self.assertIn("dien_tich", form.hidden_keys)

    def test_cascade_follows_each_answer(self):
        form = self.form(
            {"co_vu_viec": "yes", "ten_vu_viec": "Khiếu nại giá điện", "so_nguoi": "5"}
        )
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.hidden_keys, {"dien_tich"})

        form = self.form({"co_vu_viec": "yes", **ALL_POSTED})
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(
            form.get_answers(),
            {
                "co_vu_viec": "yes",
                "ten_vu_viec": "Tranh chấp đất đai thôn 3",
                "dien_tich": "2 ha",
                "so_nguoi": 40,
            },
        )

    def test_conditions_reach_across_steps(self):
        posted = {"nguoi_bao_cao": "Nguyễn Văn An", "kien_nghi_vu_viec": "Đối thoại"}
        form = self.form(posted, step=1, prior={"co_vu_viec": "no"})
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.get_answers(), {"nguoi_bao_cao": "Nguyễn Văn An"})

        form = self.form(
            {"nguoi_bao_cao": "Nguyễn Văn An"}, step=1, prior={"co_vu_viec": "yes"}
        )
        self.assertEqual(set(form.errors), {"kien_nghi_vu_viec"})
