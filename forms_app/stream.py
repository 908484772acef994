"""The StreamField of a form: its block types, and validation across blocks."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail import blocks
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from . import blocks as field_blocks
from . import choice_blocks
from . import standard_blocks as standard
from .keys import KEY_PATTERN, assign_item_keys, key_from_label, unique_key


class FormFieldsBlock(blocks.StreamBlock):
    short_text = field_blocks.ShortTextBlock()
    long_text = field_blocks.LongTextBlock()
    number = field_blocks.NumberBlock()
    date = field_blocks.DateBlock()
    datetime = field_blocks.DateTimeBlock()
    email = field_blocks.EmailBlock()
    phone = field_blocks.PhoneBlock()
    single_choice = choice_blocks.SingleChoiceBlock()
    multiple_choice = choice_blocks.MultipleChoiceBlock()
    yes_no = choice_blocks.YesNoBlock()
    rating = choice_blocks.RatingBlock()
    likert_matrix = choice_blocks.LikertMatrixBlock()
    locality = field_blocks.LocalityBlock()
    file = field_blocks.FileBlock()
    heading = field_blocks.SectionHeadingBlock()
    instructions = field_blocks.InstructionsBlock()
    page_break = field_blocks.PageBreakBlock()
    dlxh_category = standard.ContentCategoryBlock()
    dlxh_sector = standard.SectorBlock()
    dlxh_locality = standard.StandardLocalityBlock()
    dlxh_source_channel = standard.SourceChannelBlock()
    dlxh_summary = standard.SummaryBlock()
    dlxh_impact = standard.ImpactBlock()
    dlxh_trend = standard.TrendBlock()
    dlxh_sensitivity = standard.SensitivityBlock()
    dlxh_recommendations = standard.RecommendationsBlock()

    class Meta:
        # A standard block appears at most once: digests read one value per key.
        block_counts = {key: {"max_num": 1} for key in standard.STANDARD_KEYS}

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        seen_keys = set()
        taken = {
            child.value["key"]
            for child in value
            if "key" in child.value and child.value["key"]
        }
        for index, child in enumerate(value):
            block_errors = self._clean_child(child, taken, seen_keys)
            if block_errors:
                errors[index] = StructBlockValidationError(block_errors=block_errors)
        if errors:
            raise StreamBlockValidationError(block_errors=errors)
        return value

    def _clean_child(self, child, taken, seen_keys):
        """Give the child its keys and check them; return its errors by sub-block."""
        block, data = child.block, child.value
        errors = {}
        if "condition" in data:
            key = (data["condition"] or {}).get("field_key")
            if key and key not in seen_keys:
                errors["condition"] = ValidationError(
                    _(
                        "Điều kiện phải dựa vào mã của một câu hỏi đứng trước "
                        "(không có câu hỏi “%(key)s” ở phía trên)."
                    )
                    % {"key": key}
                )
        if "key" not in data:
            return errors
        if isinstance(block, standard.StandardBlock):
            data["key"] = block.standard_key
        elif not data["key"]:
            label = data.get("label") or data.get("title") or ""
            fallback = "phan" if "title" in data else "truong"
            data["key"] = unique_key(key_from_label(label, fallback), taken)
        elif not KEY_PATTERN.match(data["key"]):
            errors["key"] = ValidationError(
                _(
                    "Mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch dưới, "
                    "bắt đầu bằng chữ cái."
                )
            )
        if data["key"] in seen_keys:
            errors["key"] = ValidationError(
                _("Mã “%(key)s” đã dùng cho một câu hỏi khác trong biểu mẫu.")
                % {"key": data["key"]}
            )
        seen_keys.add(data["key"])
        for list_name, fallback in (
            ("choices", "lua_chon"),
            ("statements", "nhan_dinh"),
        ):
            if list_name in data:
                items = data[list_name]
                assign_item_keys(items, fallback)
                item_keys = [item["key"] for item in items]
                if len(set(item_keys)) != len(item_keys):
                    errors[list_name] = ValidationError(
                        _("Các lựa chọn phải có mã khác nhau.")
                    )
        return errors


def block_types(*classes):
    """The names of the form's block types that are instances of `classes`."""
    return frozenset(
        name
        for name, block in FormFieldsBlock.base_blocks.items()
        if isinstance(block, classes)
    )


# Questions answered by picking labelled choices (their answers are choice keys,
# a list of them for multiple choice): the Board's own lists, the fixed
# vocabularies and the localities.
CHOICE_TYPES = block_types(
    choice_blocks.ChoiceFieldBlock,
    choice_blocks.FixedChoicesMixin,
    field_blocks.LocalityBlock,
)
# Questions answered with a score on a numbered scale: ratings, Likert matrices.
SCALE_TYPES = block_types(choice_blocks.RatingBlock)
