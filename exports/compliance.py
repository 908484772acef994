"""Who owed a report for a period, and whether it came on time (Art. 6.3, 8.2).

A template is owed by the units of its audience when `answer_required` is set;
its deadline comes from the template's own rule (forms_app.periods.deadline_for).
Everything is computed from a few aggregate queries: one per template for the
units that owe it, one for the first submission of each (template, unit).
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.db import models
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import PageLogEntry

from forms_app import periods
from forms_app.access import PROVINCE_READERS, submissions_visible_to
from forms_app.archiving import ARCHIVE_ACTION
from forms_app.models import FormSubmission, ReportTemplatePage
from forms_app.vocabularies import PeriodType
from units.choices import UnitKind
from units.models import Membership, Unit
from units.reviewers import units_reviewed_by

# Types whose reports are owed on a schedule; ad hoc and quick reports are not.
SCHEDULED_TYPES = [
    PeriodType.WEEKLY,
    PeriodType.MONTHLY,
    PeriodType.QUARTERLY,
    PeriodType.YEARLY,
]

_PATTERNS = [
    (PeriodType.WEEKLY, re.compile(r"^(\d{4})-W(\d{2})$")),
    (PeriodType.QUARTERLY, re.compile(r"^(\d{4})-Q([1-4])$")),
    (PeriodType.MONTHLY, re.compile(r"^(\d{4})-(\d{2})$")),
    (PeriodType.YEARLY, re.compile(r"^(\d{4})$")),
]


class Status(models.TextChoices):
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Trễ hạn")
    MISSING = "missing", _("Chưa nộp")
    NOT_DUE = "not_due", _("Chưa đến hạn")


def period_from_key(key):
    """(period type, Period) of a key such as "2026-W48", "2026-11" or "2026"."""
    for period_type, pattern in _PATTERNS:
        match = pattern.match(key)
        if not match:
            continue
        year = int(match.group(1))
        number = int(match.group(2)) if pattern.groups > 1 else 0
        if period_type == PeriodType.WEEKLY:
            try:
                day = dt.date.fromisocalendar(year, number, 1)
            except ValueError as exc:
                raise ValueError(f"Not a period key: {key!r}") from exc
        elif period_type == PeriodType.QUARTERLY:
            day = dt.date(year, 3 * number - 2, 1)
        elif period_type == PeriodType.MONTHLY:
            if not 1 <= number <= 12:
                break
            day = dt.date(year, number, 1)
        else:
            day = dt.date(year, 1, 1)
        return period_type, periods.period_for(period_type, _noon(day))
    raise ValueError(f"Not a period key: {key!r}")


def period_label(period_type, period):
    """Vietnamese name of a period: tuần 48/2026 (23/11 – 29/11/2026), tháng 11/2026…"""
    if period_type == PeriodType.WEEKLY:
        week = int(period.key.rsplit("W", 1)[1])
        return _("tuần %(week)s/%(year)s (%(start)s – %(end)s)") % {
            "week": week,
            "year": period.key[:4],
            "start": period.start.strftime("%d/%m"),
            "end": period.end.strftime("%d/%m/%Y"),
        }
    if period_type == PeriodType.MONTHLY:
        return _("tháng %(month)s/%(year)s") % {
            "month": period.start.month,
            "year": period.start.year,
        }
    if period_type == PeriodType.QUARTERLY:
        return _("quý %(quarter)s/%(year)s") % {
            "quarter": period.key[-1],
            "year": period.start.year,
        }
    if period_type == PeriodType.YEARLY:
        return _("năm %(year)s") % {"year": period.start.year}
    return period.start.strftime("%d/%m/%Y")


def periods_of_year(period_type, year):
    """Every period of `period_type` whose key is of `year`, in order (ISO weeks:
    2026-W01 starts on 29 December 2025)."""
    found = []
    if period_type == PeriodType.WEEKLY:
        day = dt.date.fromisocalendar(year, 1, 1)
    else:
        day = dt.date(year, 1, 1)
    while True:
        period = periods.period_for(period_type, _noon(day))
        if not period.key.startswith(str(year)):
            return found
        found.append(period)
        day = period.end + dt.timedelta(days=1)


def _noon(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def required_templates(period_type, period, withdrawn=None):
    """Templates of `period_type` that units had to answer for `period`.

    A template withdrawn since (unpublished, archived) still counts for the
    periods it was live in, so a yearly report keeps last spring's obligations.
    """
    pages = candidate_templates(period_type)
    withdrawn = withdrawn if withdrawn is not None else withdrawn_times(pages)
    return [page for page in pages if _was_open(page, period, withdrawn[page.pk])]


def candidate_templates(period_type):
    return list(
        ReportTemplatePage.objects.filter(
            period_type=period_type,
            answer_required=True,
            first_published_at__isnull=False,
        )
        .prefetch_related("audience_units")
        .order_by("title", "pk")
    )


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


def _was_open(page, period, withdrawn):
    start = _noon(period.start) - dt.timedelta(hours=12)
    due = page.get_deadline(period) or _noon(period.end) + dt.timedelta(hours=12)
    if page.first_published_at > due or (page.opens_at and page.opens_at > due):
        return False
    closed = withdrawn
    if page.closes_at and (closed is None or page.closes_at < closed):
        closed = page.closes_at
    return closed is None or closed > start


def owing_units(page):
    """The active units that must answer `page` (its audience, see audience.py).

    The Board collects the reports, so it owes none unless named explicitly.
    """
    levels = page.audience_levels or []
    kinds = page.audience_kinds or []
    roles = page.audience_roles or []
    named = [unit.pk for unit in page.audience_units.all()]
    units = Unit.objects.active()
    if not (levels or kinds or roles):
        if named:
            return units.filter(pk__in=named)
        group = units.exclude(kind=UnitKind.BOARD)
    else:
        group = units
        if levels:
            group = group.filter(level__in=levels)
        if kinds:
            group = group.filter(kind__in=kinds)
        else:
            group = group.exclude(kind=UnitKind.BOARD)
        if roles:
            group = group.filter(
                pk__in=Unit.objects.filter(
                    memberships__role__in=roles, memberships__is_active=True
                ).values("pk")
            )
    return units.filter(Q(pk__in=group.values("pk")) | Q(pk__in=named))


def units_in_scope(user):
    """Units whose compliance `user` may see: all for the Board and leadership
    viewers, else their own units and the units they review."""
    if user.is_superuser:
        return None
    memberships = list(Membership.objects.for_user(user))
    if {m.role for m in memberships} & PROVINCE_READERS:
        return None
    own = {m.unit_id for m in memberships}
    return own | set(units_reviewed_by(user).values_list("pk", flat=True))


@dataclass
class Obligation:
    page: ReportTemplatePage
    unit: Unit
    period: periods.Period
    deadline: dt.datetime | None
    submitted_at: dt.datetime | None
    status: str

    @property
    def status_label(self):
        return Status(self.status).label


def status_of(submitted_at, deadline, now):
    if submitted_at is None:
        return Status.NOT_DUE if deadline and now <= deadline else Status.MISSING
    if deadline is None or submitted_at <= deadline:
        return Status.ON_TIME
    return Status.LATE


def first_submissions(user, pages, period_keys):
    """{(page id, unit id, period key): first submitted_at}, through the policy."""
    owed = FormSubmission.objects.filter(
        page__in=[page.pk for page in pages],
        period__in=list(period_keys),
        unit__isnull=False,
    )
    visible = submissions_visible_to(user, owed)
    rows = (
        FormSubmission.objects.filter(pk__in=visible.values("pk"))
        .values("page_id", "unit_id", "period")
        .annotate(first=Min("submitted_at"))
        .order_by()
    )
    return {(r["page_id"], r["unit_id"], r["period"]): r["first"] for r in rows}


class Ledger:
    """Obligations over many periods, sharing the lookups between them.

    A yearly report asks for 52 weeks × every template × every unit; the
    templates, their withdrawal times and their units are read once.
    """

    def __init__(self, user, now=None):
        self.user = user
        self.now = now or timezone.now()
        self.scope = units_in_scope(user)
        self._units = {}

    def units(self, page):
        if page.pk not in self._units:
            units = owing_units(page).select_related("commune")
            if self.scope is not None:
                units = units.filter(pk__in=self.scope)
            self._units[page.pk] = list(
                units.order_by("level", "commune__name", "name")
            )
        return self._units[page.pk]

    def obligations(self, period_type, period_list):
        """Every (template, unit, period) owed, with its status, in report order."""
        pages = candidate_templates(period_type)
        withdrawn = withdrawn_times(pages)
        owed = [
            (period, page)
            for period in period_list
            for page in pages
            if _was_open(page, period, withdrawn[page.pk])
        ]
        firsts = first_submissions(
            self.user, {page for _period, page in owed}, {p.key for p, _ in owed}
        )
        rows = []
        for period, page in owed:
            deadline = page.get_deadline(period)
            for unit in self.units(page):
                submitted_at = firsts.get((page.pk, unit.pk, period.key))
                rows.append(
                    Obligation(
                        page=page,
                        unit=unit,
                        period=period,
                        deadline=deadline,
                        submitted_at=submitted_at,
                        status=status_of(submitted_at, deadline, self.now),
                    )
                )
        return rows


def obligations(user, period_type, period, now=None):
    """Every (template, unit) owed for `period`, with its status, in report order."""
    return Ledger(user, now).obligations(period_type, [period])


def count_statuses(rows):
    counts = {status: 0 for status in Status.values}
    for row in rows:
        counts[row.status] += 1
    return counts


def on_time_rate(counts):
    """Share of due obligations met on time, in percent (None when none was due)."""
    due = counts[Status.ON_TIME] + counts[Status.LATE] + counts[Status.MISSING]
    return round(100 * counts[Status.ON_TIME] / due, 1) if due else None
