"""What moderation adds to a submission: escalation, verification, handling.

Every state change is an atomic model method that writes an audit entry, then
sends a signal, as Wagtail's TaskState.approve/reject do.
"""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import audit, signals
from .choices import (
    EscalationReason,
    FollowUpStage,
    HandlingStatus,
    ReviewStatus,
    Verification,
)

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
        from forms_app.vocabularies import PeriodType

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

    @transaction.atomic
    def record_direction(self, user, text):
        from .models import Direction

        direction = Direction.objects.create(submission=self, author=user, text=text)
        self.set_review_status(ReviewStatus.DIRECTED)
        audit.record(self, user, "direction", direction_id=direction.pk)
        if self.handling_status == HandlingStatus.NEW:
            self.set_handling_status(user, HandlingStatus.HANDLING)
        signals.direction_recorded.send(
            sender=type(self), instance=self, user=user, direction=direction
        )
        return direction
