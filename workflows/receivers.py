"""Who hears about what: Wagtail's workflow signals and ours, to notifications."""

from django.contrib.auth import get_user_model
from django.dispatch import receiver
from wagtail.signals import task_rejected, task_submitted, workflow_approved

from forms_app.models import FormSubmission
from units.reviewers import reviewers_of

from . import signals
from .choices import NotificationKind
from .models import BoardReviewTask, UnitReviewTask
from .notifications import notify, unit_members


def _submission(task_state):
    obj = task_state.workflow_state.content_object
    return obj if isinstance(obj, FormSubmission) else None


@receiver(task_submitted)
def tell_reviewers(sender, instance, user=None, **kwargs):
    submission = _submission(instance)
    if submission is None or instance.status != instance.STATUS_IN_PROGRESS:
        return
    task = instance.task.specific
    if isinstance(task, UnitReviewTask):
        notify(
            task.get_reviewers(submission), NotificationKind.AWAITING_REVIEW, submission
        )
    elif isinstance(task, BoardReviewTask):
        board = get_user_model().objects.filter(groups__in=task.groups.all())
        notify(board, NotificationKind.ESCALATED, submission)


@receiver(task_rejected)
def tell_unit_it_was_returned(sender, instance, user=None, **kwargs):
    submission = _submission(instance)
    if submission is not None:
        notify(
            unit_members(submission), NotificationKind.RETURNED, submission, actor=user
        )


@receiver(workflow_approved)
def tell_unit_it_was_approved(sender, instance, user=None, **kwargs):
    submission = instance.content_object
    if isinstance(submission, FormSubmission):
        notify(
            unit_members(submission), NotificationKind.APPROVED, submission, actor=user
        )


@receiver(signals.direction_recorded)
def tell_unit_and_reviewer_of_direction(sender, instance, user=None, **kwargs):
    people = set(unit_members(instance))
    if instance.unit_id:
        people |= set(reviewers_of(instance.unit))
    notify(people, NotificationKind.DIRECTION, instance, actor=user)
