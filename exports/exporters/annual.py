"""The yearly report on how the regulation is carried out (Art. 8.2).

- "Tổng hợp năm": the year's figures beside the previous year's, with charts;
- "Theo tháng": reports, categories, impact levels, escalations, directions and
  the on-time rate month by month;
- "Đúng hạn theo đơn vị" / "Đúng hạn theo kỳ": the on-time rate of every unit
  over the year, and of every template's period;
- "Đơn vị theo kỳ": which unit met which period's deadline.
"""

import datetime as dt
from collections import Counter, defaultdict

from django import forms
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms_app.models import FormSubmission, ReportTemplatePage
from forms_app.vocabularies import ContentCategory, ImpactLevel
from units.models import Unit
from workflows.models import Direction

from .. import aggregates, compliance
from . import register
from .base import Chart, Column, Exporter, Sheet, error_messages
from .digest import SummaryBuilder, charts_or_sentences

Status = compliance.Status
SHORT_STATUS = compliance.SYMBOLS


def year_submissions(year):
    """Every report sent during `year` (surveys have their own export)."""
    return FormSubmission.objects.filter(
        page__in=ReportTemplatePage.objects.values("pk"),
        submitted_at__gte=aggregates.day_start(dt.date(year, 1, 1)),
        submitted_at__lt=aggregates.day_start(dt.date(year + 1, 1, 1)),
    )


tally = compliance.tally


@register
class AnnualReportExporter(Exporter):
    kind = "annual_report"
    verbose_name = gettext_lazy("Báo cáo tình hình thực hiện Quy chế")

    def get_param_fields(self):
        # A year of the platform's records, up to this one.
        return {
            "year": forms.IntegerField(
                min_value=2000,
                max_value=timezone.localdate().year,
                error_messages=error_messages(_("Năm báo cáo không hợp lệ.")),
            )
        }

    @property
    def year(self):
        return self.params["year"]

    def get_queryset(self):
        return aggregates.visible(self.user, year_submissions(self.year))

    def get_title(self):
        return _(
            "Báo cáo tình hình thực hiện Quy chế phối hợp thông tin DLXH năm %(y)s"
        ) % {"y": self.year}

    def get_file_name(self):
        return f"bao-cao-thuc-hien-quy-che_{self.year}.xlsx"

    def count(self):
        # Rows of the unit sheets and a few hundred more, whatever the volume.
        return 2 * Unit.objects.active().count() + 200

    # Obligations of the year

    def obligations(self):
        ledger = compliance.Ledger(self.user)
        return ledger.calendar.of_year(compliance.candidate_templates(), self.year)

    def get_sheets(self):
        owed = self.obligations()
        yield self.summary_sheet(owed)
        yield self.monthly_sheet(owed)
        yield self.units_sheet(owed)
        yield self.periods_sheet(owed)
        yield self.matrix_sheet(owed)

    def summary_sheet(self, owed):
        current = self.get_queryset()
        before = aggregates.visible(self.user, year_submissions(self.year - 1))
        figures = aggregates.review_figures(current)
        figures_before = aggregates.review_figures(before)
        counts = compliance.count_statuses(owed)
        summary = SummaryBuilder()
        summary.add_overview(_("Tổng quan"), figures, figures_before, skip=("rising",))
        dims = {d.column: d for d in aggregates.dimensions()}
        for column in ("category", "impact", "sector"):
            summary.add_dimension(dims[column], current, before)
        summary.add_pairs(
            _("Báo cáo lên Ban theo lý do"),
            aggregates.escalation_reasons(current),
            aggregates.escalation_reasons(before),
        )

        def add_compliance():
            section = _("Chế độ báo cáo định kỳ (Điều 6.3)")
            for status in Status:
                summary.add(section, status.label, counts[status], None)

        summary.band("compliance", add_compliance)
        summary.add(
            _("Chế độ báo cáo định kỳ (Điều 6.3)"),
            _("Tỷ lệ nộp báo cáo đúng hạn (%)"),
            compliance.on_time_rate(counts),
            None,
            rate=True,
        )
        charts = charts_or_sentences(
            summary.rows,
            summary.bands,
            [
                ("category", "bar", _("Theo nhóm nội dung"), (3, 4)),
                ("impact", "column", _("Theo mức độ tác động"), (3, 4)),
                ("compliance", "pie", _("Nộp báo cáo định kỳ"), (3,)),
                ("sector", "bar", _("Lĩnh vực có nhiều tin nhất"), (3, 4)),
            ],
        )
        return Sheet(
            name=_("Tổng hợp năm"),
            title=self.get_title(),
            columns=[
                Column(_("Chỉ tiêu"), width=34, key="section"),
                Column(_("Nội dung"), width=48, key="label"),
                Column(_("Năm %(y)s") % {"y": self.year}, width=14, key="current"),
                Column(_("Năm %(y)s") % {"y": self.year - 1}, width=14, key="previous"),
                Column(_("Tăng (+), giảm (−)"), width=14, key="change"),
                Column(_("Tăng, giảm (%)"), width=12, key="change_percent"),
            ],
            rows=lambda: summary.rows,
            charts=charts,
            classification=max(
                figures["classification"], figures_before["classification"]
            ),
        )

    def monthly_sheet(self, owed):
        queryset = self.get_queryset()
        by_month = defaultdict(Counter)
        # One GROUP BY over month × category × impact × escalated (a few hundred
        # groups), summed here: truncating dates is a per-row function call on
        # SQLite, so the year's rows are read once, not once per figure.
        groups = (
            queryset.order_by()
            .annotate(month=TruncMonth("submitted_at"))
            .values("month", "category", "impact", "escalated")
            .annotate(n=Count("pk"))
        )
        for row in groups:
            counts = by_month[row["month"].month]
            counts["total"] += row["n"]
            counts[("category", row["category"])] += row["n"]
            counts[("impact", row["impact"])] += row["n"]
            counts["escalated"] += row["n"] if row["escalated"] else 0
        directions = (
            Direction.objects.filter(submission__in=queryset.values("pk"))
            .annotate(month=TruncMonth("created_at"))
            .values("month")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in directions:
            if row["month"].year == self.year:
                by_month[row["month"].month]["directions"] += row["n"]
        rates = tally(owed, lambda r: (r.deadline or _noon(r.period.end)).month)
        categories, impacts = ContentCategory.choices, ImpactLevel.choices

        def rows():
            for month in range(1, 13):
                counts = by_month[month]
                yield [
                    _("Tháng %(m)s") % {"m": month},
                    counts["total"],
                    *[counts[("category", key)] for key, _label in categories],
                    *[counts[("impact", key)] for key, _label in impacts],
                    counts["escalated"],
                    counts["directions"],
                    compliance.on_time_rate(rates[month]) if month in rates else None,
                ]

        return Sheet(
            name=_("Theo tháng"),
            title=_("Diễn biến theo tháng năm %(y)s") % {"y": self.year},
            columns=[
                Column(_("Tháng"), width=10, key="month"),
                Column(_("Số báo cáo"), width=12, key="total"),
                *[
                    Column(str(label), width=18, key=f"category_{key}")
                    for key, label in categories
                ],
                *[
                    Column(_("Tác động: %(l)s") % {"l": label}, width=12, key=key)
                    for key, label in impacts
                ],
                Column(_("Báo cáo lên Ban"), width=12, key="escalated"),
                Column(_("Ý kiến chỉ đạo"), width=12, key="directions"),
                Column(_("Tỷ lệ đúng hạn (%)"), width=12, key="on_time_rate"),
            ],
            rows=rows,
            charts=[
                Chart(
                    type="column",
                    title=_("Số báo cáo theo tháng"),
                    categories=1,
                    values=(2,),
                    anchor="A17",
                ),
                Chart(
                    type="line",
                    title=_("Tỷ lệ nộp đúng hạn theo tháng (%)"),
                    categories=1,
                    values=(2 + len(categories) + len(impacts) + 3,),
                    anchor="H17",
                ),
            ],
        )

    def units_sheet(self, owed):
        counts = tally(owed, lambda r: r.unit.pk)
        units = {row.unit.pk: row.unit for row in owed}
        ordered = sorted(
            units.values(),
            key=lambda u: (u.level, u.commune.name if u.commune_id else "", u.name),
        )

        def rows():
            for unit in ordered:
                c = counts[unit.pk]
                yield [
                    unit.code,
                    unit.name,
                    unit.get_level_display(),
                    unit.commune.name if unit.commune_id else "",
                    *status_cells(c),
                ]

        return Sheet(
            name=_("Đúng hạn theo đơn vị"),
            title=_("Tỷ lệ nộp báo cáo đúng hạn của các đơn vị năm %(y)s")
            % {"y": self.year},
            columns=[
                Column(_("Mã đơn vị"), width=16, key="unit_code"),
                Column(_("Đơn vị"), width=42, key="unit"),
                Column(_("Cấp"), width=10, key="level"),
                Column(_("Xã, phường"), width=22, key="commune"),
                *status_columns(),
            ],
            rows=rows,
        )

    def periods_sheet(self, owed):
        counts = tally(owed, lambda r: (r.page.pk, r.period.key))
        seen = {}
        for row in owed:
            seen.setdefault((row.page.pk, row.period.key), row)

        def rows():
            for key, row in seen.items():
                c = counts[key]
                yield [
                    row.page.title,
                    row.period.key,
                    row.deadline,
                    *status_cells(c),
                ]

        return Sheet(
            name=_("Đúng hạn theo kỳ"),
            title=_("Tỷ lệ nộp báo cáo đúng hạn theo kỳ năm %(y)s") % {"y": self.year},
            columns=[
                Column(_("Mẫu báo cáo"), width=32, key="template"),
                Column(_("Kỳ"), width=10, key="period"),
                Column(_("Hạn nộp"), width=17, key="deadline"),
                *status_columns(),
            ],
            rows=rows,
        )

    def matrix_sheet(self, owed):
        """Units down, periods across: ✓ on time, Trễ late, ✗ missing."""
        keys = sorted(
            {(row.period.start, row.period.key) for row in owed},
            key=lambda k: (_type_order(k[1]), k[0]),
        )
        cells = defaultdict(list)
        units = {}
        for row in owed:
            cells[(row.unit.pk, row.period.key)].append(row.status)
            units[row.unit.pk] = row.unit
        ordered = sorted(
            units.values(),
            key=lambda u: (u.level, u.commune.name if u.commune_id else "", u.name),
        )

        def rows():
            for unit in ordered:
                yield [
                    unit.code,
                    unit.name,
                    *[cell(cells.get((unit.pk, key))) for _start, key in keys],
                ]

        return Sheet(
            name=_("Đơn vị theo kỳ"),
            title=_(
                "✓ đúng hạn · Trễ: nộp trễ hạn · ✗ chưa nộp · Miễn: được miễn · "
                "○ chưa nộp, còn hạn"
            ),
            columns=[
                Column(_("Mã đơn vị"), width=16, key="unit_code"),
                Column(_("Đơn vị"), width=42, key="unit"),
                *[Column(key, width=9, key=key) for _start, key in keys],
            ],
            rows=rows,
        )


def status_cells(counts):
    """The values under status_columns() for one unit's or period's counts."""
    return [
        sum(counts[s] for s in compliance.COUNTED),
        counts[Status.ON_TIME],
        counts[Status.LATE],
        counts[Status.MISSING],
        counts[Status.EXCUSED],
        counts[Status.DUE],
        compliance.on_time_rate(counts),
    ]


def status_columns():
    return [
        Column(_("Số lượt phải nộp"), width=12, key="owed"),
        Column(_("Đúng hạn"), width=10, key="on_time"),
        Column(_("Trễ hạn"), width=10, key="late"),
        Column(_("Chưa nộp"), width=10, key="missing"),
        Column(_("Được miễn"), width=10, key="excused"),
        Column(_("Chưa nộp, còn hạn"), width=10, key="due"),
        Column(_("Tỷ lệ đúng hạn (%)"), width=12, key="on_time_rate"),
    ]


def cell(statuses):
    """One period of one unit: its status, or "2/3" with several templates."""
    if not statuses:
        return ""
    if len(statuses) == 1:
        return str(SHORT_STATUS[statuses[0]])
    on_time = sum(1 for s in statuses if s == Status.ON_TIME)
    return f"{on_time}/{len(statuses)}"


def _type_order(key):
    period_type, _period = compliance.period_from_key(key)
    return compliance.SCHEDULED_TYPES.index(period_type)


def _noon(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
