"""Putting a received submission on its review workflow, in the background.

Starting a Wagtail workflow (a revision, the workflow and task states, the
reviewers resolved and notified) was half of a report's POST. In a deadline
rush the receipt need not wait for it: the answers are committed first, and a
job started after the commit routes the report seconds later. Without Redis
(the embedded default) the same job runs right after the commit, in-process.

The job (`route_submission`) receives ids only and is safe to run twice or at
once: the submission row is locked, and a submission that already has a
revision was routed. It calls the submission's own `start_review`, which puts
it on its workflow in the caller's transaction and checks nothing.
"""

import datetime as dt
import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

import jobs
from forms_app.models import FormSubmission
from forms_app.signals import submission_created

logger = logging.getLogger(__name__)

# A submission still unrouted this long after it was stored lost its job
# (Redis was down, or the worker died): the sweep starts its review.
SWEEP_AFTER = dt.timedelta(minutes=1)


def unrouted():
    """Submissions of a unit whose review has not started yet."""
    return FormSubmission.objects.filter(
        unit__isnull=False, latest_revision__isnull=True
    )


def route_submission(submission_id, user_id=None):
    """Start the review of one submission, unless it was started already."""
    with transaction.atomic():
        submission = unrouted().select_for_update().filter(pk=submission_id).first()
        if submission is None:
            return False
        user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
        submission.start_review(user)
    return True


def start_unrouted_reviews(limit=500):
    """Route what no job routed (run by the cron scheduler every minute)."""
    cutoff = timezone.now() - SWEEP_AFTER
    waiting = list(
        unrouted()
        .filter(submitted_at__lte=cutoff)
        .order_by("submitted_at")
        .values_list("pk", "submitted_by_id")[:limit]
    )
    started = sum(route_submission(pk, user_id) for pk, user_id in waiting)
    if started:
        logger.warning("Started %d reviews whose job was lost", started)
    return started


@receiver(submission_created)
def route_after_commit(sender, instance, user=None, **kwargs):
    # submission_created is sent once the submission has committed.
    if instance.unit_id is None:
        return
    jobs.enqueue_now(
        route_submission,
        instance.pk,
        user.pk if user is not None and user.is_authenticated else None,
        # Quick reports and sensitive answers go to the Board "at once" (Art.
        # 6.1.1, 6.3): in a deadline rush, not behind hundreds of weekly ones.
        urgent=bool(instance.get_automatic_escalation_reason()),
    )
