"""Notifications for each party: a dashboard line and an email, never the answers.

Only a short, fixed text and a link leave the system; the link's view checks
access again, so a notification never reveals a classified submission.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import jobs
from forms_app.access import submissions_visible_to
from units.identity import contact_email

from .choices import NotificationKind
from .models import Notification


def submission_url(submission):
    return reverse("submissions:edit", args=[submission.pk])


def notify(users, kind, submission, actor=None):
    """Create one notification per user who may read `submission`, then mail them."""
    label = NotificationKind(kind).label
    text = _("%(kind)s: %(form)s — %(unit)s, %(period)s (số %(id)s)") % {
        "kind": label,
        "form": submission.page.title,
        "unit": submission.unit or _("ẩn danh"),
        "period": submission.period_label
        or _("gửi ngày %(day)s")
        % {"day": timezone.localtime(submission.submitted_at).strftime("%d/%m/%Y")},
        "id": submission.pk,
    }
    created = []
    for user in {u for u in users if u and u != actor and u.is_active}:
        if not submissions_visible_to(user).filter(pk=submission.pk).exists():
            continue
        created.append(
            Notification(
                user=user,
                kind=kind,
                submission=submission,
                unit_id=submission.unit_id,
                text=text[:300],
                url=submission_url(submission),
            )
        )
    Notification.objects.bulk_create(created)
    ids = [n.pk for n in created if n.pk]
    if ids:
        jobs.enqueue_on_commit(send_notification_emails, ids)
    return created


def send_notification_emails(notification_ids):
    """Mail the notifications not mailed yet (safe to run twice, even at once).

    Each mail is claimed first (emailed_at set where it was empty): of two runs
    racing, one sends it. A mail that fails is released for the resend job.
    """

    pending = Notification.objects.filter(
        pk__in=notification_ids, emailed_at__isnull=True
    ).select_related("user")
    for notification in pending:
        # A protected person's address is decrypted only to send (Art. 7.1.5).
        address = contact_email(notification.user)
        if not address:
            continue  # nowhere to send it; the dashboard shows it
        claimed = Notification.objects.filter(
            pk=notification.pk, emailed_at__isnull=True
        ).update(emailed_at=timezone.now())
        if not claimed:
            continue
        link = f"{settings.WAGTAILADMIN_BASE_URL}{notification.url}"
        try:
            send_mail(
                subject=notification.text[:120],
                message=_("%(text)s\n\nXem chi tiết (cần đăng nhập): %(link)s")
                % {"text": notification.text, "link": link},
                from_email=None,
                recipient_list=[address],
            )
        except Exception:
            Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
            raise


def unit_members(submission):
    User = get_user_model()
    return User.objects.filter(
        memberships__unit_id=submission.unit_id, memberships__is_active=True
    ).distinct()


def resend_pending_emails(older_than_seconds=60):
    """Mail what could not be mailed (Redis was down when it was enqueued).

    Run by the cron scheduler; sending marks each notification, so a notification
    is mailed once however often this runs.
    """
    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    pending = Notification.objects.filter(
        emailed_at__isnull=True, created_at__lte=cutoff
    ).exclude(
        # Nobody to mail: no address, plain or encrypted.
        Q(user__email="")
        & (
            Q(user__protected_identity__isnull=True)
            | Q(user__protected_identity__email="")
        )
    )
    ids = list(pending.values_list("pk", flat=True)[:1000])
    if ids:
        send_notification_emails(ids)
    return len(ids)
