"""Moderation on Wagtail's own workflow engine: the two task types, directions
and notifications.

The task types override only Task's hook methods, as AbstractGroupApprovalTask
does; the submission's state changes themselves live beside it
(forms_app.models.review.ReviewMixin).
"""

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask, Task, TaskState

from forms_app import audit
from forms_app.access import submissions_reviewable_by
from forms_app.models.review import (
    EscalationReason,
    HandlingStatus,
    ReviewStatus,
    Verification,
)
from units.reviewers import reviewers_of

from . import forms, signals
from .choices import NotificationKind


class ActionConflict(PermissionDenied):
    """Somebody else acted on this task first."""


def lock_task_state(task_state):
    """The task state, row-locked; raises ActionConflict if already acted on.

    Two reviewers clicking at once both reach here; the second waits for the
    first's transaction and then finds the task finished.
    """
    locked = TaskState.objects.select_for_update().get(pk=task_state.pk).specific
    if locked.status != TaskState.STATUS_IN_PROGRESS:
        raise ActionConflict(
            _(
                "Báo cáo này vừa được người khác xử lý; thao tác của đồng chí "
                "không được thực hiện."
            )
        )
    return locked


def apply_review(obj, user, data):
    verification = data.get("verification")
    if verification and verification != Verification.UNVERIFIED:
        obj.record_verification(user, verification, data.get("verification_note", ""))


class ReviewActionsMixin:
    """What both review tasks do with an action: lock, check, audit, act.

    Subclasses name their audit prefix and add their own actions in
    perform_action(); approve and reject are Wagtail's own.
    """

    audit_prefix = ""

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        task_state = lock_task_state(task_state)
        obj = task_state.workflow_state.content_object
        if action_name not in {name for name, *_rest in self.get_actions(obj, user)}:
            raise PermissionDenied
        comment = kwargs.get("comment", "")
        apply_review(obj, user, kwargs)
        audit.record(obj, user, f"{self.audit_prefix}.{action_name}", comment=comment)
        self.perform_action(task_state, obj, user, action_name, comment, kwargs)

    def perform_action(self, task_state, obj, user, action_name, comment, data):
        if action_name == "approve":
            task_state.approve(user=user, comment=comment)
        elif action_name == "reject":
            obj.set_review_status(ReviewStatus.RETURNED)
            task_state.reject(user=user, comment=comment)


class UnitReviewTask(ReviewActionsMixin, Task):
    """First-level review by the reviewers of the submitting unit."""

    time_limit_hours = models.PositiveIntegerField(
        _("thời hạn xử lý (giờ)"),
        default=24,
        help_text=_(
            "Quá thời hạn này mà chưa xử lý, báo cáo tự động được báo cáo lên Ban."
        ),
    )

    admin_form_fields = Task.admin_form_fields + ["time_limit_hours"]
    audit_prefix = "unit_review"

    class Meta:
        verbose_name = _("thẩm định cấp cơ sở")
        verbose_name_plural = _("thẩm định cấp cơ sở")

    # Hooks

    def get_reviewers(self, obj):
        return reviewers_of(obj.unit)

    def user_is_reviewer(self, obj, user):
        return user.is_superuser or self.get_reviewers(obj).filter(pk=user.pk).exists()

    def start(self, workflow_state, user=None):
        task_state = super().start(workflow_state, user=user)
        obj = workflow_state.content_object
        obj.set_review_status(ReviewStatus.PENDING)
        reason = obj.get_automatic_escalation_reason()
        if reason:
            # Quick reports and sensitive information reach the Board at once.
            obj.escalate(None, reason)
            task_state.approve(
                user=None,
                update=False,
                comment=str(_("Tự động báo cáo lên Ban: %(reason)s"))
                % {"reason": EscalationReason(reason).label},
            )
        return task_state

    def user_can_access_editor(self, obj, user):
        return self.user_is_reviewer(obj, user)

    def locked_for_user(self, obj, user):
        # The unit cannot change what is under review.
        return not self.user_is_reviewer(obj, user)

    def get_actions(self, obj, user):
        if user == obj.submitted_by or not self.user_is_reviewer(obj, user):
            return []
        return [
            ("approve", _("Duyệt, giải quyết tại cơ sở"), True),
            ("reject", _("Trả lại để bổ sung"), True),
            ("escalate", _("Báo cáo lên Ban"), True),
        ]

    def get_form_for_action(self, action):
        return forms.UNIT_REVIEW_FORMS.get(action, forms.TaskStateCommentForm)

    def perform_action(self, task_state, obj, user, action_name, comment, data):
        if action_name == "escalate":
            obj.escalate(user, data["reason"], comment)
            task_state.approve(user=user, comment=comment)
        else:
            super().perform_action(task_state, obj, user, action_name, comment, data)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        ids = submissions_reviewable_by(user).values_list("pk", flat=True)
        return self.task_states.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            workflow_state__object_id__in=[str(pk) for pk in ids],
        )

    @classmethod
    def get_description(cls):
        return _(
            "Ban Xây dựng Đảng của xã, phường (hoặc Ban, với đơn vị cấp tỉnh) thẩm "
            "định: duyệt, trả lại hoặc báo cáo lên Ban."
        )


class BoardReviewTask(ReviewActionsMixin, AbstractGroupApprovalTask):
    """The Board's review; it runs only for escalated, sensitive or quick reports."""

    audit_prefix = "board_review"

    class Meta:
        verbose_name = _("Ban xem xét, chỉ đạo")
        verbose_name_plural = _("Ban xem xét, chỉ đạo")

    def start(self, workflow_state, user=None):
        obj = workflow_state.content_object
        if not obj.needs_board_review:
            # Resolved at the first level: nothing for the Board to do.
            return TaskState.objects.create(
                workflow_state=workflow_state,
                task=self,
                revision=obj.get_latest_revision(),
                status=TaskState.STATUS_SKIPPED,
            )
        return super().start(workflow_state, user=user)

    def locked_for_user(self, obj, user):
        return not (user.is_superuser or self._user_in_groups(user))

    def get_actions(self, obj, user):
        if user == obj.submitted_by or not (
            user.is_superuser or self._user_in_groups(user)
        ):
            return []
        return [
            ("approve", _("Ghi nhận"), True),
            ("direct", _("Chỉ đạo, định hướng"), True),
            ("reject", _("Trả lại"), True),
        ]

    def get_form_for_action(self, action):
        return forms.BOARD_REVIEW_FORMS.get(action, forms.TaskStateCommentForm)

    def perform_action(self, task_state, obj, user, action_name, comment, data):
        if action_name == "direct":
            Direction.record(obj, user, data["direction"])
            task_state.approve(user=user, comment=comment)
        else:
            super().perform_action(task_state, obj, user, action_name, comment, data)

    @classmethod
    def get_description(cls):
        return _(
            "Lãnh đạo, chuyên viên Ban ghi nhận, chỉ đạo hoặc trả lại các báo cáo "
            "được báo cáo lên Ban, báo cáo nhạy cảm và báo cáo nhanh."
        )


class Direction(models.Model):
    """Guidance (chỉ đạo, định hướng) the Board sends back on a submission."""

    submission = models.ForeignKey(
        "forms_app.FormSubmission",
        verbose_name=_("báo cáo"),
        on_delete=models.CASCADE,
        related_name="directions",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người chỉ đạo"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("nội dung chỉ đạo"))
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("ý kiến chỉ đạo")
        verbose_name_plural = _("ý kiến chỉ đạo")

    def __str__(self):
        return f"{self.submission_id} · {self.created_at:%d/%m/%Y %H:%M}"

    @classmethod
    @transaction.atomic
    def record(cls, submission, user, text):
        """The Board directs: the direction, the submission marked directed and
        in handling, an audit entry, then `direction_recorded`."""
        direction = cls.objects.create(submission=submission, author=user, text=text)
        submission.set_review_status(ReviewStatus.DIRECTED)
        audit.record(submission, user, "direction", direction_id=direction.pk)
        if submission.handling_status == HandlingStatus.NEW:
            submission.set_handling_status(user, HandlingStatus.HANDLING)
        signals.direction_recorded.send(
            sender=type(submission), instance=submission, user=user, direction=direction
        )
        return direction


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A line on someone's dashboard (and an email): never the answers, a link."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="dlxh_notifications",
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    submission = models.ForeignKey(
        "forms_app.FormSubmission",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    # The unit concerned (a report's unit, the unit a reminder is for), so a
    # unit's page lists what its people were told.
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # A reminder's identity ("due:<template>:<unit>:<period>:<user>"): the
    # unique index makes it sent once however often, or concurrently, the
    # scheduled job runs.
    key = models.CharField(max_length=120, unique=True, null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["unit", "kind", "-created_at"])]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")

    def __str__(self):
        return self.text


# Who changed what, with before/after (django-auditlog); submissions are
# registered with their model in forms_app.
auditlog.register(Direction)
