"""Stable keys: made once from the label, unique in the form, never reused."""

from uuid import uuid4

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase
from wagtail.blocks.stream_block import StreamBlockValidationError

from forms_app.keys import key_from_label, unique_key
from forms_app.models import ReportTemplatePage
from forms_app.stream import FormFieldsBlock
from tests.base import BaseTestCase
from tests.forms_app.factories import make_report_template
from tests.forms_app.test_moderation import ModerationTestCase, block_form_data

REQUIRED_BLOCKS = [
    {"type": "dlxh_impact", "value": {}},
    {"type": "dlxh_trend", "value": {}},
    {"type": "dlxh_recommendations", "value": {}},
]


def short_text(label, key="", **value):
    return {"type": "short_text", "value": {"label": label, "key": key, **value}}


def choice(label, choices, key=""):
    return {
        "type": "single_choice",
        "value": {
            "label": label,
            "key": key,
            "choices": [{"label": text, "key": ""} for text in choices],
        },
    }


def clean_stream(raw):
    block = FormFieldsBlock()
    return block.clean(block.to_python(raw))


def stream_errors(raw):
    """{block index: {sub-block name: message}} of a stream that fails to clean."""
    try:
        clean_stream(raw)
    except StreamBlockValidationError as error:
        return {
            index: {
                name: " ".join(sub_error.messages)
                for name, sub_error in block_error.block_errors.items()
            }
            for index, block_error in error.block_errors.items()
        }
    return {}


def stream_post_data(raw):
    """The editor's POST data for a stream given as raw blocks."""
    block = FormFieldsBlock()
    value = block.to_python(raw)
    return block_form_data(block, block.get_form_state(value), "fields")


def keys_of(page):
    return [item.key for item in page.input_items()]


def raw_stream(page):
    """The page's blocks as editable dicts, with their stream ids."""
    return [
        {"type": child["type"], "value": dict(child["value"]), "id": child["id"]}
        for child in page.get_latest_revision_as_object().fields.raw_data
    ]


class KeyFunctionsTest(SimpleTestCase):
    def test_key_is_the_label_without_diacritics(self):
        self.assertEqual(key_from_label("Họ và tên"), "ho_va_ten")
        self.assertEqual(key_from_label("Đường giao thông"), "duong_giao_thong")
        self.assertEqual(
            key_from_label("  Số   người (ước tính)  "), "so_nguoi_uoc_tinh"
        )

    def test_key_starts_with_a_letter(self):
        self.assertEqual(key_from_label("2. Ý kiến"), "truong_2_y_kien")
        self.assertEqual(key_from_label("???"), "truong")

    def test_unique_key_adds_a_number(self):
        taken = {"y_kien", "y_kien_2"}
        self.assertEqual(unique_key("y_kien", taken), "y_kien_3")
        self.assertIn("y_kien_3", taken)


class StreamKeysTest(SimpleTestCase):
    def test_keys_are_generated_from_labels(self):
        stream = clean_stream([short_text("Họ và tên"), *REQUIRED_BLOCKS])
        self.assertEqual(
            [child.value["key"] for child in stream],
            ["ho_va_ten", "dlxh_impact", "dlxh_trend", "dlxh_recommendations"],
        )

    def test_labels_differing_only_in_diacritics_get_distinct_keys(self):
        # "Hòa" and "Hoà" are two spellings of one word; both fold to "hoa".
        stream = clean_stream(
            [short_text("Hòa bình"), short_text("Hoà bình"), short_text("Hoa binh")]
        )
        self.assertEqual(
            [child.value["key"] for child in stream],
            ["hoa_binh", "hoa_binh_2", "hoa_binh_3"],
        )

    def test_a_typed_key_is_kept_and_not_taken_by_a_generated_one(self):
        stream = clean_stream([short_text("Ý kiến"), short_text("Khác", key="y_kien")])
        self.assertEqual(
            [child.value["key"] for child in stream], ["y_kien_2", "y_kien"]
        )

    def test_standard_blocks_have_fixed_keys(self):
        raw = [{"type": "dlxh_impact", "value": {"label": "Tác động", "key": "khac"}}]
        self.assertEqual(clean_stream(raw)[0].value["key"], "dlxh_impact")

    def test_choice_keys_are_generated_and_unique(self):
        stream = clean_stream(
            [choice("Địa bàn", ["Hòa bình", "Hoà bình", "Thành phố"])]
        )
        self.assertEqual(
            [item["key"] for item in stream[0].value["choices"]],
            ["hoa_binh", "hoa_binh_2", "thanh_pho"],
        )

    def test_invalid_typed_key_is_refused_next_to_the_key(self):
        for bad in ("Họ tên", "1_ho_ten", "ho-ten", "HoTen"):
            with self.subTest(key=bad):
                errors = stream_errors([short_text("Họ tên", key=bad)])
                self.assertIn("Mã chỉ gồm chữ thường không dấu", errors[0]["key"])

    def test_duplicate_typed_key_is_refused(self):
        errors = stream_errors(
            [short_text("Họ tên", key="ho_ten"), short_text("Tên", key="ho_ten")]
        )
        self.assertNotIn(0, errors)
        self.assertIn("Mã “ho_ten” đã dùng", errors[1]["key"])

    def test_duplicate_typed_choice_keys_are_refused(self):
        raw = choice("Mức độ", [])
        raw["value"]["choices"] = [
            {"label": "Ít", "key": "muc"},
            {"label": "Nhiều", "key": "muc"},
        ]
        errors = stream_errors([raw])
        self.assertIn("Các lựa chọn phải có mã khác nhau", errors[0]["choices"])

    def test_condition_on_an_unknown_field_is_refused(self):
        condition = {"field_key": "khong_co", "operator": "equals", "value": "yes"}
        errors = stream_errors([short_text("Chi tiết", condition=condition)])
        self.assertIn("câu hỏi đứng trước", errors[0]["condition"])
        self.assertIn("khong_co", errors[0]["condition"])

    def test_condition_on_a_later_field_is_refused(self):
        condition = {"field_key": "co_vu_viec", "operator": "equals", "value": "yes"}
        errors = stream_errors(
            [
                short_text("Chi tiết", condition=condition),
                {
                    "type": "yes_no",
                    "value": {"label": "Có vụ việc?", "key": "co_vu_viec"},
                },
            ]
        )
        self.assertIn("câu hỏi đứng trước", errors[0]["condition"])

    def test_condition_on_an_earlier_field_is_accepted(self):
        condition = {"field_key": "co_vu_viec", "operator": "equals", "value": "yes"}
        raw = [
            {"type": "yes_no", "value": {"label": "Có vụ việc?", "key": "co_vu_viec"}},
            short_text("Chi tiết", condition=condition),
        ]
        self.assertEqual(stream_errors(raw), {})


class PageKeysTest(BaseTestCase):
    """Keys across revisions of a published form."""

    def publish(self, page, stream):
        page.fields = stream
        page.save_revision().publish()
        return ReportTemplatePage.objects.get(pk=page.pk)

    def make_form(self, *fields):
        return make_report_template(fields=[*fields, *REQUIRED_BLOCKS])

    def test_relabelling_keeps_the_key(self):
        page = self.make_form(short_text("Họ và tên"))
        stream = raw_stream(page)
        stream[0]["value"]["label"] = "Họ, tên người báo cáo"
        # The editor posts the key back; a cleared key must not be regenerated
        # from the new label either.
        stream[0]["value"]["key"] = ""
        page = self.publish(page, stream)
        self.assertEqual(keys_of(page)[0], "ho_va_ten")
        self.assertEqual(page.input_items()[0].value["label"], "Họ, tên người báo cáo")

    def test_reordering_keeps_the_keys(self):
        page = self.make_form(short_text("Họ và tên"), short_text("Chức vụ"))
        stream = raw_stream(page)
        stream[0], stream[1] = stream[1], stream[0]
        page = self.publish(page, stream)
        self.assertEqual(keys_of(page)[:2], ["chuc_vu", "ho_va_ten"])

    def test_removed_then_readded_block_gets_a_new_key(self):
        page = self.make_form(short_text("Ý kiến"), short_text("Họ và tên"))
        self.assertEqual(keys_of(page)[0], "y_kien")

        page = self.publish(page, raw_stream(page)[1:])
        self.assertNotIn("y_kien", keys_of(page))

        page = self.publish(page, [short_text("Ý kiến"), *raw_stream(page)])
        self.assertEqual(keys_of(page)[0], "y_kien_2")

        # ...and once more: neither old key is reused.
        page = self.publish(page, raw_stream(page)[1:])
        page = self.publish(page, [short_text("Ý kiến"), *raw_stream(page)])
        self.assertEqual(keys_of(page)[0], "y_kien_3")

    def test_choice_keys_survive_relabelling_and_new_choices(self):
        page = self.make_form(choice("Mức độ quan tâm", ["Ít", "Nhiều"]))
        stream = raw_stream(page)
        # List items are stored as {"type": "item", "value": ..., "id": ...}.
        choices = stream[0]["value"]["choices"]
        self.assertEqual([item["value"]["key"] for item in choices], ["it", "nhieu"])
        choices[1]["value"]["label"] = "Rất nhiều"
        new_choice = {"label": "Không quan tâm", "key": ""}
        choices.insert(0, {"type": "item", "value": new_choice, "id": str(uuid4())})
        page = self.publish(page, stream)
        self.assertEqual(
            [
                (item["key"], item["label"])
                for item in page.input_items()[0].value["choices"]
            ],
            [
                ("khong_quan_tam", "Không quan tâm"),
                ("it", "Ít"),
                ("nhieu", "Rất nhiều"),
            ],
        )

    def test_page_built_in_code_refuses_an_invalid_key(self):
        page = make_report_template(fields=[short_text("Họ tên"), *REQUIRED_BLOCKS])
        stream = raw_stream(page)
        stream[0]["value"]["key"] = "Họ tên"
        page.fields = stream
        with self.assertRaises(ValidationError):
            page.full_clean()


class EditorKeysTest(ModerationTestCase):
    """What staff see in Wagtail's page editor."""

    def stream_errors_after_saving(self, page, stream):
        self.login(self.owner)
        data = self.edit_data(page)
        data.update(stream_post_data(stream))
        response = self.client.post(self.edit_url(page), data)
        self.assertEqual(response.status_code, 200)
        [error] = response.context["form"].errors["fields"].as_data()
        return {
            index: {
                name: " ".join(sub_error.messages)
                for name, sub_error in block_error.block_errors.items()
            }
            for index, block_error in error.block_errors.items()
        }

    def test_invalid_key_is_shown_next_to_the_key(self):
        page = self.make_draft(self.owner)
        stream = raw_stream(page)
        stream[0]["value"]["key"] = "Họ-tên"
        errors = self.stream_errors_after_saving(page, stream)
        self.assertEqual(list(errors), [0])
        self.assertEqual(list(errors[0]), ["key"])
        self.assertIn("Mã chỉ gồm chữ thường không dấu", errors[0]["key"])

    def test_condition_on_a_later_field_is_shown_next_to_the_condition(self):
        page = self.make_draft(self.owner)
        stream = raw_stream(page)
        stream[0]["value"]["condition"] = {
            "field_key": "dlxh_trend",
            "operator": "equals",
            "value": "rising",
        }
        errors = self.stream_errors_after_saving(page, stream)
        self.assertIn("câu hỏi đứng trước", errors[0]["condition"])
