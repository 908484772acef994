"""The standard DLXH blocks (Art. 5, 6.3) that staff drop into any template.

Their keys are fixed (`dlxh_*`), so digests aggregate across every template;
staff may reword the label and help text, never the key or the vocabulary.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .blocks import FieldBlock, LocalityBlock, to_json
from .choice_blocks import FixedChoicesMixin
from .vocabularies import (
    ContentCategory,
    ImpactLevel,
    Sensitivity,
    SourceChannel,
    Trend,
)


def _label(default):
    return blocks.CharBlock(label=_("nhãn câu hỏi"), default=default)


class StandardBlock(FieldBlock):
    """A standard block: the key is fixed by the class, required by default."""

    standard_key = None
    required = blocks.BooleanBlock(label=_("bắt buộc"), required=False, default=True)


class VocabularyBlock(FixedChoicesMixin, StandardBlock):
    vocabulary = None

    def get_choices(self, value, context):
        return list(self.vocabulary.choices)


class ContentCategoryBlock(VocabularyBlock):
    standard_key = "dlxh_category"
    vocabulary = ContentCategory
    label = _label("Nhóm nội dung dư luận")

    class Meta:
        label = _("DLXH: Nhóm nội dung")
        icon = "folder-open-inverse"


class SourceChannelBlock(VocabularyBlock):
    standard_key = "dlxh_source_channel"
    vocabulary = SourceChannel
    label = _label("Nguồn thông tin")

    class Meta:
        label = _("DLXH: Nguồn thông tin")
        icon = "link"


class ImpactBlock(VocabularyBlock):
    standard_key = "dlxh_impact"
    vocabulary = ImpactLevel
    label = _label("Mức độ tác động")

    class Meta:
        label = _("DLXH: Mức độ tác động")
        icon = "warning"


class TrendBlock(VocabularyBlock):
    standard_key = "dlxh_trend"
    vocabulary = Trend
    label = _label("Xu hướng")

    class Meta:
        label = _("DLXH: Xu hướng")
        icon = "arrow-up"


class SensitivityBlock(VocabularyBlock):
    standard_key = "dlxh_sensitivity"
    vocabulary = Sensitivity
    label = _label("Tính chất (phức tạp, nhạy cảm)")

    class Meta:
        label = _("DLXH: Tính chất phức tạp, nhạy cảm")
        icon = "warning"


class SectorBlock(VocabularyBlock):
    """Sectors are a list the Board edits in the admin (Sector snippets)."""

    standard_key = "dlxh_sector"
    label = _label("Lĩnh vực")

    class Meta:
        label = _("DLXH: Lĩnh vực")
        icon = "tag"

    def get_choices(self, value, context):
        if context is not None:
            return context.sector_choices
        # forms_app.models imports this module (the pages' blocks): a real cycle.
        from .models import Sector  # noqa: PLC0415

        return list(Sector.objects.values_list("key", "name"))

    def get_field_kwargs(self, value, context):
        kwargs = super().get_field_kwargs(value, context)
        kwargs["choices"] = [("", _("— Chọn lĩnh vực —")), *kwargs["choices"]]
        kwargs["widget"] = forms.Select
        return kwargs


class StandardLocalityBlock(StandardBlock, LocalityBlock):
    standard_key = "dlxh_locality"
    label = _label("Địa bàn phát sinh")

    class Meta:
        label = _("DLXH: Địa bàn")
        icon = "site"


class StandardTextBlock(StandardBlock):
    def get_field_kwargs(self, value, context):
        kwargs = super().get_field_kwargs(value, context)
        kwargs["max_length"] = 20000
        kwargs["widget"] = forms.Textarea(attrs={"rows": 6})
        return kwargs

    def get_answer(self, value, cleaned_data):
        return to_json(cleaned_data.get(value["key"]))


class SummaryBlock(StandardTextBlock):
    standard_key = "dlxh_summary"
    label = _label("Tóm tắt nội dung dư luận")

    class Meta:
        label = _("DLXH: Tóm tắt dư luận")
        icon = "doc-full"


class RecommendationsBlock(StandardTextBlock):
    standard_key = "dlxh_recommendations"
    label = _label("Kiến nghị, đề xuất")

    class Meta:
        label = _("DLXH: Kiến nghị, đề xuất")
        icon = "doc-full-inverse"


STANDARD_KEYS = [
    "dlxh_category",
    "dlxh_sector",
    "dlxh_locality",
    "dlxh_source_channel",
    "dlxh_summary",
    "dlxh_impact",
    "dlxh_trend",
    "dlxh_sensitivity",
    "dlxh_recommendations",
]

# Art. 6.3: every report states its impact, trend and recommendations.
REPORT_REQUIRED_KEYS = ["dlxh_impact", "dlxh_trend", "dlxh_recommendations"]
