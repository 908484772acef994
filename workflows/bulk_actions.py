"""Bulk approval from the inbox, where each item's own task allows it."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from forms_app.access import submissions_visible_to
from forms_app.models import FormSubmission

from .models import ActionConflict


class ApproveBulkAction(SnippetBulkAction):
    display_name = _("Duyệt")
    action_type = "approve_submissions"
    aria_label = _("Duyệt các báo cáo đã chọn")
    template_name = "workflows/confirm_bulk_approve.html"
    action_priority = 10

    models = [FormSubmission]

    def get_all_objects_in_listing_query(self, parent_id):
        return submissions_visible_to(self.request.user).values_list("pk", flat=True)

    def check_perm(self, submission):
        """Visible to the user, and its current task offers them "approve"."""
        if (
            not submissions_visible_to(self.request.user)
            .filter(pk=submission.pk)
            .exists()
        ):
            return False
        task = submission.current_workflow_task
        if task is None:
            return False
        actions = task.get_actions(submission, self.request.user)
        return any(name == "approve" for name, *_rest in actions)

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        """Each item through its own task, so each gets its own state change,
        Wagtail log entry and audit entry; one already handled is skipped."""
        done = 0
        for submission in objects:
            task_state = submission.current_workflow_task_state
            if task_state is None:
                continue
            try:
                task_state.task.specific.on_action(
                    task_state, user, "approve", comment=str(_("Duyệt hàng loạt"))
                )
            except ActionConflict:
                continue
            done += 1
        return done, 0

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "Đã duyệt %(count)d báo cáo.",
            "Đã duyệt %(count)d báo cáo.",
            num_parent_objects,
        ) % {"count": num_parent_objects}
