"""Read-only panels of the submission screen: the answers and their story."""

from auditlog.models import LogEntry
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from forms_app import audit
from forms_app.access import can_edit, is_unit_member, submissions_visible_to
from forms_app.protected_answers import is_sealed
from units.identity import is_protected, person_label
from units.views import may_reveal

# How each event reads on the history tab: the submission's own, then those the
# review tasks (models.py), directions and the unit's edits record.
EVENT_LABELS = {
    **audit.EVENT_LABELS,
    "direction": _("Ý kiến chỉ đạo"),
    "answers_edited": _("Đơn vị sửa và gửi lại"),
    "unit_review.approve": _("Thẩm định: duyệt"),
    "unit_review.reject": _("Thẩm định: trả lại"),
    "unit_review.escalate": _("Thẩm định: báo cáo lên Ban"),
    "board_review.approve": _("Ban: ghi nhận"),
    "board_review.reject": _("Ban: trả lại"),
    "board_review.direct": _("Ban: chỉ đạo, định hướng"),
}


class SubmissionSummaryPanel(Panel):
    """The answers as the unit gave them, with unit, period and review state."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "workflows/panels/submission_summary.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            submission = self.instance
            user = self.request.user
            sender = submission.submitted_by
            directions = (
                list(submission.directions.select_related("author"))
                if submission.pk
                else []
            )
            for direction in directions:
                direction.author_label = person_label(direction.author)
            context.update(
                submission=submission,
                can_edit=bool(submission.pk) and can_edit(user, submission),
                rows=submission.get_answer_rows() if submission.pk else [],
                directions=directions,
                # A collaborator shows as their pseudonym (Art. 7.1.5).
                sender=person_label(sender),
                reveal_sender_url=reverse("units_reveal_identity", args=[sender.pk])
                if sender is not None and may_reveal(user) and is_protected(sender)
                else "",
                reveal_answers_url=reverse(
                    "submissions:reveal_answers", args=[submission.pk]
                )
                if submission.pk
                and may_reveal(user)
                and any(map(is_sealed, submission.answers.values()))
                else "",
            )
            return context


class SubmissionThreadPanel(Panel):
    """Follow-up reports before, during and after handling (Art. 7.3.2)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "workflows/panels/submission_thread.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            submission = self.instance
            root = submission
            while root.follows_id:
                root = root.follows
            visible = submissions_visible_to(self.request.user)
            context.update(
                submission=submission,
                can_follow_up=is_unit_member(self.request.user, submission.unit_id),
                root=root,
                thread=visible.filter(follows=root).order_by("submitted_at")
                if root.pk
                else [],
            )
            return context


class AuditHistoryPanel(Panel):
    """Who saw and did what, from django-auditlog."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "workflows/panels/audit_history.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            entries = (
                LogEntry.objects.get_for_object(self.instance)
                .select_related("actor")
                .order_by("-timestamp")[:100]
                if self.instance.pk
                else []
            )
            for entry in entries:
                # Who acted, as every screen shows people (pseudonyms).
                entry.actor_label = person_label(entry.actor)
                event = (entry.additional_data or {}).get("event")
                entry.label = (
                    EVENT_LABELS.get(event, event) or entry.get_action_display()
                )
                entry.comment = (entry.additional_data or {}).get("comment", "")
            context["entries"] = entries
            return context
