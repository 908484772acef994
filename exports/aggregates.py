"""Counts of DLXH submissions by the standard columns, for digests and reports.

Every figure is one GROUP BY query on the indexed columns (FormSubmission's
category, sector, locality…), never a loop over rows: a province's month is tens
of thousands of submissions.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms_app.access import submissions_visible_to
from forms_app.models import FormSubmission, ReportTemplatePage, Sector, SurveyPage
from forms_app.models.review import EscalationReason, HandlingStatus
from forms_app.vocabularies import (
    ContentCategory,
    ImpactLevel,
    Sensitivity,
    SourceChannel,
    Trend,
)
from units.models import Commune
from workflows.models import Direction

UNKNOWN = _("(Chưa xác định)")
HIGH_IMPACT = [ImpactLevel.HIGH, ImpactLevel.VERY_HIGH]
RISING = [Trend.RISING, Trend.SPREADING]
HOT = Q(impact__in=HIGH_IMPACT) | Q(trend__in=RISING)


def day_start(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def period_submissions(period_type, period):
    """The report submissions of `period` (callers filter them by the policy).

    Templates of the digest's own type count by their period key; the others
    (weekly reports in a monthly digest, quick and ad hoc reports) by when
    they were sent. Survey answers have their own export.
    """
    same_type = ReportTemplatePage.objects.filter(period_type=period_type)
    sent_in_period = Q(
        submitted_at__gte=day_start(period.start),
        submitted_at__lt=day_start(period.end + dt.timedelta(days=1)),
    )
    # Written as exclusions so that the database reads the time index: a
    # "page IN (other templates)" sends it through every weekly report ever.
    others = (
        sent_in_period
        & ~Q(page__in=same_type.values("pk"))
        & ~Q(page__in=SurveyPage.objects.values("pk"))
    )
    return FormSubmission.objects.filter(
        Q(page__in=same_type.values("pk"), period=period.key) | others
    )


def visible(user, queryset):
    """The rows of `queryset` that `user` may read (forms_app.access).

    As `pk IN (policy ∩ queryset)`: the subquery starts from the period's
    indexes instead of scanning every submission the user may read (20 times
    faster on a year of reports), and the aggregates group plain rows.
    """
    allowed = submissions_visible_to(user, queryset)
    return FormSubmission.objects.filter(pk__in=allowed.values("pk"))


def count_by(queryset, column):
    """{value: count} of `column` ("" for blank)."""
    rows = queryset.order_by().values(column).annotate(n=Count("pk"))
    return {(row[column] or ""): row["n"] for row in rows}


@dataclass
class Dimension:
    """How one column is named and labelled in a report."""

    column: str
    title: str
    labels: dict = field(default_factory=dict)
    # Fixed vocabularies keep their order; open lists sort by count.
    ordered: bool = True

    def __post_init__(self):
        # Translated once: the detail sheet asks for a label per cell.
        self.labels = {key: str(label) for key, label in self.labels.items()}

    def label(self, value):
        if not value:
            return str(UNKNOWN)
        return self.labels.get(value, str(value))


def dimensions():
    sectors = dict(Sector.objects.values_list("key", "name"))
    communes = dict(Commune.objects.values_list("code", "name"))
    return [
        Dimension("category", _("Nhóm nội dung"), dict(ContentCategory.choices)),
        Dimension("sector", _("Lĩnh vực"), sectors, ordered=False),
        Dimension("locality", _("Địa bàn"), communes, ordered=False),
        Dimension("source_channel", _("Nguồn thông tin"), dict(SourceChannel.choices)),
        Dimension("impact", _("Mức độ tác động"), dict(ImpactLevel.choices)),
        Dimension("trend", _("Xu hướng"), dict(Trend.choices)),
        Dimension("sensitivity", _("Tính chất"), dict(Sensitivity.choices)),
    ]


@dataclass
class Comparison:
    label: str
    current: int
    previous: int

    @property
    def change(self):
        return self.current - self.previous

    @property
    def change_percent(self):
        if not self.previous:
            return None
        return round(100 * self.change / self.previous, 1)


def compare(dimension, current_qs, previous_qs):
    """Rows of (label, this period, previous period) for one dimension."""
    column = "locality_id" if dimension.column == "locality" else dimension.column
    current = count_by(current_qs, column)
    previous = count_by(previous_qs, column)
    if dimension.ordered:
        values = list(dimension.labels)
        values += sorted((set(current) | set(previous)) - set(values))
    else:
        values = sorted(
            set(current) | set(previous),
            key=lambda v: (-current.get(v, 0), -previous.get(v, 0), str(v)),
        )
    return [
        Comparison(dimension.label(v), current.get(v, 0), previous.get(v, 0))
        for v in values
    ]


def review_figures(queryset):
    """Escalations and directions of the submissions in `queryset`."""
    totals = queryset.order_by().aggregate(
        total=Count("pk"),
        units=Count("unit", distinct=True),
        escalated=Count("pk", filter=Q(escalated=True)),
        hot=Count("pk", filter=HOT),
        high=Count("pk", filter=Q(impact__in=HIGH_IMPACT)),
        rising=Count("pk", filter=Q(trend__in=RISING)),
        classification=Max("classification"),
    )
    directions = Direction.objects.filter(submission__in=queryset.values("pk"))
    totals["directions"] = directions.count()
    totals["directed"] = directions.values("submission").distinct().count()
    totals["classification"] = totals["classification"] or 0
    return totals


def escalation_reasons(queryset):
    counts = count_by(queryset.filter(escalated=True), "escalation_reason")
    return [
        (str(label), counts.get(value, 0)) for value, label in EscalationReason.choices
    ]


def handling_statuses(queryset):
    counts = count_by(queryset, "handling_status")
    return [
        (str(label), counts.get(value, 0)) for value, label in HandlingStatus.choices
    ]


def hot_spots(dimension, current_qs, previous_qs, limit=10):
    """Localities or sectors with the most high-impact or rising items."""
    column = "locality_id" if dimension.column == "locality" else dimension.column
    rows = (
        current_qs.filter(HOT)
        .exclude(**{f"{column}__isnull": True})
        .exclude(**{column: ""})
        .order_by()
        .values(column)
        .annotate(
            hot=Count("pk"),
            high=Count("pk", filter=Q(impact__in=HIGH_IMPACT)),
            rising=Count("pk", filter=Q(trend__in=RISING)),
        )
        .order_by("-hot", column)[:limit]
    )
    rows = list(rows)
    before = count_by(
        previous_qs.filter(HOT).filter(**{f"{column}__in": [r[column] for r in rows]}),
        column,
    )
    return [
        {
            "label": dimension.label(row[column]),
            "hot": row["hot"],
            "high": row["high"],
            "rising": row["rising"],
            "previous": before.get(row[column], 0),
        }
        for row in rows
    ]
