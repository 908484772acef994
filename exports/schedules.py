"""Digests that make themselves (Art. 6.1.2): the cron tick behind "Lịch tổng hợp".

RQ's cron scheduler (`manage.py rqcron config.cron`, see config/cron.py) calls
`run_due_schedules` every minute. The times live in the database, editable in
the admin, not in the cron configuration, so the Board changes them without a
deploy. Each tick:

- finds, per active schedule, its latest due time and the period it covers;
- creates the digest's ExportJob once per (schedule, period): a ScheduleRun row
  with a unique constraint claims the period first, so two schedulers (or two
  ticks overlapping) never make two files;
- tells the recipients of finished digests, with a link and nothing else.

A scheduler that was down catches up with the latest due period only; times
before a schedule was created never fire.
"""

import datetime as dt
import logging

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import jobs
from forms_app import periods
from forms_app.access import clearance_of
from forms_app.vocabularies import PeriodType
from units.choices import Clearance, Role
from units.models import Unit
from units.people import upsert_person
from units.roles import BOARD_ROLES
from workflows.choices import NotificationKind
from workflows.models import Notification
from workflows.notifications import send_notification_emails

from .models import DigestSchedule, ExportJob, ScheduleRun
from .runs import retry, start_export

logger = logging.getLogger(__name__)

SYSTEM_USERNAME = "he-thong.tong-hop"
# A failed scheduled digest is queued again this many times before giving up.
MAX_ATTEMPTS = 3


# When


def _at(day, time):
    return timezone.make_aware(dt.datetime.combine(day, time))


def _day_in_month(first_day, day_of_month):
    last = periods.period_for(PeriodType.MONTHLY, _at(first_day, dt.time(12))).end
    return first_day.replace(day=min(day_of_month, last.day))


def last_due_at(schedule, now):
    """The latest moment at or before `now` when `schedule` was due."""
    today = timezone.localtime(now).date()
    if schedule.kind == DigestSchedule.Kind.WEEKLY:
        day = today - dt.timedelta(days=(today.weekday() - schedule.weekday) % 7)
        due = _at(day, schedule.at_time)
        return due if due <= now else due - dt.timedelta(days=7)
    first = today.replace(day=1)
    due = _at(_day_in_month(first, schedule.day_of_month), schedule.at_time)
    if due <= now:
        return due
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    return _at(_day_in_month(previous, schedule.day_of_month), schedule.at_time)


def period_type_of(schedule):
    if schedule.kind == DigestSchedule.Kind.WEEKLY:
        return PeriodType.WEEKLY
    return PeriodType.MONTHLY


def digest_period(schedule, due):
    """The period a run due at `due` summarises: the one just ended, by default."""
    period_type = period_type_of(schedule)
    period = periods.period_for(period_type, due)
    if schedule.target == DigestSchedule.Target.PREVIOUS:
        period = periods.previous_period(period_type, period)
    return period


def digest_params(schedule, period):
    return {
        "period": period.key,
        "sections": schedule.sections(),
        "max_classification": schedule.max_classification,
    }


# Who


def board_requester():
    """The account scheduled digests run as: Board staff, never a person.

    It reads what the Board reads (the digest is still cut at the schedule's
    classification ceiling) and cannot log in: its password is unusable.
    """
    board = Unit.objects.board().active().order_by("pk").first()
    if board is None:
        return None
    user, _membership = upsert_person(
        username=SYSTEM_USERNAME,
        unit=board,
        role=Role.BOARD_STAFF,
        clearance=Clearance.TOP_SECRET,
    )
    # Shown as the requester in the job list; not a person's name to split.
    name = _("Hệ thống tổng hợp tự động")
    if user.first_name != name:
        user.first_name, user.last_name = name, ""
        user.save(update_fields=["first_name", "last_name"])
    return user


def recipients_of(schedule):
    """The schedule's recipients; none chosen means the Board's staff and leaders."""
    User = get_user_model()
    chosen = schedule.recipients.filter(is_active=True)
    if chosen.exists():
        return chosen
    return (
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role__in=BOARD_ROLES,
            memberships__unit__in=Unit.objects.board(),
        )
        .exclude(username=SYSTEM_USERNAME)
        .distinct()
    )


# The tick


def run_due_schedules(now=None):
    """Create the digests that are due; tell recipients of finished ones.

    Safe to call as often as anyone likes, from several processes at once.
    Returns the ScheduleRuns created by this call.
    """
    now = now or timezone.now()
    notify_finished(now)
    created = []
    requester = None
    for schedule in DigestSchedule.objects.filter(is_active=True).order_by("pk"):
        due = last_due_at(schedule, now)
        if due < schedule.created_at:
            continue
        period = digest_period(schedule, due)
        if ScheduleRun.objects.filter(
            schedule=schedule, period_key=period.key
        ).exists():
            continue
        requester = requester or board_requester()
        if requester is None:
            logger.error("No active Board unit: scheduled digests cannot run")
            return created
        run = _start(schedule, period, due, requester)
        if run is not None:
            created.append(run)
    return created


def _start(schedule, period, due, requester):
    try:
        with transaction.atomic():
            run = ScheduleRun.objects.create(
                schedule=schedule, period_key=period.key, due_at=due
            )
            run.job = start_export(requester, "digest", digest_params(schedule, period))
            run.save(update_fields=["job"])
    except IntegrityError:
        return None  # another scheduler claimed this period first
    except Exception:
        # Left unclaimed, so the next tick tries again.
        logger.exception("Scheduled digest %s for %s not started", schedule, period)
        return None
    logger.info("Scheduled digest %s for %s: export %s", schedule, period.key, run.job)
    return run


def notify_finished(now=None):
    """Tell each recipient of a finished scheduled digest where to get it.

    The ScheduleRun is marked first, in the same transaction, so a run is
    announced once even when two ticks overlap.
    """
    now = now or timezone.now()
    pending = ScheduleRun.objects.filter(
        notified_at__isnull=True,
        job__status__in=[ExportJob.Status.DONE, ExportJob.Status.FAILED],
    ).select_related("job", "schedule")
    announced = []
    for run in pending:
        if run.job.status == ExportJob.Status.FAILED:
            _retry_or_give_up(run, now)
            continue
        with transaction.atomic():
            claimed = ScheduleRun.objects.filter(
                pk=run.pk, notified_at__isnull=True
            ).update(notified_at=now)
            if claimed:
                announced.extend(_notify(run))
    ids = [n.pk for n in announced if n.pk]
    if ids:
        jobs.enqueue_on_commit(send_notification_emails, ids)
    return announced


def _notify(run):
    job = run.job
    text = _("Bảng tổng hợp định kỳ đã sẵn sàng: %(title)s") % {"title": job.title}
    url = reverse("exports:download", args=[job.pk])
    notifications = []
    for user in recipients_of(run.schedule):
        # The file is marked: those not cleared for it are not told of it.
        if not user.is_superuser and clearance_of(user) < job.classification:
            logger.warning("Digest %s not sent to %s: clearance", job.pk, user)
            continue
        notifications.append(
            Notification(
                user=user,
                kind=NotificationKind.EXPORT_READY,
                text=text[:300],
                url=url,
            )
        )
    return Notification.objects.bulk_create(notifications)


def _retry_or_give_up(run, now):
    if run.job.attempts < MAX_ATTEMPTS and retry(run.job):
        return
    if ScheduleRun.objects.filter(pk=run.pk, notified_at__isnull=True).update(
        notified_at=now
    ):
        logger.error("Scheduled digest %s failed: %s", run.job.pk, run.job.error)
