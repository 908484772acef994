"""Reminders of the reporting calendar (Art. 6.1.2, 6.3), sent by RQ's cron
scheduler (config/cron.py) every few minutes:

- before a deadline (the template's `reminder_hours`): each member of a unit
  that owes the report and has not sent it;
- when a deadline has passed unmet (within MISSED_WINDOW): the same people,
  with a link to send it late while the template still accepts it;
- once a day from SUMMARY_TIME: the Board's staff and leaders get the province's
  overdue units, each commune reviewer those of their commune.

Each is a dashboard notification and an e-mail with a link, never answers. A
notification's `key` is unique in the database, so whatever runs twice (two
schedulers, a tick that overlaps a slow one) sends each reminder once; the
e-mail is claimed before it is sent (notifications.send_notification_emails).
"""

import datetime as dt
import logging
from collections import defaultdict
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import jobs
from forms_app import periods
from forms_app.audience import audience_allows, listed_units
from forms_app.obligations import ReportingCalendar, State, candidate_templates
from forms_app.wizard import PERIOD_PARAM, UNIT_PARAM
from units.choices import Role
from units.models import Membership, Unit
from units.roles import BOARD_ROLES

from .choices import NotificationKind
from .models import Notification
from .notifications import send_notification_emails

logger = logging.getLogger(__name__)

# A deadline missed longer ago than this is not announced any more (a scheduler
# down for a week does not wake up to a flood of stale notices).
MISSED_WINDOW = dt.timedelta(days=3)
# The daily summary of overdue units, province time.
SUMMARY_TIME = dt.time(7, 30)
LISTED_IN_SUMMARY = 8


def form_link(page, unit, period):
    """The form, with the period and the unit chosen: nobody types an address."""
    query = urlencode({PERIOD_PARAM: period.key, UNIT_PARAM: unit.pk})
    return f"{page.get_url()}?{query}"


def deadline_text(deadline):
    local = timezone.localtime(deadline, periods.local_zone())
    return local.strftime("%H:%M %d/%m/%Y")


class Round:
    """One run of the reminders at `now`: the calendar computed once."""

    def __init__(self, now=None):
        self.now = now or timezone.now()
        self.pages = [
            page
            for page in candidate_templates()
            if page.live and not page.archived and page.is_open(self.now)
        ]
        calendar = ReportingCalendar(now=self.now)
        self.rows, self.accepted = calendar.open_obligations(self.pages)

    # Who, in a unit, hears about its obligations

    def recipients(self, rows):
        """{(page id, unit id): [users]}: members the template's audience allows."""
        unit_ids = {row.unit.pk for row in rows}
        members = defaultdict(list)
        for membership in (
            Membership.objects.active()
            .filter(unit_id__in=unit_ids, user__is_active=True)
            .select_related("user", "unit")
        ):
            members[membership.unit_id].append(membership)
        listed = {page.pk: listed_units(page) for page in self.pages}
        found = {}
        for row in rows:
            key = (row.page.pk, row.unit.pk)
            if key not in found:
                found[key] = [
                    m.user
                    for m in members[row.unit.pk]
                    if audience_allows(row.page, m, listed[row.page.pk])
                ]
        return found

    def unit_notifications(self, kind, rows, text):
        people = self.recipients(rows)
        made = []
        for row in rows:
            url = form_link(row.page, row.unit, row.period)
            for user in people[(row.page.pk, row.unit.pk)]:
                made.append(
                    Notification(
                        user=user,
                        kind=kind,
                        unit=row.unit,
                        text=text(row)[:300],
                        url=url,
                        key=f"{kind}:{row.page.pk}:{row.unit.pk}:{row.period.key}:"
                        f"{user.pk}",
                    )
                )
        return made

    # The three kinds

    def before_deadline(self):
        due = [
            row
            for row in self.rows
            if row.state == State.DUE
            and row.page.reminder_hours
            and row.deadline is not None
            and row.deadline - dt.timedelta(hours=row.page.reminder_hours) <= self.now
        ]

        def text(row):
            return _(
                "Sắp đến hạn nộp: %(form)s, %(period)s — hạn %(due)s (%(unit)s)"
            ) % {
                "form": row.page.title,
                "period": row.period_label,
                "due": deadline_text(row.deadline),
                "unit": row.unit.name,
            }

        return self.unit_notifications(NotificationKind.DEADLINE_SOON, due, text)

    def overdue(self):
        """Missed deadlines the unit may still send late."""
        return [
            row
            for row in self.rows
            if row.state == State.MISSING
            and row.period.key in self.accepted.get(row.page.pk, ())
        ]

    def missed(self):
        rows = [
            row
            for row in self.overdue()
            if row.page.reminder_hours
            and row.deadline is not None
            and self.now - row.deadline <= MISSED_WINDOW
        ]

        def text(row):
            return _(
                "Đã quá hạn nộp: %(form)s, %(period)s — hạn %(due)s (%(unit)s). Đơn "
                "vị vẫn có thể gửi, báo cáo được ghi là nộp trễ."
            ) % {
                "form": row.page.title,
                "period": row.period_label,
                "due": deadline_text(row.deadline),
                "unit": row.unit.name,
            }

        return self.unit_notifications(NotificationKind.DEADLINE_MISSED, rows, text)

    def summaries(self):
        """The day's overdue units: the province to the Board, a commune to its
        reviewer; from SUMMARY_TIME, once a day each."""
        local = timezone.localtime(self.now, periods.local_zone())
        if local.time() < SUMMARY_TIME:
            return []
        rows = self.overdue()
        if not rows:
            return []
        day = local.date()
        url = reverse("dlxh_compliance")
        made = []
        User = get_user_model()
        board = User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role__in=BOARD_ROLES,
            memberships__unit__in=Unit.objects.board(),
        ).distinct()
        for user in board:
            made.append(self.summary(user, day, rows, url, None))
        by_commune = defaultdict(list)
        for row in rows:
            if row.unit.commune_id:
                by_commune[row.unit.commune_id].append(row)
        reviewers = Membership.objects.active().filter(
            role=Role.COMMUNE_REVIEWER,
            user__is_active=True,
            unit__commune_id__in=list(by_commune),
        )
        for membership in reviewers.select_related("user", "unit__commune"):
            commune = membership.unit.commune
            made.append(
                self.summary(
                    membership.user,
                    day,
                    by_commune[commune.pk],
                    f"{url}?commune={commune.pk}",
                    commune,
                )
            )
        return made

    def summary(self, user, day, rows, url, commune):
        units = sorted({row.unit.name for row in rows})
        named = ", ".join(units[:LISTED_IN_SUMMARY])
        if len(units) > LISTED_IN_SUMMARY:
            named += _(" và %(n)s đơn vị khác") % {"n": len(units) - LISTED_IN_SUMMARY}
        where = commune.name if commune else _("toàn tỉnh")
        text = _(
            "Ngày %(day)s, %(where)s: %(n)s đơn vị chưa nộp báo cáo đã quá hạn "
            "(%(count)s lượt): %(units)s."
        ) % {
            "day": day.strftime("%d/%m/%Y"),
            "where": where,
            "n": len(units),
            "count": len(rows),
            "units": named,
        }
        return Notification(
            user=user,
            kind=NotificationKind.OVERDUE_SUMMARY,
            unit=None,
            text=text[:300],
            url=url,
            key=f"{NotificationKind.OVERDUE_SUMMARY}:{day.isoformat()}:"
            f"{commune.pk if commune else 'tinh'}:{user.pk}",
        )


def save_once(notifications):
    """Store the notifications whose key is new; mail them after the commit.

    Returns those stored by this call. `ignore_conflicts` leaves a key stored
    meanwhile by a concurrent run to that run.
    """
    if not notifications:
        return []
    keys = [n.key for n in notifications]
    existing = set(
        Notification.objects.filter(key__in=keys).values_list("key", flat=True)
    )
    fresh = [n for n in notifications if n.key not in existing]
    Notification.objects.bulk_create(fresh, ignore_conflicts=True)
    ids = list(
        Notification.objects.filter(
            key__in=[n.key for n in fresh], emailed_at__isnull=True
        ).values_list("pk", flat=True)
    )
    if ids:
        jobs.enqueue_on_commit(
            send_notification_emails,
            ids,
            queue=getattr(settings, "REMINDERS_QUEUE", "default"),
        )
    return fresh


def send_reminders(now=None):
    """The cron entry: reminders, missed-deadline notices, daily summaries.

    `now` (an ISO string or datetime) is for running a round as of a moment.
    Returns {kind: notifications stored by this call}.
    """
    if isinstance(now, str):
        now = dt.datetime.fromisoformat(now)
    round_ = Round(now)
    sent = {
        NotificationKind.DEADLINE_SOON: save_once(round_.before_deadline()),
        NotificationKind.DEADLINE_MISSED: save_once(round_.missed()),
        NotificationKind.OVERDUE_SUMMARY: save_once(round_.summaries()),
    }
    counts = {str(kind): len(made) for kind, made in sent.items()}
    logger.info("Reminders at %s: %s", round_.now, counts)
    return counts
