"""Compliance on screen (Art. 8.2): units × periods of one template, with the
on-time rate of every unit, commune and template. Read by the admin's grid
(compliance_views) and by its Excel export (exports.exporters.compliance_grid).

The person's scope comes first (workflows.oversight): the Board and leadership
viewers see every unit, a commune reviewer the units of their commune. The
figures come from the reporting calendar in a fixed number of queries.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django import forms
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from forms_app import periods
from forms_app.obligations import (
    SYMBOLS,
    ReportingCalendar,
    State,
    candidate_templates,
    count_states,
    on_time_rate,
    tally,
)
from units.choices import Level, UnitKind
from units.models import Commune

from .oversight import compliance_scope

NOT_OWED = _("Không phải nộp")
SENT_AT = _("gửi lúc")
DUE_AT = _("hạn")
# How many periods the grid shows by default, per period type.
DEFAULT_SPAN = {"weekly": 12, "monthly": 12, "quarterly": 8, "yearly": 5}
MAX_SPAN = 60


class GridFilterForm(forms.Form):
    """The grid's filters, as query-string parameters (the export takes the same)."""

    page = forms.TypedChoiceField(label=_("Mẫu báo cáo"), coerce=int, required=False)
    span = forms.IntegerField(
        label=_("Số kỳ gần nhất"), min_value=1, max_value=MAX_SPAN, required=False
    )
    year = forms.IntegerField(
        label=_("Hoặc cả năm"), min_value=2000, max_value=2100, required=False
    )
    level = forms.ChoiceField(
        label=_("Cấp"), choices=[("", _("Mọi cấp")), *Level.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Loại đơn vị"),
        choices=[("", _("Mọi loại")), *UnitKind.choices],
        required=False,
    )
    commune = forms.TypedChoiceField(
        label=_("Xã, phường"), coerce=int, required=False, empty_value=None
    )
    only_missing = forms.BooleanField(
        label=_("Chỉ đơn vị có kỳ chưa nộp"), required=False
    )

    def __init__(self, *args, templates, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["page"].choices = [
            (page.pk, f"{page.title} ({page.get_period_type_display().lower()})")
            for page in templates
        ]
        self.fields["commune"].choices = [("", _("Mọi xã, phường"))] + [
            (commune.pk, commune.name) for commune in communes
        ]


@dataclass
class GridRow:
    unit: object
    cells: list  # Obligation or None, one per period
    counts: dict
    rate: float | None
    labels: dict = field(default_factory=dict)

    def cells_html(self):
        """The row's period cells. Built here, not by a template tag per cell:
        a province's grid is thousands of cells (see benchmarks)."""
        return mark_safe("".join(cell_html(cell, self.labels) for cell in self.cells))


def local_text(moment):
    return timezone.localtime(moment, periods.local_zone()).strftime("%H:%M %d/%m/%Y")


class Labels(dict):
    """Translated labels, computed once per period and state, not per cell."""

    def __missing__(self, key):
        kind, value = key
        if kind == "state":
            label = str(State(value).label)
        elif kind == "symbol":
            label = escape(str(SYMBOLS[value]))
        else:
            label = periods.period_label(value[0], value[1])
        self[key] = label
        return label


def cell_html(cell, labels):
    if cell is None:
        return f'<td class="dlxh-state dlxh-state--none" title="{NOT_OWED}">—</td>'
    state = cell.state
    state_label = labels[("state", state)]
    period = labels[("period", (cell.page.period_type, cell.period))]
    title = [f"{period}: {state_label}"]
    if cell.submitted_at:
        title.append(f"{SENT_AT} {local_text(cell.submitted_at)}")
    if cell.deadline:
        title.append(f"{DUE_AT} {local_text(cell.deadline)}")
    if cell.excuse:
        title.append(cell.excuse)
    return (
        f'<td class="dlxh-state dlxh-state--{state}" data-state="{state}" '
        f'title="{escape(" — ".join(title))}">{labels[("symbol", state)]}'
        f'<span class="dlxh-sr"> {state_label}</span></td>'
    )


@dataclass
class Grid:
    page: object = None
    periods: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    communes: list = field(default_factory=list)  # (commune, counts, rate)
    templates: list = field(default_factory=list)  # (page, counts, rate)
    counts: dict = field(default_factory=dict)
    rate: float | None = None
    legend: list = field(default_factory=list)

    @property
    def count_items(self):
        return [(state.label, self.counts.get(state, 0)) for state in State]

    @property
    def period_labels(self):
        return [
            (
                periods.short_label(self.page.period_type, p),
                periods.period_label(self.page.period_type, p),
            )
            for p in self.periods
        ]


def legend():
    return [(state, str(SYMBOLS[state]), state.label) for state in State]


def grid_scope(user):
    return compliance_scope(user)


def communes_in(scope):
    communes = Commune.objects.order_by("name")
    if scope is not None:
        communes = communes.filter(units__pk__in=scope).distinct()
    return list(communes)


def build_grid(user, params, now=None):
    """(form, Grid) for `user` and the query-string `params`."""
    scope = grid_scope(user)
    templates = candidate_templates()
    communes = communes_in(scope)
    grid = Grid(legend=legend())
    if not templates:
        return GridFilterForm(params, templates=templates, communes=communes), grid
    by_id = {page.pk: page for page in templates}
    chosen = str(params.get("page") or "")
    page = by_id.get(int(chosen)) if chosen.isdigit() else None
    page = page or next(
        (p for p in templates if p.period_type == "weekly"), templates[0]
    )
    # The form shows the template the grid is of, chosen or by default.
    data = params.copy() if hasattr(params, "copy") else dict(params)
    data["page"] = str(page.pk)
    form = GridFilterForm(data, templates=templates, communes=communes)
    cleaned = form.cleaned_data if form.is_valid() else {}
    calendar = ReportingCalendar(scope, now, unit_filter=unit_filter(cleaned))
    span = cleaned.get("span") or DEFAULT_SPAN[page.period_type]
    year = cleaned.get("year")

    def period_list(period_type):
        if year:
            return [
                p
                for p in periods.periods_of_year(period_type, year)
                if p.start <= calendar.today
            ]
        return list(reversed(periods.recent_periods(period_type, span, calendar.now)))

    lists = {t: period_list(t) for t in {p.period_type for p in templates}}
    grid.page = page
    grid.periods = lists[page.period_type]
    # Without the time each report came (its cell says on time or late): a
    # province's grid converts no 9,000 datetimes.
    mine = calendar.obligations([page], {page.period_type: grid.periods}, first=False)
    grid.rows = grid_rows(mine, grid.periods, cleaned.get("only_missing"))
    grid.counts = count_states(mine)
    grid.rate = on_time_rate(grid.counts)
    by_commune = tally(mine, lambda row: row.unit.commune_id)
    names = {row.unit.commune_id: row.unit.commune for row in mine}
    grid.communes = sorted(
        (
            (names[cid], counts, on_time_rate(counts))
            for cid, counts in by_commune.items()
            if cid is not None
        ),
        key=lambda item: item[0].name,
    )
    # Every template over the same span and units, counted without a row each.
    by_template = calendar.counts(templates, lists)
    grid.templates = [
        (p, by_template[p.pk], on_time_rate(by_template[p.pk]))
        for p in templates
        if p.pk in by_template
    ]
    return form, grid


def unit_filter(cleaned):
    found = {}
    if cleaned.get("level"):
        found["level"] = cleaned["level"]
    if cleaned.get("kind"):
        found["kind"] = cleaned["kind"]
    if cleaned.get("commune"):
        found["commune_id"] = cleaned["commune"]
    return found


def grid_rows(obligations, period_list, only_missing=False):
    labels = Labels()
    index = {p.key: i for i, p in enumerate(period_list)}
    cells = defaultdict(lambda: [None] * len(period_list))
    units = {}
    for row in obligations:
        units[row.unit.pk] = row.unit
        cells[row.unit.pk][index[row.period.key]] = row
    found = []
    for unit_id, unit in units.items():
        owed = [c for c in cells[unit_id] if c is not None]
        counts = count_states(owed)
        if only_missing and not counts[State.MISSING]:
            continue
        found.append(
            GridRow(unit, cells[unit_id], counts, on_time_rate(counts), labels)
        )
    return found
