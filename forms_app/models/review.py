"""A submission's review state and its transitions: escalation, verification,
handling.

Kept beside the model they change, as Wagtail's models/workflows.py keeps
WorkflowState's and TaskState's: every state change is an atomic model method
that writes an audit entry, then sends a signal, as TaskState.approve/reject
do. The workflow tasks that call them live in the workflows app.
"""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms_app import audit, signals
from forms_app.vocabularies import PeriodType


class EscalationReason(models.TextChoices):
    BEYOND_AUTHORITY = "beyond_authority", _("Vượt thẩm quyền")
    COMPLEX = "complex", _("Phức tạp")
    SENSITIVE = "sensitive", _("Nhạy cảm")
    QUICK_REPORT = "quick_report", _("Báo cáo nhanh")
    OVERDUE = "overdue", _("Quá hạn xử lý ở cấp xã")


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Chưa gửi duyệt")
    PENDING = "pending", _("Chờ thẩm định")
    RETURNED = "returned", _("Trả lại để bổ sung")
    ESCALATED = "escalated", _("Đã báo cáo lên Ban")
    RESOLVED = "resolved", _("Đã giải quyết tại cơ sở")
    ACKNOWLEDGED = "acknowledged", _("Ban đã ghi nhận")
    DIRECTED = "directed", _("Ban đã chỉ đạo")


class HandlingStatus(models.TextChoices):
    NEW = "new", _("Mới")
    HANDLING = "handling", _("Đang xử lý")
    HANDLED = "handled", _("Đã xử lý")
    MONITORING = "monitoring", _("Tiếp tục theo dõi")


class Verification(models.TextChoices):
    UNVERIFIED = "unverified", _("Chưa kiểm chứng")
    VERIFIED = "verified", _("Đã kiểm chứng")
    PARTLY = "partly", _("Kiểm chứng một phần")
    UNVERIFIABLE = "unverifiable", _("Không thể kiểm chứng")
    FALSE = "false", _("Thông tin sai sự thật")


class FollowUpStage(models.TextChoices):
    BEFORE = "before", _("Trước khi xử lý")
    DURING = "during", _("Trong khi xử lý")
    AFTER = "after", _("Sau khi xử lý")


# Fields a unit's edit (a new revision) never brings back: they belong to review.
REVIEW_FIELDS = [
    "review_status",
    "escalated",
    "escalation_reason",
    "escalated_at",
    "handling_status",
    "verification",
    "verification_note",
    "verified_by",
    "verified_at",
    "follows",
    "follow_up_stage",
]


class ReviewMixin(models.Model):
    # The inbox filters on the status columns; FormSubmission.Meta indexes them.

    review_status = models.CharField(
        _("trạng thái thẩm định"),
        max_length=14,
        choices=ReviewStatus.choices,
        default=ReviewStatus.DRAFT,
    )
    escalated = models.BooleanField(
        _("đã báo cáo lên Ban"), default=False, db_index=True
    )
    escalation_reason = models.CharField(
        _("lý do báo cáo lên Ban"),
        max_length=20,
        choices=EscalationReason.choices,
        blank=True,
    )
    escalated_at = models.DateTimeField(
        _("thời điểm báo cáo lên Ban"), null=True, blank=True
    )
    handling_status = models.CharField(
        _("tình trạng xử lý"),
        max_length=12,
        choices=HandlingStatus.choices,
        default=HandlingStatus.NEW,
    )
    verification = models.CharField(
        _("kiểm chứng"),
        max_length=14,
        choices=Verification.choices,
        default=Verification.UNVERIFIED,
    )
    verification_note = models.TextField(_("ghi chú kiểm chứng"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người kiểm chứng"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("thời điểm kiểm chứng"), null=True, blank=True)
    follows = models.ForeignKey(
        "self",
        verbose_name=_("theo dõi tiếp báo cáo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    follow_up_stage = models.CharField(
        _("giai đoạn"), max_length=8, choices=FollowUpStage.choices, blank=True
    )

    class Meta:
        abstract = True

    # What decides the route

    @property
    def is_quick_report(self):
        return getattr(self.page.specific, "period_type", "") == PeriodType.QUICK

    @property
    def is_sensitive(self):
        return self.sensitivity == "sensitive"

    @property
    def needs_board_review(self):
        return self.escalated or self.is_sensitive or self.is_quick_report

    def get_automatic_escalation_reason(self):
        """Why this submission goes straight to the Board, or "" (Art. 6.1.1, 6.3)."""
        if self.is_quick_report:
            return EscalationReason.QUICK_REPORT
        if self.is_sensitive:
            return EscalationReason.SENSITIVE
        return ""

    # State changes

    def start_review(self, user):
        """Put a just-stored submission on its workflow, in the same transaction.

        Neither locks nor checks whether it was started already: the routing
        job (workflows.routing.route_submission) does both before calling it.
        Anonymous survey answers have no unit to review them and are accepted
        as they are.
        """
        if self.unit_id is None:
            return
        type(self).objects.filter(pk=self.pk).update(live=False)
        self.live = False
        self.save_revision(user=user)
        workflow = self.get_workflow()
        if workflow is not None:
            workflow.start(self, user)

    def set_review_status(self, status):
        """Mirror of the workflow's position, kept as a column for the inbox."""
        type(self).objects.filter(pk=self.pk).update(review_status=status)
        self.review_status = status

    @transaction.atomic
    def escalate(self, user, reason, comment=""):
        if self.escalated:
            return
        type(self).objects.filter(pk=self.pk).update(
            escalated=True, escalation_reason=reason, escalated_at=timezone.now()
        )
        self.refresh_from_db(fields=["escalated", "escalation_reason", "escalated_at"])
        self.set_review_status(ReviewStatus.ESCALATED)
        audit.record(
            self,
            user,
            "escalated",
            changes={"escalated": ["False", "True"]},
            reason=reason,
            comment=comment,
        )
        signals.submission_escalated.send(sender=type(self), instance=self, user=user)

    @transaction.atomic
    def record_verification(self, user, verification, note=""):
        before = self.verification
        type(self).objects.filter(pk=self.pk).update(
            verification=verification,
            verification_note=note,
            verified_by=user,
            verified_at=timezone.now(),
        )
        self.refresh_from_db(
            fields=["verification", "verification_note", "verified_by", "verified_at"]
        )
        audit.record(
            self,
            user,
            "verified",
            changes={"verification": [before, verification]},
            note=note,
        )
        signals.submission_verified.send(sender=type(self), instance=self, user=user)

    @transaction.atomic
    def reclassify(self, user, level, reason):
        """Change the classification (who may: forms_app.access); audited."""
        before = self.classification
        level = int(level)
        if before == level:
            return
        type(self).objects.filter(pk=self.pk).update(classification=level)
        self.classification = level
        audit.record(
            self,
            user,
            "reclassified",
            changes={"classification": [str(before), str(level)]},
            comment=reason,
        )
        signals.submission_reclassified.send(
            sender=type(self), instance=self, user=user, before=before
        )

    @transaction.atomic
    def set_handling_status(self, user, status):
        before = self.handling_status
        if before == status:
            return
        type(self).objects.filter(pk=self.pk).update(handling_status=status)
        self.handling_status = status
        audit.record(
            self, user, "handling_status", changes={"handling_status": [before, status]}
        )
        signals.handling_status_changed.send(
            sender=type(self), instance=self, user=user
        )
