"""Reporting periods (Art. 6.1.2): their keys, names, bounds and deadline rule.

Every date here is a date of the province, Asia/Ho_Chi_Minh (settings.TIME_ZONE),
whatever time zone a user chose for the admin: a report sent at 23:30 UTC on a
Thursday was sent on Friday, and a deadline of "16:00 Friday" is 16:00 there.
"""

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .vocabularies import PeriodType

# Types whose reports are owed on a schedule; ad hoc and quick reports are not
# for any period (Art. 6.3: "báo cáo nhanh khi có vấn đề").
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


@dataclass(frozen=True)
class Period:
    key: str  # "2026-W48", "2026-11", "2026-Q4", "2026"
    start: dt.date
    end: dt.date  # inclusive


def is_scheduled(period_type):
    return period_type in SCHEDULED_TYPES


def local_zone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_date(moment=None):
    """The province's date at `moment` (now by default)."""
    return timezone.localtime(moment or timezone.now(), local_zone()).date()


def at_local(day, time):
    """`time` of `day` in the province, as an aware datetime."""
    return dt.datetime.combine(day, time, tzinfo=local_zone())


def noon(day):
    return at_local(day, dt.time(12))


def period_for(period_type, moment=None):
    """The period of `period_type` containing `moment`; None for unscheduled types."""
    day = local_date(moment)
    return period_of_day(period_type, day)


def period_of_day(period_type, day):
    if period_type == PeriodType.WEEKLY:
        year, week, weekday = day.isocalendar()
        start = day - dt.timedelta(days=weekday - 1)
        return Period(f"{year}-W{week:02d}", start, start + dt.timedelta(days=6))
    if period_type == PeriodType.MONTHLY:
        start = day.replace(day=1)
        return Period(f"{day:%Y-%m}", start, _month_end(start))
    if period_type == PeriodType.QUARTERLY:
        quarter = (day.month - 1) // 3 + 1
        start = dt.date(day.year, 3 * quarter - 2, 1)
        end = _month_end(dt.date(day.year, 3 * quarter, 1))
        return Period(f"{day.year}-Q{quarter}", start, end)
    if period_type == PeriodType.YEARLY:
        return Period(str(day.year), dt.date(day.year, 1, 1), dt.date(day.year, 12, 31))
    return None


def previous_period(period_type, period):
    return period_of_day(period_type, period.start - dt.timedelta(days=1))


def next_period(period_type, period):
    return period_of_day(period_type, period.end + dt.timedelta(days=1))


def recent_periods(period_type, count, moment=None):
    """The current period and the `count - 1` before it, newest first."""
    period = period_for(period_type, moment)
    found = []
    while period is not None and len(found) < count:
        found.append(period)
        period = previous_period(period_type, period)
    return found


def _month_end(first_day):
    next_month = (first_day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return next_month - dt.timedelta(days=1)


def period_from_key(key):
    """(period type, Period) of a key such as "2026-W48", "2026-11" or "2026".

    ValueError for anything else: keys come from forms and query strings.
    """
    for period_type, pattern in _PATTERNS:
        match = pattern.match(str(key or ""))
        if not match:
            continue
        year = int(match.group(1))
        number = int(match.group(2)) if pattern.groups > 1 else 0
        try:
            if period_type == PeriodType.WEEKLY:
                day = dt.date.fromisocalendar(year, number, 1)
            elif period_type == PeriodType.QUARTERLY:
                day = dt.date(year, 3 * number - 2, 1)
            elif period_type == PeriodType.MONTHLY:
                day = dt.date(year, number, 1)
            else:
                day = dt.date(year, 1, 1)
        except ValueError as exc:
            raise ValueError(f"Not a period key: {key!r}") from exc
        return period_type, period_of_day(period_type, day)
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


def label_of_key(key):
    """The Vietnamese name of a stored period key; "" for a report of no period."""
    if not key:
        return ""
    try:
        period_type, period = period_from_key(key)
    except ValueError:
        return str(key)
    return period_label(period_type, period)


def short_label(period_type, period):
    """A column heading: T48, 11/2026, Q4/2026, 2026."""
    if period_type == PeriodType.WEEKLY:
        return _("T%(week)s/%(year)s") % {
            "week": int(period.key.rsplit("W", 1)[1]),
            "year": period.key[2:4],
        }
    if period_type == PeriodType.MONTHLY:
        return f"{period.start.month:02d}/{period.start.year}"
    if period_type == PeriodType.QUARTERLY:
        return f"Q{period.key[-1]}/{period.start.year}"
    return period.key


def periods_of_year(period_type, year):
    """Every period of `period_type` whose key is of `year`, in order (ISO weeks:
    2026-W01 starts on 29 December 2025)."""
    found = []
    if period_type == PeriodType.WEEKLY:
        day = dt.date.fromisocalendar(year, 1, 1)
    else:
        day = dt.date(year, 1, 1)
    while True:
        period = period_of_day(period_type, day)
        if not period.key.startswith(str(year)):
            return found
        found.append(period)
        day = period.end + dt.timedelta(days=1)


def deadline_for(period_type, period, *, weekday=4, day_of_month=25, at=dt.time(16)):
    """When reports of `period` are due by the template's rule, before holidays
    and moved deadlines (forms_app.deadlines).

    Weekly: the given weekday (0 = Monday) of the period's week; monthly,
    quarterly and yearly: the given day of the period's last month (capped at
    the month's end). Ad hoc and quick reports have no deadline.
    """
    if period_type == PeriodType.WEEKLY:
        day = period.start + dt.timedelta(days=weekday)
    elif period_type in (PeriodType.MONTHLY, PeriodType.QUARTERLY, PeriodType.YEARLY):
        last_month = period.end.replace(day=1)
        day = last_month.replace(day=min(day_of_month, period.end.day))
    else:
        return None
    return at_local(day, at)
