"""Question blocks answered by picking: choices the Board writes (single,
multiple), fixed vocabularies (yes/no and the standard DLXH blocks), ratings
and Likert matrices. Every choice has a stable key, as every question has
(blocks.py); answers store keys, and labels are read back when displayed.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .blocks import ChoiceItemBlock, FieldBlock
from .widgets import LikertRadioSelect


class ChoiceFieldBlock(FieldBlock):
    """Questions answered by picking from labelled choices with stable keys."""

    choices = blocks.ListBlock(ChoiceItemBlock(), label=_("các lựa chọn"), min_num=1)

    def get_choices(self, value, context):
        return [(item["key"], item["label"]) for item in value["choices"]]

    def get_field_kwargs(self, value, context):
        kwargs = super().get_field_kwargs(value, context)
        kwargs["choices"] = self.get_choices(value, context)
        return kwargs

    def get_display_value(self, value, answered_value):
        # A choice removed since the answer was given keeps its old label
        # rather than showing its bare key.
        current = {item["key"] for item in value["choices"]}
        removed = [
            item for item in answered_value["choices"] if item["key"] not in current
        ]
        if not removed:
            return value
        return {**value, "choices": [*value["choices"], *removed]}

    def display_answer(self, value, answer):
        labels = dict(self.get_choices(value, None))
        if isinstance(answer, list):
            return "; ".join(str(labels.get(item, item)) for item in answer)
        return str(labels.get(answer, answer)) if answer not in (None, "") else ""


class SingleChoiceBlock(ChoiceFieldBlock):
    display = blocks.ChoiceBlock(
        label=_("kiểu hiển thị"),
        choices=[("radio", _("Nút chọn")), ("dropdown", _("Danh sách thả xuống"))],
        default="radio",
    )

    class Meta:
        label = _("Chọn một")
        icon = "radio-full"

    def get_field_class(self, value):
        return forms.ChoiceField

    def get_field_kwargs(self, value, context):
        kwargs = super().get_field_kwargs(value, context)
        if value.get("display") == "dropdown":
            kwargs["choices"] = [("", _("— Chọn —")), *kwargs["choices"]]
            kwargs["widget"] = forms.Select
        else:
            kwargs["widget"] = forms.RadioSelect
        return kwargs


class MultipleChoiceBlock(ChoiceFieldBlock):
    class Meta:
        label = _("Chọn nhiều")
        icon = "list-ul"

    def get_field_class(self, value):
        return forms.MultipleChoiceField

    def get_field_kwargs(self, value, context):
        kwargs = super().get_field_kwargs(value, context)
        kwargs["widget"] = forms.CheckboxSelectMultiple
        return kwargs

    def get_answer(self, value, cleaned_data):
        return list(cleaned_data.get(value["key"]) or []) or None


class FixedChoicesMixin:
    """A question whose choices are fixed by the block type (yes/no, the
    standard vocabularies), not typed by staff; shown as radio buttons."""

    def get_choices(self, value, context):
        raise NotImplementedError

    def get_field_class(self, value):
        return forms.ChoiceField

    def get_field_kwargs(self, value, context):
        kwargs = super().get_field_kwargs(value, context)
        kwargs["choices"] = self.get_choices(value, context)
        kwargs["widget"] = forms.RadioSelect
        return kwargs

    def display_answer(self, value, answer):
        return str(dict(self.get_choices(value, None)).get(answer, answer or ""))


class YesNoBlock(FixedChoicesMixin, FieldBlock):
    class Meta:
        label = _("Có / Không")
        icon = "tick"

    def get_choices(self, value, context):
        return [("yes", _("Có")), ("no", _("Không"))]


SCALE_CHOICES = [("5", _("1–5")), ("7", _("1–7"))]


class RatingBlock(FieldBlock):
    scale = blocks.ChoiceBlock(
        label=_("thang điểm"), choices=SCALE_CHOICES, default="5"
    )
    low_label = blocks.CharBlock(
        label=_("nhãn mức thấp nhất"), required=False, default="Rất không đồng ý"
    )
    high_label = blocks.CharBlock(
        label=_("nhãn mức cao nhất"), required=False, default="Rất đồng ý"
    )

    class Meta:
        label = _("Thang đánh giá (Likert)")
        icon = "pick"

    def scale_choices(self, value):
        size = int(value.get("scale") or 5)
        return [(str(n), str(n)) for n in range(1, size + 1)]

    def get_field_class(self, value):
        return forms.TypedChoiceField

    def get_field_kwargs(self, value, context):
        kwargs = super().get_field_kwargs(value, context)
        kwargs["choices"] = self.scale_choices(value)
        kwargs["coerce"] = int
        kwargs["empty_value"] = None
        kwargs["widget"] = LikertRadioSelect(
            low_label=value.get("low_label"), high_label=value.get("high_label")
        )
        return kwargs


class StatementBlock(ChoiceItemBlock):
    class Meta:
        label = _("Nhận định")


class LikertMatrixBlock(RatingBlock):
    """Several statements on one scale; stored as {statement key: score}."""

    statements = blocks.ListBlock(StatementBlock(), label=_("các nhận định"), min_num=1)

    class Meta:
        label = _("Ma trận Likert")
        icon = "table"

    @staticmethod
    def sub_name(value, statement):
        return f"{value['key']}__{statement['key']}"

    def get_form_fields(self, value, context):
        fields = {}
        for statement in value["statements"]:
            kwargs = self.get_field_kwargs(value, context)
            kwargs["label"] = statement["label"]
            kwargs["help_text"] = ""
            fields[self.sub_name(value, statement)] = forms.TypedChoiceField(**kwargs)
        return fields

    def get_answer(self, value, cleaned_data):
        scores = {
            statement["key"]: cleaned_data.get(self.sub_name(value, statement))
            for statement in value["statements"]
        }
        scores = {key: score for key, score in scores.items() if score is not None}
        return scores or None

    def display_answer(self, value, answer):
        if not answer:
            return ""
        labels = {s["key"]: s["label"] for s in value["statements"]}
        return "; ".join(f"{labels.get(k, k)}: {v}" for k, v in answer.items())
