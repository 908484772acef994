"""Automatic escalation of reviews left pending past their task's time limit.

Run by RQ's cron scheduler (config/cron.py), never on page load.
"""

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from wagtail.models import TaskState

from forms_app.models.review import EscalationReason

from .models import UnitReviewTask

logger = logging.getLogger(__name__)


def overdue_task_states(now=None):
    now = now or timezone.now()
    overdue = []
    for task in UnitReviewTask.objects.filter(active=True):
        limit = now - dt.timedelta(hours=task.time_limit_hours)
        overdue.extend(
            task.task_states.filter(
                status=TaskState.STATUS_IN_PROGRESS, started_at__lte=limit
            ).values_list("pk", flat=True)
        )
    return overdue


def escalate_overdue_reviews():
    """Escalate every overdue first-level review; safe to run twice or at once."""
    escalated = 0
    for pk in overdue_task_states():
        with transaction.atomic():
            task_state = (
                TaskState.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=TaskState.STATUS_IN_PROGRESS)
                .first()
            )
            if task_state is None:  # handled meanwhile, or another worker has it
                continue
            task_state = task_state.specific
            submission = task_state.workflow_state.content_object
            submission.escalate(None, EscalationReason.OVERDUE)
            task_state.approve(
                user=None,
                comment=str(EscalationReason.OVERDUE.label),
            )
            escalated += 1
    if escalated:
        logger.info("Escalated %s overdue reviews", escalated)
    return escalated
