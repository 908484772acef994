"""Field blocks of the form builder: each block is one question (or a layout item).

Every input block has a stable machine `key` (generated once from the label, see
keys.py), knows the Django form field(s) it becomes, how its cleaned value is
stored as JSON, and how a stored answer reads back. Wagtail's contrib.forms keeps
fields as inline models with a key derived from the label on every save; here the
key is kept in the block and never follows a relabel, so old answers stay valid.
Questions answered by picking are in choice_blocks.py, the standard DLXH blocks
in standard_blocks.py.
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from security.uploads import (
    allowed_extensions,
    effective_extensions,
    normalise,
    refused_extensions,
)
from units.models import Commune

from .conditions import Operator
from .fields import PrivateFileField
from .widgets import LongSelect


class ConditionBlock(blocks.StructBlock):
    field_key = blocks.CharBlock(
        label=_("chỉ hiện khi trường (mã)"),
        required=False,
        help_text=_("Mã của một trường đứng trước; để trống nếu luôn hiện."),
    )
    operator = blocks.ChoiceBlock(
        label=_("phép so sánh"), choices=Operator.choices, default=Operator.EQUALS
    )
    value = blocks.CharBlock(
        label=_("giá trị"),
        required=False,
        help_text=_("Với “là một trong”, ghi các giá trị cách nhau bởi dấu phẩy."),
    )

    class Meta:
        label = _("Điều kiện hiển thị")
        collapsed = True


class ChoiceItemBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("nhãn"))
    key = blocks.CharBlock(
        label=_("mã"), required=False, help_text=_("Tự sinh; không đổi khi sửa nhãn.")
    )

    class Meta:
        label = _("Lựa chọn")


def _key_block():
    return blocks.CharBlock(
        label=_("mã trường"),
        required=False,
        max_length=64,
        help_text=_(
            "Mã máy của trường, tự sinh từ nhãn khi lưu lần đầu và giữ nguyên khi "
            "sửa nhãn, để câu trả lời cũ và báo cáo tổng hợp không bị ảnh hưởng."
        ),
    )


class FieldBlock(blocks.StructBlock):
    """One question. Subclasses set the Django field and, if needed, the JSON form."""

    is_input = True
    label = blocks.CharBlock(label=_("nhãn câu hỏi"))
    key = _key_block()
    help_text = blocks.CharBlock(label=_("hướng dẫn"), required=False)
    required = blocks.BooleanBlock(label=_("bắt buộc"), required=False)
    identifying = blocks.BooleanBlock(
        label=_("thông tin nhận dạng người cung cấp"),
        required=False,
        help_text=_(
            "Đánh dấu nếu câu trả lời cho biết ai là người cung cấp thông tin "
            "(họ tên, số điện thoại, địa chỉ…): câu trả lời được mã hóa và chỉ "
            "hiện bằng bí danh (Điều 7.1.5 Quy chế)."
        ),
    )
    condition = ConditionBlock()

    class Meta:
        icon = "form"

    # Hooks, in the manner of wagtail.contrib.forms' FormBuilder.

    def get_field_class(self, value):
        return forms.CharField

    def get_field_kwargs(self, value, context):
        return {
            "label": value["label"],
            "help_text": value.get("help_text") or "",
            "required": bool(value.get("required")),
        }

    def get_form_fields(self, value, context):
        """{form field name: Django field}; most blocks give one, named by key."""
        field = self.get_field_class(value)(**self.get_field_kwargs(value, context))
        return {value["key"]: field}

    def get_answer(self, value, cleaned_data):
        """The JSON-ready answer from the form's cleaned data, or None."""
        return to_json(cleaned_data.get(value["key"]))

    def display_answer(self, value, answer):
        if answer in (None, "", []):
            return ""
        return str(answer)

    def get_display_value(self, value, answered_value):
        """The value to display an old answer with: `value` is the question now,
        `answered_value` as it was when answered. The current wording wins."""
        return value


def to_json(answer):
    if answer is None or answer == "":
        return None
    if isinstance(answer, str):
        return unicodedata.normalize("NFC", answer)
    if hasattr(answer, "isoformat"):
        return answer.isoformat()
    return answer


class ShortTextBlock(FieldBlock):
    placeholder = blocks.CharBlock(label=_("gợi ý nhập"), required=False)
    default = blocks.CharBlock(label=_("giá trị mặc định"), required=False)
    min_length = blocks.IntegerBlock(label=_("độ dài tối thiểu"), required=False)
    max_length = blocks.IntegerBlock(
        label=_("độ dài tối đa"), required=False, default=255
    )
    pattern = blocks.CharBlock(
        label=_("mẫu kiểm tra (biểu thức chính quy)"), required=False
    )
    pattern_message = blocks.CharBlock(label=_("thông báo khi sai mẫu"), required=False)

    class Meta:
        label = _("Văn bản ngắn")
        icon = "pilcrow"

    widget = forms.TextInput

    def get_field_kwargs(self, value, context):
        kwargs = super().get_field_kwargs(value, context)
        kwargs["initial"] = value.get("default") or None
        kwargs["min_length"] = value.get("min_length") or None
        kwargs["max_length"] = value.get("max_length") or None
        attrs = (
            {"placeholder": value["placeholder"]} if value.get("placeholder") else {}
        )
        kwargs["widget"] = self.widget(attrs=attrs)
        if value.get("pattern"):
            kwargs["validators"] = [
                RegexValidator(
                    value["pattern"],
                    message=value.get("pattern_message")
                    or _("Giá trị không đúng định dạng yêu cầu."),
                )
            ]
        return kwargs


class LongTextBlock(ShortTextBlock):
    max_length = blocks.IntegerBlock(
        label=_("độ dài tối đa"), required=False, default=10000
    )

    class Meta:
        label = _("Văn bản dài")
        icon = "doc-full"

    widget = forms.Textarea


class NumberBlock(FieldBlock):
    min_value = blocks.DecimalBlock(label=_("giá trị nhỏ nhất"), required=False)
    max_value = blocks.DecimalBlock(label=_("giá trị lớn nhất"), required=False)
    decimal_places = blocks.IntegerBlock(
        label=_("số chữ số thập phân"), required=False, default=0, min_value=0
    )
    unit = blocks.CharBlock(label=_("đơn vị tính"), required=False)
    default = blocks.DecimalBlock(label=_("giá trị mặc định"), required=False)

    class Meta:
        label = _("Số")
        icon = "order"

    def get_field_class(self, value):
        return forms.DecimalField if value.get("decimal_places") else forms.IntegerField

    def get_field_kwargs(self, value, context):
        kwargs = super().get_field_kwargs(value, context)
        # Django's Vietnamese catalogue says "số tổng thể" for "whole number".
        kwargs["error_messages"] = {
            "invalid": _("Vui lòng nhập một số nguyên.")
            if not value.get("decimal_places")
            else _("Vui lòng nhập một số.")
        }
        if value.get("min_value") is not None:
            kwargs["min_value"] = value["min_value"]
        if value.get("max_value") is not None:
            kwargs["max_value"] = value["max_value"]
        if value.get("decimal_places"):
            kwargs["decimal_places"] = value["decimal_places"]
        if value.get("default") is not None:
            kwargs["initial"] = value["default"]
        if value.get("unit"):
            kwargs["widget"] = forms.NumberInput(attrs={"data-unit": value["unit"]})
        return kwargs

    def get_answer(self, value, cleaned_data):
        number = cleaned_data.get(value["key"])
        if number is None:
            return None
        # Decimals are stored as text to keep every digit; integers as numbers.
        return number if isinstance(number, int) else str(number)

    def display_answer(self, value, answer):
        text = super().display_answer(value, answer)
        return f"{text} {value['unit']}" if text and value.get("unit") else text


class DateBlock(FieldBlock):
    class Meta:
        label = _("Ngày")
        icon = "date"

    def get_field_class(self, value):
        return forms.DateField

    def get_field_kwargs(self, value, context):
        kwargs = super().get_field_kwargs(value, context)
        kwargs["widget"] = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        return kwargs


class DateTimeBlock(FieldBlock):
    class Meta:
        label = _("Ngày giờ")
        icon = "time"

    def get_field_class(self, value):
        return forms.DateTimeField

    def get_field_kwargs(self, value, context):
        kwargs = super().get_field_kwargs(value, context)
        kwargs["widget"] = forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        )
        kwargs["input_formats"] = [
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M:%S",
        ]
        return kwargs


class EmailBlock(FieldBlock):
    placeholder = blocks.CharBlock(label=_("gợi ý nhập"), required=False)

    class Meta:
        label = _("Thư điện tử")
        icon = "mail"

    def get_field_class(self, value):
        return forms.EmailField


PHONE_VALIDATOR = RegexValidator(
    r"^(\+84|0)\d{9,10}$",
    message=_("Số điện thoại gồm 10–11 chữ số, bắt đầu bằng 0 hoặc +84."),
)


class PhoneBlock(FieldBlock):
    placeholder = blocks.CharBlock(label=_("gợi ý nhập"), required=False)

    class Meta:
        label = _("Số điện thoại")
        icon = "mobile-alt"

    def get_field_kwargs(self, value, context):
        kwargs = super().get_field_kwargs(value, context)
        kwargs["widget"] = forms.TextInput(attrs={"type": "tel", "inputmode": "tel"})
        kwargs["validators"] = [PHONE_VALIDATOR]
        return kwargs

    def get_answer(self, value, cleaned_data):
        phone = cleaned_data.get(value["key"]) or ""
        return phone.replace(" ", "").replace(".", "") or None


class LocalityBlock(FieldBlock):
    """A commune or ward of the province, from the registry."""

    class Meta:
        label = _("Địa bàn (xã, phường)")
        icon = "site"

    def get_field_class(self, value):
        return forms.ChoiceField

    def get_field_kwargs(self, value, context):
        kwargs = super().get_field_kwargs(value, context)
        kwargs["choices"] = [("", _("— Chọn xã, phường —")), *context.locality_choices]
        kwargs["widget"] = LongSelect
        return kwargs

    def display_answer(self, value, answer):
        if not answer:
            return ""
        commune = Commune.objects.filter(code=answer).first()
        return commune.name if commune else str(answer)


class FileBlock(FieldBlock):
    allowed_extensions = blocks.CharBlock(
        label=_("định dạng cho phép"),
        default="pdf,jpg,jpeg,png,docx,xlsx",
        required=False,
        help_text=_(
            "Các phần mở rộng, cách nhau bởi dấu phẩy, trong danh sách hệ thống "
            "cho phép (ảnh, PDF, văn bản Office). Để trống: cả danh sách đó."
        ),
    )
    max_size_mb = blocks.IntegerBlock(
        label=_("dung lượng tối đa (MB)"), default=10, min_value=1, max_value=50
    )

    class Meta:
        label = _("Tệp đính kèm")
        icon = "doc-empty"

    def extensions(self, value):
        return normalise((value.get("allowed_extensions") or "").split(","))

    def clean(self, value):
        """A question may narrow the installation's allow-list, never widen it:
        a type outside it (SVG, HTML, an executable…) is refused here, where
        the Board's staff typed it."""
        value = super().clean(value)
        refused = refused_extensions(self.extensions(value))
        if refused:
            raise StructBlockValidationError(
                block_errors={
                    "allowed_extensions": ValidationError(
                        _(
                            "Không được nhận tệp %(refused)s. Hệ thống chỉ nhận: "
                            "%(allowed)s."
                        )
                        % {
                            "refused": ", ".join(f".{e}" for e in refused),
                            "allowed": ", ".join(allowed_extensions()),
                        }
                    )
                }
            )
        return value

    def get_field_class(self, value):
        return PrivateFileField

    def get_field_kwargs(self, value, context):
        kwargs = super().get_field_kwargs(value, context)
        kwargs["extensions"] = effective_extensions(self.extensions(value))
        kwargs["max_size"] = int(value.get("max_size_mb") or 10) * 1024 * 1024
        kwargs["widget"] = forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{ext}" for ext in kwargs["extensions"])}
        )
        return kwargs

    def get_answer(self, value, cleaned_data):
        # The view stores the upload privately and replaces it with its metadata.
        return cleaned_data.get(value["key"]) or None

    def display_answer(self, value, answer):
        return answer.get("name", "") if isinstance(answer, dict) else ""


class LayoutBlock(blocks.StructBlock):
    is_input = False


class SectionHeadingBlock(LayoutBlock):
    title = blocks.CharBlock(label=_("tiêu đề phần"))
    key = _key_block()
    condition = ConditionBlock(
        help_text=_("Điều kiện áp dụng cho cả phần, đến tiêu đề phần tiếp theo.")
    )

    class Meta:
        label = _("Tiêu đề phần")
        icon = "title"


class InstructionsBlock(LayoutBlock):
    text = blocks.RichTextBlock(
        label=_("nội dung hướng dẫn"), features=["bold", "italic", "ol", "ul", "link"]
    )

    class Meta:
        label = _("Đoạn hướng dẫn")
        icon = "help"


class PageBreakBlock(LayoutBlock):
    title = blocks.CharBlock(
        label=_("tên bước tiếp theo"),
        required=False,
        help_text=_("Ngắt trang: các câu hỏi sau đây thuộc bước tiếp theo."),
    )

    class Meta:
        label = _("Ngắt trang")
        icon = "arrow-right"
