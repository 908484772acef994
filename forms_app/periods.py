"""Reporting periods (Art. 6.1.2): which period a moment falls in, and its deadline."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from .vocabularies import PeriodType


@dataclass(frozen=True)
class Period:
    key: str  # "2026-W48", "2026-11", "2026-Q4", "2026", or a date for ad hoc
    start: dt.date
    end: dt.date  # inclusive


def period_for(period_type, moment=None):
    """The period of `period_type` that contains `moment` (local time)."""
    day = timezone.localdate(moment) if moment else timezone.localdate()
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
    # Ad hoc and quick reports: the day itself.
    return Period(day.isoformat(), day, day)


def previous_period(period_type, period):
    return period_for(
        period_type,
        timezone.make_aware(
            dt.datetime.combine(period.start - dt.timedelta(days=1), dt.time(12))
        ),
    )


def _month_end(first_day):
    next_month = (first_day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return next_month - dt.timedelta(days=1)


def deadline_for(period_type, period, *, weekday=4, day_of_month=25, at=dt.time(16)):
    """When reports of `period` are due, by the template's deadline rule.

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
    return timezone.make_aware(dt.datetime.combine(day, at))
