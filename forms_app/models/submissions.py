"""Answers to a form, stored once by stable key, and drafts of answers in progress."""

import uuid

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin
from wagtail.models.audit_log import BaseLogEntry, BaseLogEntryManager

from forms_app.periods import label_of_key
from forms_app.protected_answers import is_sealed, placeholder, unsealed
from forms_app.vocabularies import (
    Classification,
    ContentCategory,
    ImpactLevel,
    Sensitivity,
    SourceChannel,
    Trend,
)

from .review import REVIEW_FIELDS, ReviewMixin

# Answer keys copied into indexed columns: digests and the inbox filter on them.
STANDARD_COLUMNS = {
    "dlxh_category": "category",
    "dlxh_sector": "sector",
    "dlxh_locality": "locality",
    "dlxh_source_channel": "source_channel",
    "dlxh_impact": "impact",
    "dlxh_trend": "trend",
    "dlxh_sensitivity": "sensitivity",
}


class FormSubmission(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    ReviewMixin,
    models.Model,
):
    """A unit's answers to a form, moderated on Wagtail's workflow engine.

    The row holds the latest answers (the inbox and digests read it); each
    version the unit sent is a revision, so a returned and corrected report keeps
    both. A workflow that ends approved publishes it (`live`).
    """

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("biểu mẫu"),
        on_delete=models.PROTECT,
        related_name="dlxh_submissions",
    )
    page_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("phiên bản biểu mẫu"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submissions",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dlxh_submissions",
    )
    # The period the report is *for*, chosen by the unit among those the
    # template accepts (forms_app.deadlines); "" for quick and ad hoc reports.
    period = models.CharField(_("kỳ báo cáo"), max_length=20, blank=True)
    answers = models.JSONField(_("câu trả lời"), default=dict)
    classification = models.PositiveSmallIntegerField(
        _("độ mật"), choices=Classification.choices, default=0, db_index=True
    )
    idempotency_key = models.UUIDField(
        _("mã chống gửi trùng"), null=True, blank=True, unique=True, editable=False
    )
    submitted_at = models.DateTimeField(
        _("thời điểm gửi"), default=timezone.now, db_index=True
    )
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    # Stored facts, recomputed when the Board moves the deadline or sets a
    # holiday (deadlines.restamp): the calendar, digests and annual report
    # count them instead of recomputing every rule for every row.
    deadline = models.DateTimeField(_("hạn nộp"), null=True, blank=True)
    is_late = models.BooleanField(_("nộp trễ hạn"), default=False)

    category = models.CharField(
        _("nhóm nội dung"),
        max_length=40,
        choices=ContentCategory.choices,
        blank=True,
    )
    sector = models.CharField(_("lĩnh vực"), max_length=64, blank=True)
    locality = models.ForeignKey(
        "units.Commune",
        verbose_name=_("địa bàn"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        to_field="code",
        db_column="locality_code",
        db_index=False,  # see Meta.indexes
    )
    source_channel = models.CharField(
        _("nguồn thông tin"),
        max_length=20,
        choices=SourceChannel.choices,
        blank=True,
    )
    impact = models.CharField(
        _("mức độ tác động"),
        max_length=20,
        choices=ImpactLevel.choices,
        blank=True,
    )
    trend = models.CharField(
        _("xu hướng"), max_length=20, choices=Trend.choices, blank=True
    )
    sensitivity = models.CharField(
        _("tính chất"),
        max_length=20,
        choices=Sensitivity.choices,
        blank=True,
    )

    # Wagtail would index each submission's references (page, revision, unit,
    # locality) on every save, inside the reporter's request: a template "used
    # by" thousands of submissions is no useful usage listing, and PROTECT
    # already keeps a template with submissions from being deleted.
    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("báo cáo đã gửi")
        verbose_name_plural = _("báo cáo đã gửi")
        # Plain indexes for the inbox's and digests' filters. `db_index=True` on
        # a CharField makes PostgreSQL keep a second, `varchar_pattern_ops`
        # index for LIKE 'prefix%' searches, which nothing runs on these
        # columns: 13 indexes every report's INSERT and every review's UPDATE
        # paid for.
        indexes = [
            models.Index(fields=["page", "unit", "period"]),
            *(
                models.Index(fields=[name], name=f"dlxh_sub_{name}")
                for name in [
                    "period",
                    "category",
                    "sector",
                    "locality",
                    "source_channel",
                    "impact",
                    "trend",
                    "sensitivity",
                    "review_status",
                    "handling_status",
                    "verification",
                    "is_late",
                ]
            ),
        ]

    def __str__(self):
        when = self.period or timezone.localtime(self.submitted_at).strftime("%d/%m/%Y")
        return f"{self.page.title} · {self.unit or _('ẩn danh')} · {when}"

    def save(self, *args, **kwargs):
        self.copy_standard_columns()
        super().save(*args, **kwargs)

    @property
    def period_label(self):
        """The period in words (tuần 47/2025 (17/11 – 23/11/2025)), or "" for
        a quick or ad hoc report."""
        return label_of_key(self.period)

    def get_workflow(self):
        """The workflow chosen on the template, else the one set for the model.

        Wagtail assigns snippet workflows per model; the Board picks one per
        template, so the template's choice comes first.
        """
        workflow = getattr(self.page.specific, "workflow", None)
        if workflow is not None and workflow.active:
            return workflow
        return self.get_default_workflow()

    def with_content_json(self, content):
        """Only the answers come from a revision; review state stays current."""
        obj = super().with_content_json(content)
        for name in REVIEW_FIELDS + ["live", "locked", "locked_by_id", "locked_at"]:
            field = self._meta.get_field(name.removesuffix("_id"))
            setattr(obj, field.attname, getattr(self, field.attname))
        return obj

    def copy_standard_columns(self):
        for key, column in STANDARD_COLUMNS.items():
            value = self.answers.get(key) or ""
            if is_sealed(value):
                # An identifying answer is never copied out in plain.
                value = ""
            if column == "locality":
                self.locality_id = value or None
            else:
                setattr(self, column, value)

    def get_form_items(self):
        """The questions this submission answered, as they were when it was made."""
        page = (
            self.page_revision.as_object()
            if self.page_revision_id
            else self.page.specific
        )
        return page.input_items()

    def get_answer_rows(self, reveal=False):
        """(key, label, displayed answer) per answered question; current labels
        win. Identifying answers show as the source's pseudonym unless
        `reveal` (after the reveal has been recorded).

        Relabelled questions show their current label; removed questions, and
        removed choices, keep the label they had when the answer was given.
        """
        current = {item.key: item for item in self.page.specific.input_items()}
        answers = unsealed(self.answers) if reveal else self.answers
        rows = []
        for item in self.get_form_items():
            if item.key not in answers:
                continue
            if is_sealed(answers[item.key]):
                shown = current.get(item.key, item)
                label = shown.value.get("label") or item.key
                rows.append((item.key, label, placeholder(self.pk)))
                continue
            shown = current.get(item.key, item)
            label = shown.value.get("label") or shown.value.get("title") or item.key
            value = shown.value
            if shown is not item and shown.block.name == item.block.name:
                value = shown.block.get_display_value(shown.value, item.value)
            rows.append(
                (
                    item.key,
                    label,
                    shown.block.display_answer(value, answers[item.key]),
                )
            )
        return rows


class SubmissionDraft(models.Model):
    """A form being filled in: the wizard's state, kept in the database.

    django-formtools keeps wizard state in the session; a unit whose session
    expires or who closes the browser must lose nothing, so it lives here.
    """

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # Anonymous respondents keep their draft for as long as their session lives.
    session_key = models.CharField(max_length=40, blank=True, db_index=True)
    token = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["page", "user"],
                condition=models.Q(user__isnull=False),
                name="one_draft_per_user_and_form",
            )
        ]

    def __str__(self):
        return f"{self.page_id} · {self.user_id or self.session_key}"


# Every change to a submission, with its actor and before/after, in
# django-auditlog; transitions add their own entries (forms_app.audit).
# The answers are never copied into the log (a source named in them, Art.
# 7.1.5): an edit is recorded as its own event (workflows.edit_views).
auditlog.register(
    FormSubmission, exclude_fields=["updated_at", "latest_revision", "answers"]
)


class SubmissionLogEntryManager(BaseLogEntryManager):
    def log_action(self, instance, action, **kwargs):
        kwargs.update(object_id=str(instance.pk))
        return super().log_action(instance, action, **kwargs)

    def for_instance(self, instance):
        return self.filter(object_id=str(instance.pk))

    def viewable_by_user(self, user):
        """Entries about submissions `user` may read (forms_app.access), so
        Wagtail's site history, its filters and exports list no others."""
        # access.py imports this module (the submission model): a real cycle.
        from forms_app.access import submissions_visible_to  # noqa: PLC0415

        if not user.is_authenticated:
            return self.none()
        visible = (
            submissions_visible_to(user)
            .order_by()
            .annotate(str_pk=Cast("pk", models.CharField()))
            .values("str_pk")
        )
        return self.filter(object_id__in=visible)


class SubmissionLogEntry(BaseLogEntry):
    """Wagtail's log of submissions (workflow steps, revisions, locks), kept
    apart from other models' so that who reads which entry follows the access
    policy (registered with Wagtail in forms_app.wagtail_hooks)."""

    object_id = models.CharField(max_length=255, db_index=True)

    objects = SubmissionLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("nhật ký báo cáo")
        verbose_name_plural = _("nhật ký báo cáo")

    def __str__(self):
        return f"{self.action} · {self.object_id}"
