"""Admin views of submissions, all narrowed by the access policy first."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from wagtail.snippets.views.snippets import WorkflowActionView

from forms_app.access import can_stop_review, submissions_visible_to
from security import audit
from security.audit import Refused

from .models import ActionConflict, Notification

# Edit-view actions that take a submission off its review, or start it afresh.
STOPPING_REVIEW = {"cancel-workflow", "restart-workflow"}


class PolicyObjectMixin:
    """Whatever view Wagtail builds for a submission, it only finds what the
    user may read: another unit's submission is a 404, not a 403, so ids leak
    nothing."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        pk = getattr(obj, "pk", None)
        if pk is not None:
            if not submissions_visible_to(self.request.user).filter(pk=pk).exists():
                raise Refused
            # Who opened a classified report, whichever of its screens.
            audit.record_view_once(self.request, obj)
        return obj

    def get_available_actions(self):
        # Only edit views have actions; the menu hides the same ones
        # (wagtail_hooks.hide_workflow_cancel).
        actions = super().get_available_actions()
        if not can_stop_review(self.request.user):
            actions = [a for a in actions if a not in STOPPING_REVIEW]
        return actions


class SubmissionWorkflowActionView(WorkflowActionView):
    """Two reviewers acting at once: the second gets a message, not an error page."""

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ActionConflict as conflict:
            messages.error(request, conflict.args[0] if conflict.args else "")
            if request.headers.get("x-requested-with") == "XMLHttpRequest":
                return self.render_modal_json(
                    request, {"step": "success", "redirect": self.redirect_url}
                )
            return redirect(self.redirect_url)


def open_notification(request, pk):
    """Mark the notification read and follow its link (checked again there)."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return redirect(notification.url or "wagtailadmin_home")
