"""Wagtail's own workflow e-mails: kept for pages, silenced for submissions.

Wagtail mails every superuser when a workflow starts and the task's group when
a task starts, in its own wording and inside the request. For submissions the
project sends its own notifications (workflows.notifications): in Vietnamese,
without the answers, mailed by the worker. During a deadline rush Wagtail's
mails were one per report, sent while the reporter waited.
"""

from wagtail.admin import mail
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import (
    task_submitted,
    workflow_approved,
    workflow_rejected,
    workflow_submitted,
)

from forms_app.models import FormSubmission


def _is_submission(obj):
    return isinstance(obj, FormSubmission)


class PagesOnlyMixin:
    def can_handle(self, instance, **kwargs):
        if not super().can_handle(instance, **kwargs):
            return False
        workflow_state = getattr(instance, "workflow_state", instance)
        return not _is_submission(workflow_state.content_object)


class TaskSubmittedNotifier(
    PagesOnlyMixin, mail.GroupApprovalTaskStateSubmissionEmailNotifier
):
    pass


class WorkflowSubmittedNotifier(
    PagesOnlyMixin, mail.WorkflowStateSubmissionEmailNotifier
):
    pass


class WorkflowRejectedNotifier(
    PagesOnlyMixin, mail.WorkflowStateRejectionEmailNotifier
):
    pass


class WorkflowApprovedNotifier(PagesOnlyMixin, mail.WorkflowStateApprovalEmailNotifier):
    pass


# Wagtail's dispatch_uids (wagtail/admin/signal_handlers.py).
RECEIVERS = [
    (
        task_submitted,
        TaskState,
        TaskSubmittedNotifier(),
        "group_approval_task_submitted_email_notification",
    ),
    (
        workflow_submitted,
        WorkflowState,
        WorkflowSubmittedNotifier(),
        "workflow_state_submitted_email_notification",
    ),
    (
        workflow_rejected,
        WorkflowState,
        WorkflowRejectedNotifier(),
        "workflow_state_rejected_email_notification",
    ),
    (
        workflow_approved,
        WorkflowState,
        WorkflowApprovedNotifier(),
        "workflow_state_approved_email_notification",
    ),
]


def replace_wagtail_notifiers():
    """Put ours in place of Wagtail's receivers, whichever app is ready first.

    A signal keeps one receiver per (dispatch_uid, sender): disconnecting
    removes Wagtail's if it is there, and once ours is connected, Wagtail's
    later connect() under the same uid is ignored.
    """
    for signal, sender, notifier, uid in RECEIVERS:
        signal.disconnect(sender=sender, dispatch_uid=uid)
        signal.connect(notifier, sender=sender, dispatch_uid=uid)
