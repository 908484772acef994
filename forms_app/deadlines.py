"""When a period's reports are due, and which periods a template still accepts.

A deadline is the template's rule (periods.deadline_for), unless the Board moved
that period's deadline (DeadlineOverride); a rule deadline that falls on a
holiday moves to the next working day (Monday to Friday, not a holiday), as a
time limit ending on a day off does under the Civil Code (Art. 148). A moved
deadline is the Board's explicit choice and is kept as it is.

A submission stores its period's deadline and whether it came after it; when
the Board changes a holiday or moves a deadline, the stored facts of the
periods concerned are recomputed (restamp), so the calendar, digests and the
annual report never disagree with the receipt.
"""

import datetime as dt

from django.db.models import Case, Value, When
from django.utils import timezone

from . import periods
from .audience import units_for

# How far back a period can still be open because the Board moved its deadline.
MAX_MOVED_BACK = 60


class DeadlineBook:
    """Deadlines of many (template, period) pairs from two queries, not two each."""

    def __init__(self, pages=None):
        # The page models import forms_app.submitting, which imports this.
        from .models import DeadlineOverride, Holiday  # noqa: PLC0415

        self._days_off = set()
        for start, end in Holiday.objects.values_list("start_date", "end_date"):
            day = start
            while day <= end:
                self._days_off.add(day)
                day += dt.timedelta(days=1)
        overrides = DeadlineOverride.objects.all()
        if pages is not None:
            overrides = overrides.filter(page_id__in=[page.pk for page in pages])
        self._moved = {
            (page_id, key): deadline
            for page_id, key, deadline in overrides.values_list(
                "page_id", "period", "deadline"
            )
        }

    def is_day_off(self, day):
        return day in self._days_off

    def is_working_day(self, day):
        return day.weekday() < 5 and day not in self._days_off

    def moved(self, page, period):
        return self._moved.get((page.pk, period.key))

    def moved_periods(self, page):
        """Keys of `page`'s periods whose deadline the Board moved."""
        return [key for page_id, key in self._moved if page_id == page.pk]

    def rule_deadline(self, page, period):
        return periods.deadline_for(
            page.period_type,
            period,
            weekday=page.deadline_weekday,
            day_of_month=page.deadline_day,
            at=page.deadline_time,
        )

    def deadline(self, page, period):
        """`page`'s `period`'s deadline (aware), None for unscheduled types."""
        moved = self.moved(page, period)
        if moved is not None:
            return moved
        due = self.rule_deadline(page, period)
        if due is None:
            return None
        local = timezone.localtime(due, periods.local_zone())
        day = local.date()
        if not self.is_day_off(day):
            return due
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return periods.at_local(day, local.time())


def first_period_day(page):
    """The first day a template could be answered: its publication or opening."""
    starts = [t for t in (page.first_published_at, page.opens_at) if t]
    return periods.local_date(max(starts)) if starts else None


def accepted_periods(page, moment=None, book=None):
    """The periods `page` takes reports for at `moment`, newest first.

    The current period, the `late_periods_open` before it (late reports), and
    any earlier period whose deadline the Board moved past `moment`. Never a
    period that ended before the template was published, never a future one.
    """
    moment = moment or timezone.now()
    if not periods.is_scheduled(page.period_type) or not page.is_open(moment):
        return []
    book = book or DeadlineBook([page])
    first_day = first_period_day(page)
    current = periods.period_for(page.period_type, moment)
    found = [current]
    moved = set(book.moved_periods(page))
    period = current
    for back in range(1, MAX_MOVED_BACK + 1):
        period = periods.previous_period(page.period_type, period)
        if first_day is not None and period.end < first_day:
            break
        if back > page.late_periods_open and not moved:
            break
        if back <= page.late_periods_open or (
            period.key in moved and book.deadline(page, period) >= moment
        ):
            found.append(period)
    return found


def default_period(accepted, done_keys=(), deadline_of=None, now=None):
    """The period a unit's form opens on: of the accepted periods it has not
    reported (nor been excused from), the one whose deadline comes next or has
    just passed, whichever is nearer to `now` (on Monday, last Friday's missed
    report; on Thursday, this week's); with no deadlines known, the oldest. The
    current period when all are done."""
    pending = [p for p in accepted if p.key not in done_keys]
    if not pending:
        return accepted[0] if accepted else None
    if deadline_of is None or now is None:
        return pending[-1]

    def distance(period):
        due = deadline_of(period)
        return abs((due - now).total_seconds()) if due else float("inf")

    # Ties go to the older period: what is overdue comes first.
    return min(reversed(pending), key=distance)


def stamp(page, period, moment, book=None):
    """(deadline, is_late) of a report of `page` for `period` sent at `moment`."""
    if period is None:
        return None, False
    deadline = (book or DeadlineBook([page])).deadline(page, period)
    return deadline, bool(deadline and moment > deadline)


def restamp(page, period_keys=None, book=None):
    """Recompute the stored deadline and lateness of `page`'s reports.

    One UPDATE per period; follow-ups are not a period's report (Art. 7.3.2).
    """
    from .models import FormSubmission  # noqa: PLC0415 (see DeadlineBook)

    if not periods.is_scheduled(page.period_type):
        return 0
    book = book or DeadlineBook([page])
    reports = FormSubmission.objects.filter(page_id=page.pk, follows__isnull=True)
    if period_keys is None:
        period_keys = reports.order_by().values_list("period", flat=True).distinct()
    changed = 0
    for key in set(period_keys):
        try:
            period_type, period = periods.period_from_key(key)
        except ValueError:
            continue
        if period_type != page.period_type:
            continue
        due = book.deadline(page, period)
        changed += reports.filter(period=key).update(
            deadline=due,
            is_late=Case(When(submitted_at__gt=due, then=Value(True)), default=False),
        )
    return changed


def restamp_days(start, end):
    """After a holiday changed: every scheduled template's periods over those days."""
    from .models import ReportTemplatePage  # noqa: PLC0415 (see DeadlineBook)

    book = DeadlineBook()
    for page in ReportTemplatePage.objects.filter(
        period_type__in=periods.SCHEDULED_TYPES
    ):
        keys, day = set(), start
        while day <= end:
            period = periods.period_of_day(page.period_type, day)
            keys.add(period.key)
            day = period.end + dt.timedelta(days=1)
        restamp(page, keys, book)


# The stored facts follow the Board's calendar (connected in apps.ready).


def holiday_changing(sender, instance, **kwargs):
    old = (
        sender.objects.filter(pk=instance.pk)
        .values_list("start_date", "end_date")
        .first()
        if instance.pk
        else None
    )
    instance._old_range = old


def holiday_changed(sender, instance, **kwargs):
    ranges = [(instance.start_date, instance.end_date)]
    if getattr(instance, "_old_range", None):
        ranges.append(instance._old_range)
    for start, end in ranges:
        restamp_days(start, end)


def deadline_moved(sender, instance, **kwargs):
    from .models import ReportTemplatePage  # noqa: PLC0415 (see DeadlineBook)

    page = ReportTemplatePage.objects.filter(pk=instance.page_id).first()
    if page is not None:
        restamp(page, [instance.period])


def form_status(page, user, now=None):
    """What the forms list says of `page` to `user`: for each of their units the
    template is for, the period it opens on, its deadline, and what was sent."""
    # forms_app.submitting imports this module (stamping a report's period).
    from .submitting import reported_periods  # noqa: PLC0415

    if not user.is_authenticated or not page.login_required or not page.is_scheduled:
        return []
    now = now or timezone.now()
    _mine, allowed = units_for(page, user)
    if not allowed:
        return []
    book = DeadlineBook([page])
    accepted = accepted_periods(page, now, book)
    keys = [p.key for p in accepted]
    found = []
    for unit in allowed:
        done = reported_periods(page, unit, keys)
        pending = [p for p in accepted if p.key not in done]
        period = default_period(accepted, done, lambda p: book.deadline(page, p), now)
        found.append(
            {
                "unit": unit,
                "period": periods.period_label(page.period_type, period)
                if period
                else "",
                "deadline": book.deadline(page, period) if period else None,
                "overdue": bool(
                    period and pending and book.deadline(page, period) < now
                ),
                "all_sent": not pending,
            }
        )
    return found
