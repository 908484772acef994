"""The reporting calendar (lịch báo cáo, Art. 6.1.2, 6.3, 8.2): who owes which
template for which period, and each obligation's state.

A template with `answer_required` is owed, for every period it was open in, by
the active units of its audience (forms_app.audience: levels × kinds × roles,
plus units named one by one; the Board only when named). An obligation is:

- not due yet: its period has not begun;
- due: begun, not sent, its deadline still ahead;
- sent on time / sent late: the unit's report for that period, by the lateness
  stored with it (forms_app.deadlines);
- missing: not sent and the deadline passed;
- excused: the Board excused the unit from that period (Excusal).

Everything comes from a fixed number of queries, whatever the number of units,
templates or periods: the units once, the reports as one GROUP BY, excusals,
holidays and moved deadlines once each. Scopes (which units a person may see)
are decided by the caller, as sets of unit ids (workflows.oversight).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from django.db import models
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import PageLogEntry

from units.choices import UnitKind
from units.models import Membership, Unit

from . import periods
from .archiving import ARCHIVE_ACTION
from .deadlines import DeadlineBook, accepted_periods
from .models import Excusal, FormSubmission, ReportTemplatePage


class State(models.TextChoices):
    NOT_DUE = "not_due", _("Chưa đến kỳ")
    DUE = "due", _("Chưa nộp, còn hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Trễ hạn")
    MISSING = "missing", _("Chưa nộp")
    EXCUSED = "excused", _("Được miễn")


# Plain values for the hot loops (an enum member is looked up on each use).
NOT_DUE, DUE, ON_TIME, LATE, MISSING, EXCUSED = (
    "not_due",
    "due",
    "on_time",
    "late",
    "missing",
    "excused",
)

# What a cell shows besides its colour, so the grid reads in black and white.
SYMBOLS = {
    State.NOT_DUE: "·",
    State.DUE: "○",
    State.ON_TIME: "✓",
    State.LATE: _("Trễ"),
    State.MISSING: "✗",
    State.EXCUSED: _("Miễn"),
}
# States that count in an on-time rate: what was due and not excused.
COUNTED = (State.ON_TIME, State.LATE, State.MISSING)


@dataclass
class Obligation:
    page: ReportTemplatePage
    unit: Unit
    period: periods.Period
    deadline: dt.datetime | None
    state: str
    submitted_at: dt.datetime | None = None
    submission_id: int | None = None
    excuse: str = ""

    @property
    def state_label(self):
        return State(self.state).label

    # The exports' older names.
    status = property(lambda self: self.state)
    status_label = state_label

    @property
    def symbol(self):
        return str(SYMBOLS[self.state])

    @property
    def period_label(self):
        return periods.period_label(self.page.period_type, self.period)

    @property
    def is_open_for_sending(self):
        return self.state in (State.DUE, State.MISSING)


def count_states(rows):
    counts = dict.fromkeys(State.values, 0)
    for row in rows:
        counts[row.state] += 1
    return counts


def on_time_rate(counts):
    """Share of due obligations met on time, in percent; None when none was due."""
    due = sum(counts[state] for state in COUNTED)
    return round(100 * counts[State.ON_TIME] / due, 1) if due else None


def tally(rows, key):
    """{key(row): state counts}."""
    counts = defaultdict(lambda: dict.fromkeys(State.values, 0))
    for row in rows:
        counts[key(row)][row.state] += 1
    return counts


def candidate_templates(period_type=None, page_ids=None):
    """Templates units must answer (published at least once, reports required)."""
    pages = ReportTemplatePage.objects.filter(
        period_type__in=periods.SCHEDULED_TYPES,
        answer_required=True,
        first_published_at__isnull=False,
    )
    if period_type:
        pages = pages.filter(period_type=period_type)
    if page_ids is not None:
        pages = pages.filter(pk__in=page_ids)
    return list(pages.prefetch_related("audience_units").order_by("title", "pk"))


def withdrawn_times(pages):
    """{page id: when it stopped taking reports, or None while it still does}."""
    gone = [page.pk for page in pages if not page.live or page.archived]
    entries = dict(
        PageLogEntry.objects.filter(
            page_id__in=gone, action__in=["wagtail.unpublish", ARCHIVE_ACTION]
        )
        .values("page_id")
        .annotate(last=Max("timestamp"))
        .values_list("page_id", "last")
    )
    return {
        page.pk: entries.get(page.pk, page.last_published_at)
        if page.pk in gone
        else None
        for page in pages
    }


class ReportingCalendar:
    """Obligations over any templates, units and periods, in bulk.

    `scope`: None for every unit, else the ids of the units to include.
    """

    def __init__(self, scope=None, now=None, unit_filter=None):
        self.scope = None if scope is None else set(scope)
        self.now = now or timezone.now()
        self.today = periods.local_date(self.now)
        # Field look-ups narrowing the units (a grid's level, kind, commune).
        self.unit_filter = unit_filter or {}

    # What is read once

    @cached_property
    def units(self):
        units = Unit.objects.active().select_related("commune")
        if self.scope is not None:
            units = units.filter(pk__in=self.scope)
        units = units.filter(**self.unit_filter)
        return list(units.order_by("level", "commune__name", "name", "pk"))

    @cached_property
    def roles(self):
        """{unit id: roles of its active members}, for role-based audiences."""
        found = defaultdict(set)
        rows = Membership.objects.active().values_list("unit_id", "role")
        if self.scope is not None:
            rows = rows.filter(unit_id__in=self.scope)
        for unit_id, role in rows:
            found[unit_id].add(role)
        return found

    def owing(self, page):
        """The active units (in scope) that must answer `page`."""
        levels = page.audience_levels or []
        kinds = page.audience_kinds or []
        roles = set(page.audience_roles or [])
        named = {unit.pk for unit in page.audience_units.all()}
        owing = []
        for unit in self.units:
            if unit.pk in named:
                owing.append(unit)
            elif not (levels or kinds or roles):
                if not named and unit.kind != UnitKind.BOARD:
                    owing.append(unit)
            elif (
                (not levels or unit.level in levels)
                and (unit.kind in kinds if kinds else unit.kind != UnitKind.BOARD)
                and (not roles or roles & self.roles.get(unit.pk, set()))
            ):
                owing.append(unit)
        return owing

    def was_open(self, page, period, book, withdrawn):
        """Whether `page` took reports for `period` (published before its
        deadline, not withdrawn before it began)."""
        start = periods.at_local(period.start, dt.time.min)
        due = book.deadline(page, period) or periods.at_local(
            period.end + dt.timedelta(days=1), dt.time.min
        )
        if page.first_published_at > due or (page.opens_at and page.opens_at > due):
            return False
        closed = withdrawn
        if page.closes_at and (closed is None or page.closes_at < closed):
            closed = page.closes_at
        return closed is None or closed > start

    # Obligations

    def obligations(self, pages, period_lists, first=True):
        """Every (template, unit, period) owed, with its state.

        `period_lists`: {period type: [Period]}; each template gets the periods
        of its own type. Rows come template by template, period by period, in
        unit order.
        """
        pages = [p for p in pages if period_lists.get(p.period_type)]
        if not pages:
            return []
        book = DeadlineBook(pages)
        withdrawn = withdrawn_times(pages)
        owed = [
            (page, period)
            for page in pages
            for period in period_lists[page.period_type]
            if self.was_open(page, period, book, withdrawn[page.pk])
        ]
        keys = {period.key for _page, period in owed}
        page_ids = {page.pk for page, _period in owed}
        facts = self.facts(page_ids, keys, first=first)
        excused = self.excusals(page_ids, keys)
        rows = []
        for page, period in owed:
            deadline = book.deadline(page, period)
            # What an unsent report is, the same for every unit of the period.
            if period.start > self.today:
                unsent = NOT_DUE
            elif deadline is None or deadline >= self.now:
                unsent = DUE
            else:
                unsent = MISSING
            page_id, key = page.pk, period.key
            for unit in self.owing(page):
                fact = facts.get((page_id, unit.id, key))
                excuse = excused.get((page_id, unit.id, key), "")
                if fact is None:
                    row = Obligation(page, unit, period, deadline, unsent)
                    if excuse:
                        row.state, row.excuse = EXCUSED, excuse
                else:
                    state = ON_TIME if fact[2] else (EXCUSED if excuse else LATE)
                    row = Obligation(
                        page, unit, period, deadline, state, fact[0], fact[1], excuse
                    )
                rows.append(row)
        return rows

    def counts(self, pages, period_lists):
        """{page id: state counts}, as count_states(obligations(...)) would
        give, without building an obligation per unit and period."""
        pages = [p for p in pages if period_lists.get(p.period_type)]
        if not pages:
            return {}
        book = DeadlineBook(pages)
        withdrawn = withdrawn_times(pages)
        owed = [
            (page, period)
            for page in pages
            for period in period_lists[page.period_type]
            if self.was_open(page, period, book, withdrawn[page.pk])
        ]
        keys = {period.key for _page, period in owed}
        page_ids = {page.pk for page, _period in owed}
        excused = self.excusals(page_ids, keys)
        owing = {page.pk: {unit.id for unit in self.owing(page)} for page in pages}
        sent = defaultdict(lambda: [0, 0, 0])  # on time, late, excused unsent
        for page in pages:
            # Units, not reports, per period: a unit that sent twice counts once.
            rows = (
                FormSubmission.objects.filter(
                    page_id=page.pk,
                    period__in=keys,
                    unit_id__in=owing[page.pk],
                    follows__isnull=True,
                )
                .order_by()
                .values_list("period")
                .annotate(
                    units=Count("unit", distinct=True),
                    on_time=Count("unit", distinct=True, filter=Q(is_late=False)),
                )
            )
            for key, units, on_time in rows:
                sent[(page.pk, key)][0] += on_time
                sent[(page.pk, key)][1] += units - on_time
        if excused:
            facts = self.facts(page_ids, keys, first=False)
            for page_id, unit_id, key in excused:
                if unit_id not in owing.get(page_id, ()):
                    continue
                fact = facts.get((page_id, unit_id, key))
                if fact and fact[2]:
                    continue  # sent on time anyway
                if fact:
                    sent[(page_id, key)][1] -= 1  # late, but excused
                sent[(page_id, key)][2] += 1
        found = defaultdict(lambda: dict.fromkeys(State.values, 0))
        for page, period in owed:
            on_time, late, excused_n = sent[(page.pk, period.key)]
            counts = found[page.pk]
            counts[State.ON_TIME] += on_time
            counts[State.LATE] += late
            counts[State.EXCUSED] += excused_n
            rest = len(owing[page.pk]) - on_time - late - excused_n
            deadline = book.deadline(page, period)
            if period.start > self.today:
                counts[State.NOT_DUE] += rest
            elif deadline is None or deadline >= self.now:
                counts[State.DUE] += rest
            else:
                counts[State.MISSING] += rest
        return found

    def facts(self, page_ids, keys, first=True):
        """{(page, unit, period): (first sent, its id, how many on time)}: one
        GROUP BY over the stored facts (follow-ups are not a period's report).
        Tuples, not dicts: a province's year is tens of thousands of groups."""
        reports = FormSubmission.objects.filter(
            page_id__in=page_ids,
            period__in=keys,
            unit__isnull=False,
            follows__isnull=True,
        )
        if self.scope is not None:
            reports = reports.filter(unit_id__in=self.scope)
        if self.unit_filter:
            reports = reports.filter(
                **{f"unit__{name}": value for name, value in self.unit_filter.items()}
            )
        on_time = Count("pk", filter=Q(is_late=False))
        rows = reports.order_by().values_list("page_id", "unit_id", "period")
        if not first:
            # Counting only: no times to convert.
            return {
                (page_id, unit_id, key): (None, None, n)
                for page_id, unit_id, key, n in rows.annotate(n=on_time)
            }
        return {
            (page_id, unit_id, key): (sent, sent_id, n)
            for page_id, unit_id, key, sent, sent_id, n in rows.annotate(
                first=Min("submitted_at"), first_id=Min("pk"), n=on_time
            )
        }

    def excusals(self, page_ids, keys):
        found = Excusal.objects.filter(page_id__in=page_ids, period__in=keys)
        if self.scope is not None:
            found = found.filter(unit_id__in=self.scope)
        return {
            (page_id, unit_id, key): reason
            for page_id, unit_id, key, reason in found.values_list(
                "page_id", "unit_id", "period", "reason"
            )
        }

    # Common questions

    def recent(self, pages, count, moment=None):
        """Obligations of the `count` latest periods (the current one included)."""
        lists = {
            period_type: list(
                reversed(periods.recent_periods(period_type, count, moment or self.now))
            )
            for period_type in {page.period_type for page in pages}
        }
        return self.obligations(pages, lists)

    def open_obligations(self, pages, with_next=False):
        """(obligations, {page id: accepted period keys}) of the periods each
        template takes reports for now (deadlines.accepted_periods), and with
        `with_next` the period after the current one (not due yet)."""
        book = DeadlineBook(pages)
        lists, accepted = defaultdict(dict), {}
        for page in pages:
            found = accepted_periods(page, self.now, book)
            accepted[page.pk] = {period.key for period in found}
            if with_next:
                current = periods.period_for(page.period_type, self.now)
                found = [*found, periods.next_period(page.period_type, current)]
            for period in found:
                lists[page.period_type][period.key] = period
        rows = self.obligations(
            pages,
            {
                period_type: sorted(found.values(), key=lambda p: p.start)
                for period_type, found in lists.items()
            },
        )
        return rows, accepted

    def of_year(self, pages, year):
        lists = {
            period_type: [
                p
                for p in periods.periods_of_year(period_type, year)
                if p.start <= self.today
            ]
            for period_type in {page.period_type for page in pages}
        }
        return self.obligations(pages, lists)
