"""The weekly and monthly DLXH digest of the Board (Art. 6.1.2): every report
template of the period in one workbook.

- "Tổng hợp": counts by the standard columns beside the previous period's,
  escalations and directions, hot spots, report compliance; native charts.
- "Nộp báo cáo": every unit that owed a report, with its deadline and status.
- "Chi tiết": one row per submission.

Figures come from GROUP BY queries on the indexed columns (exports.aggregates);
only the detail sheet reads rows, streamed in chunks.
"""

import datetime as dt

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms_app import periods
from forms_app.models import FormSubmission, SurveyPage
from forms_app.models.review import HandlingStatus, ReviewStatus, Verification
from forms_app.submitting import reference
from forms_app.vocabularies import Classification
from workflows.models import Direction

from .. import aggregates, compliance
from . import register
from .base import Chart, Column, Exporter, Link, Sheet, error_messages
from .survey import questions_of

SECTIONS = ["summary", "compliance", "detail", "charts", "surveys"]
DIGEST_TYPES = compliance.SCHEDULED_TYPES
CHART_HEIGHT_ROWS = 20
CHART_COLUMNS = ("H", "S")
TOP_IN_CHART = 10


# The headline figures of aggregates.review_figures(), in the order shown.
OVERVIEW = [
    ("total", gettext_lazy("Số báo cáo")),
    ("units", gettext_lazy("Số đơn vị có báo cáo")),
    ("high", gettext_lazy("Tin có mức độ tác động cao, rất cao")),
    ("rising", gettext_lazy("Tin có xu hướng gia tăng, lan rộng")),
    ("escalated", gettext_lazy("Báo cáo lên Ban")),
    ("directions", gettext_lazy("Ý kiến chỉ đạo của Ban")),
    ("directed", gettext_lazy("Báo cáo đã có ý kiến chỉ đạo")),
]


class SummaryBuilder:
    """Rows of the summary sheet, and the bands the charts are drawn over.

    The digest and the annual report (annual.py) compare two periods the same
    way, through the add_* helpers below.
    """

    def __init__(self):
        self.rows = []
        self.bands = {}

    def add(self, section, label, current, previous, *, rate=False):
        change = None
        if current is not None and previous is not None:
            change = round(current - previous, 1) if rate else current - previous
        percent = None
        if change is not None and previous and not rate:
            percent = round(100 * change / previous, 1)
        self.rows.append([str(section), str(label), current, previous, change, percent])

    def band(self, name, add_rows):
        first = len(self.rows)
        add_rows()
        self.bands[name] = (first, len(self.rows))

    def add_overview(self, section, figures, figures_before, skip=()):
        for key, label in OVERVIEW:
            if key not in skip:
                self.add(section, label, figures[key], figures_before[key])

    def add_dimension(self, dimension, current, before):
        """One band per standard column: each value now and before."""

        def add_rows():
            for row in aggregates.compare(dimension, current, before):
                self.add(dimension.title, row.label, row.current, row.previous)

        self.band(dimension.column, add_rows)

    def add_pairs(self, section, pairs_now, pairs_before):
        """(label, count) pairs now, each beside the same label's count before."""
        before_map = dict(pairs_before)
        for label, value in pairs_now:
            self.add(section, label, value, before_map.get(label, 0))


@register
class DigestExporter(Exporter):
    kind = "digest"
    verbose_name = gettext_lazy("Tổng hợp thông tin dư luận xã hội")

    # Parameters

    param_fields = {
        "period": forms.CharField(
            error_messages=error_messages(gettext_lazy("Kỳ tổng hợp không hợp lệ."))
        ),
        # Every section when none is chosen.
        "sections": forms.MultipleChoiceField(
            choices=[(section, section) for section in SECTIONS],
            required=False,
            error_messages=error_messages(
                gettext_lazy("Nội dung tổng hợp không hợp lệ.")
            ),
        ),
        # Submissions classified above it are left out (a schedule's ceiling).
        "max_classification": forms.TypedChoiceField(
            choices=Classification.choices,
            coerce=int,
            empty_value=None,
            required=False,
            error_messages=error_messages(gettext_lazy("Độ mật không hợp lệ.")),
        ),
    }

    def check_params(self, params):
        try:
            period_type, _period = compliance.period_from_key(params["period"])
        except ValueError as exc:
            raise ValidationError(_("Kỳ tổng hợp không hợp lệ.")) from exc
        if period_type not in DIGEST_TYPES:
            raise ValidationError(_("Kỳ tổng hợp không hợp lệ."))
        sections = params.get("sections") or SECTIONS
        if not set(sections) & {"summary", "compliance", "detail"}:
            raise ValidationError(_("Hãy chọn ít nhất một bảng để tổng hợp."))
        params["sections"] = [s for s in SECTIONS if s in sections]
        return params

    @property
    def period_type(self):
        return compliance.period_from_key(self.params["period"])[0]

    @property
    def period(self):
        return compliance.period_from_key(self.params["period"])[1]

    @property
    def previous(self):
        return periods.previous_period(self.period_type, self.period)

    def includes(self, section):
        return section in self.params["sections"]

    # Data

    def _submissions(self, period):
        queryset = aggregates.period_submissions(self.period_type, period)
        if "max_classification" in self.params:
            queryset = queryset.filter(
                classification__lte=self.params["max_classification"]
            )
        return aggregates.visible(self.user, queryset)

    def get_queryset(self):
        return self._submissions(self.period)

    def get_title(self):
        return _("Tổng hợp thông tin dư luận xã hội %(period)s") % {
            "period": compliance.period_label(self.period_type, self.period)
        }

    def get_file_name(self):
        return f"tong-hop-dlxh_{self.params['period']}.xlsx"

    def count(self):
        return self.get_queryset().count() if self.includes("detail") else 0

    def get_classification(self):
        """The summary compares with the previous period: its rows mark too."""
        highest = super().get_classification()
        if self.includes("summary"):
            before = self._submissions(self.previous).order_by()
            highest = max(highest, before.aggregate(m=Max("classification"))["m"] or 0)
        return highest

    # Sheets

    def get_sheets(self):
        ledger = compliance.Ledger(self.user)
        owed = owed_before = None
        if self.includes("summary") or self.includes("compliance"):
            owed = ledger.obligations(self.period_type, [self.period])
        if self.includes("summary"):
            owed_before = ledger.obligations(self.period_type, [self.previous])
            yield self.summary_sheet(owed, owed_before)
        if self.includes("compliance"):
            yield self.compliance_sheet(owed)
        if self.includes("detail"):
            yield self.detail_sheet()
        if self.includes("surveys"):
            yield self.surveys_sheet()

    def period_headers(self):
        return (
            _("Kỳ này (%(key)s)") % {"key": self.period.key},
            _("Kỳ trước (%(key)s)") % {"key": self.previous.key},
        )

    def summary_sheet(self, owed, owed_before):
        current = self.get_queryset()
        before = self._submissions(self.previous)
        figures = aggregates.review_figures(current)
        figures_before = aggregates.review_figures(before)
        counts = compliance.count_statuses(owed)
        counts_before = compliance.count_statuses(owed_before)
        summary = SummaryBuilder()

        overview = _("Tổng quan")
        summary.add_overview(overview, figures, figures_before)
        summary.add(
            overview,
            _("Tỷ lệ nộp báo cáo đúng hạn (%)"),
            compliance.on_time_rate(counts),
            compliance.on_time_rate(counts_before),
            rate=True,
        )

        dims = {d.column: d for d in aggregates.dimensions()}
        for dimension in dims.values():
            summary.add_dimension(dimension, current, before)
        summary.add_pairs(
            _("Báo cáo lên Ban theo lý do"),
            aggregates.escalation_reasons(current),
            aggregates.escalation_reasons(before),
        )
        summary.add_pairs(
            _("Tình trạng xử lý"),
            aggregates.handling_statuses(current),
            aggregates.handling_statuses(before),
        )
        for column, section in [
            ("locality", _("Điểm nóng theo địa bàn")),
            ("sector", _("Điểm nóng theo lĩnh vực")),
        ]:

            def add_hot(column=column, section=section):
                for spot in aggregates.hot_spots(dims[column], current, before):
                    summary.add(section, spot["label"], spot["hot"], spot["previous"])

            summary.band(f"hot_{column}", add_hot)

        def add_compliance():
            for status in compliance.Status:
                summary.add(
                    _("Tình hình nộp báo cáo"),
                    status.label,
                    counts[status],
                    counts_before[status],
                )

        summary.band("compliance", add_compliance)

        now_header, before_header = self.period_headers()
        self.summary_rows = summary.rows
        charts = self.summary_charts(summary.bands) if self.includes("charts") else []
        return Sheet(
            name=_("Tổng hợp"),
            title=self.get_title(),
            columns=[
                Column(_("Chỉ tiêu"), width=30, key="section"),
                Column(_("Nội dung"), width=48, key="label"),
                Column(now_header, width=16, key="current"),
                Column(before_header, width=16, key="previous"),
                Column(_("Tăng (+), giảm (−)"), width=14, key="change"),
                Column(_("Tăng, giảm (%)"), width=12, key="change_percent"),
            ],
            rows=lambda: summary.rows,
            charts=charts,
            classification=figures["classification"],
        )

    def summary_charts(self, bands):
        specs = [
            ("category", "bar", _("Theo nhóm nội dung"), (3, 4)),
            ("impact", "column", _("Theo mức độ tác động"), (3, 4)),
            ("trend", "column", _("Theo xu hướng"), (3, 4)),
            ("source_channel", "pie", _("Theo nguồn thông tin (kỳ này)"), (3,)),
            ("locality", "bar", _("Địa bàn có nhiều tin nhất"), (3, 4)),
            ("sector", "bar", _("Lĩnh vực có nhiều tin nhất"), (3, 4)),
            ("hot_locality", "bar", _("Điểm nóng theo địa bàn"), (3, 4)),
            ("compliance", "pie", _("Tình hình nộp báo cáo (kỳ này)"), (3,)),
        ]
        return charts_or_sentences(self.summary_rows, bands, specs)

    def compliance_sheet(self, owed):
        def rows():
            for row in owed:
                unit = row.unit
                yield [
                    row.page.title,
                    unit.code,
                    unit.name,
                    unit.get_level_display(),
                    unit.commune.name if unit.commune_id else "",
                    row.deadline,
                    row.submitted_at,
                    row.status_label,
                ]

        return Sheet(
            name=_("Nộp báo cáo"),
            title=_("Tình hình nộp báo cáo %(period)s")
            % {"period": compliance.period_label(self.period_type, self.period)},
            columns=[
                Column(_("Mẫu báo cáo"), width=32, key="template"),
                Column(_("Mã đơn vị"), width=16, key="unit_code"),
                Column(_("Đơn vị"), width=42, key="unit"),
                Column(_("Cấp"), width=10, key="level"),
                Column(_("Xã, phường"), width=22, key="commune"),
                Column(_("Hạn nộp"), width=17, key="deadline"),
                Column(_("Thời điểm nộp"), width=17, key="submitted_at"),
                Column(_("Tình trạng"), width=14, key="status"),
            ],
            rows=rows,
        )

    def surveys_sheet(self):
        """Art. 4.2: every questionnaire answered in the period, summarised
        (the full results, by locality, are the survey's own export)."""
        answered = FormSubmission.objects.filter(
            page__in=SurveyPage.objects.values("pk"),
            submitted_at__gte=aggregates.day_start(self.period.start),
            submitted_at__lt=aggregates.day_start(
                self.period.end + dt.timedelta(days=1)
            ),
        )
        if "max_classification" in self.params:
            answered = answered.filter(
                classification__lte=self.params["max_classification"]
            )
        answered = aggregates.visible(self.user, answered)
        counts = dict(
            answered.order_by()
            .values("page_id")
            .annotate(n=Count("pk"))
            .values_list("page_id", "n")
        )
        yes = str(_("Số phiếu trả lời trong kỳ"))
        rows = []
        for page in SurveyPage.objects.filter(pk__in=counts).order_by("title"):
            rows.append([page.title, yes, "", counts[page.pk], None])
            questions = questions_of(page)
            for answers in self.iterate(
                answered.filter(page_id=page.pk).values_list("answers", flat=True)
            ):
                for question in questions:
                    value = (answers or {}).get(question.key)
                    if question.statement:
                        value = (value or {}).get(question.statement)
                    question.add(value, "")
            for question in questions:
                rows.extend(survey_rows(page, question))
        if not rows:
            rows.append(
                [
                    _("Không có phiếu khảo sát nào được trả lời trong kỳ."),
                    "",
                    "",
                    0,
                    None,
                ]
            )
        return Sheet(
            name=_("Khảo sát"),
            title=_("Khảo sát ý kiến trong kỳ %(period)s")
            % {"period": compliance.period_label(self.period_type, self.period)},
            columns=[
                Column(_("Phiếu khảo sát"), width=36, key="survey"),
                Column(_("Câu hỏi"), width=50, key="question"),
                Column(_("Lựa chọn"), width=30, key="choice"),
                Column(_("Số lượt chọn, số phiếu"), width=14, key="count"),
                Column(_("Tỷ lệ (%), điểm trung bình"), width=14, key="share"),
            ],
            rows=lambda: rows,
        )

    def detail_sheet(self):
        labels = {d.column: d for d in aggregates.dimensions()}
        # Labels translated once, not once per row.
        review = labels_of(ReviewStatus)
        handling = labels_of(HandlingStatus)
        verification = labels_of(Verification)
        classification = labels_of(Classification)
        directions = (
            Direction.objects.filter(submission=OuterRef("pk"))
            .order_by()
            .values("submission")
            .annotate(n=Count("pk"))
            .values("n")
        )
        queryset = (
            self.get_queryset()
            .select_related("page", "unit", "unit__commune")
            .annotate(
                direction_count=Coalesce(
                    Subquery(directions, output_field=IntegerField()), Value(0)
                )
            )
            .order_by("submitted_at", "pk")
        )
        url_of = submission_url_maker()
        yes = _("Có")

        def rows():
            for s in self.iterate(queryset):
                unit = s.unit
                yield [
                    Link(url=url_of(s.pk), text=reference(s)),
                    s.page.title,
                    s.period,
                    unit.name if unit else _("Ẩn danh"),
                    unit.commune.name if unit and unit.commune_id else "",
                    labels["locality"].label(s.locality_id) if s.locality_id else "",
                    labels["category"].label(s.category) if s.category else "",
                    labels["sector"].label(s.sector) if s.sector else "",
                    labels["source_channel"].label(s.source_channel)
                    if s.source_channel
                    else "",
                    labels["impact"].label(s.impact) if s.impact else "",
                    labels["trend"].label(s.trend) if s.trend else "",
                    labels["sensitivity"].label(s.sensitivity) if s.sensitivity else "",
                    text(s.answers.get("dlxh_summary")),
                    text(s.answers.get("dlxh_recommendations")),
                    s.submitted_at,
                    review.get(s.review_status, s.review_status),
                    yes if s.escalated else "",
                    handling.get(s.handling_status, s.handling_status),
                    verification.get(s.verification, s.verification),
                    s.direction_count,
                    classification.get(s.classification, ""),
                ]

        return Sheet(
            name=_("Chi tiết"),
            title=_("Danh sách báo cáo %(period)s")
            % {"period": compliance.period_label(self.period_type, self.period)},
            columns=[
                Column(_("Số báo cáo"), width=14, key="reference"),
                Column(_("Mẫu báo cáo"), width=28, key="template"),
                Column(_("Kỳ"), width=10, key="period"),
                Column(_("Đơn vị"), width=36, key="unit"),
                Column(_("Xã, phường của đơn vị"), width=20, key="unit_commune"),
                Column(_("Địa bàn phát sinh"), width=20, key="locality"),
                Column(_("Nhóm nội dung"), width=30, key="category"),
                Column(_("Lĩnh vực"), width=20, key="sector"),
                Column(_("Nguồn thông tin"), width=20, key="source_channel"),
                Column(_("Mức độ tác động"), width=12, key="impact"),
                Column(_("Xu hướng"), width=12, key="trend"),
                Column(_("Tính chất"), width=12, key="sensitivity"),
                Column(_("Tóm tắt nội dung"), width=60, key="summary"),
                Column(_("Kiến nghị, đề xuất"), width=50, key="recommendations"),
                Column(_("Thời điểm gửi"), width=17, key="submitted_at"),
                Column(_("Trạng thái thẩm định"), width=20, key="review_status"),
                Column(_("Báo cáo lên Ban"), width=10, key="escalated"),
                Column(_("Tình trạng xử lý"), width=16, key="handling_status"),
                Column(_("Kiểm chứng"), width=16, key="verification"),
                Column(_("Số ý kiến chỉ đạo"), width=10, key="directions"),
                Column(_("Độ mật"), width=10, key="classification"),
            ],
            rows=rows,
        )


def survey_rows(page, question):
    """A question's rows in the digest: each choice picked, or its mean."""
    if question.kind == "number":
        return [
            [
                page.title,
                question.label,
                _("Trung bình"),
                question.answered,
                question.mean,
            ]
        ]
    rows = []
    for key, label in question.choices:
        count = question.counts.get(key, 0)
        if count:
            share = (
                round(100 * count / question.answered, 1) if question.answered else 0
            )
            rows.append([page.title, question.label, label, count, share])
    if question.kind == "scale" and question.answered:
        rows.append(
            [
                page.title,
                question.label,
                _("Điểm trung bình"),
                question.answered,
                question.mean,
            ]
        )
    return rows


def band_has_data(rows, band, values):
    first, stop = band
    return any(
        isinstance(rows[i][column - 1], int | float) and rows[i][column - 1]
        for i in range(first, stop)
        for column in values
    )


def charts_or_sentences(rows, bands, specs, per_row=2, columns=CHART_COLUMNS):
    """A chart per band with figures; a band of zeros gets a sentence at the
    end of the table instead of an empty chart (an empty pie says nothing)."""
    charts = []
    for band, kind, title, values in specs:
        first, stop = bands[band]
        if not band_has_data(rows, (first, stop), values):
            rows.append(
                [
                    str(_("Biểu đồ")),
                    _("%(title)s: không có số liệu trong kỳ nên không vẽ biểu đồ.")
                    % {"title": title},
                    None,
                    None,
                    None,
                    None,
                ]
            )
            continue
        index = len(charts)
        charts.append(
            Chart(
                type=kind,
                title=str(title),
                categories=2,
                values=values,
                rows=(first, min(stop, first + TOP_IN_CHART)),
                anchor=f"{columns[index % per_row]}"
                f"{3 + (index // per_row) * CHART_HEIGHT_ROWS}",
                width=17,
                height=9,
            )
        )
    return charts


def submission_url_maker():
    """pk → absolute admin URL of a submission; reverse() once, not per row."""
    path = reverse("submissions:edit", args=[0])
    head, _zero, tail = f"{settings.WAGTAILADMIN_BASE_URL}{path}".rpartition("/0/")
    return lambda pk: f"{head}/{pk}/{tail}"


def labels_of(choices):
    return {value: str(label) for value, label in choices.choices}


def text(value):
    if value in (None, ""):
        return ""
    return value if isinstance(value, str) else str(value)
