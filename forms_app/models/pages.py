"""Report templates and survey questionnaires: Wagtail pages built by Board staff."""

import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from forms_app import periods
from forms_app.classification import above_ceiling_message
from forms_app.forms import FormContext, StepForm, build_steps, input_items
from forms_app.keys import unique_key
from forms_app.model_fields import MultipleChoiceJSONField
from forms_app.standard_blocks import REPORT_REQUIRED_KEYS
from forms_app.stream import FormFieldsBlock
from forms_app.submitting import create_submission
from forms_app.vocabularies import Classification, PeriodType
from units.choices import Level, Role, UnitKind

from .submissions import FormSubmission

WEEKDAYS = [
    (0, _("Thứ Hai")),
    (1, _("Thứ Ba")),
    (2, _("Thứ Tư")),
    (3, _("Thứ Năm")),
    (4, _("Thứ Sáu")),
    (5, _("Thứ Bảy")),
    (6, _("Chủ Nhật")),
]


class FormsIndexPage(Page):
    """Where the Board keeps its templates and questionnaires."""

    intro = RichTextField(_("giới thiệu"), blank=True)

    content_panels = Page.content_panels + ["intro"]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["forms_app.ReportTemplatePage", "forms_app.SurveyPage"]

    class Meta:
        verbose_name = _("danh mục biểu mẫu")

    def get_context(self, request, *args, **kwargs):
        # forms_app.deadlines reads these models: imported when used.
        from forms_app.deadlines import form_status  # noqa: PLC0415

        context = super().get_context(request, *args, **kwargs)
        forms = [
            page
            for page in self.get_children().live().specific()
            if not getattr(page, "archived", False)
        ]
        context["forms"] = forms
        context["statuses"] = [
            (page, form_status(page, request.user)) for page in forms
        ]
        return context


class AbstractDlxhFormPage(Page):
    """A form built in the page editor; answers are stored by stable key.

        Hooks in the manner of wagtail.contrib.forms' AbstractForm, under its names
    where they mean the same:
        - get_steps(): the wizard steps (page breaks split them);
        - get_form_context(): database-backed choices shared by the steps;
        - get_step_form(step, ...): the Django form of one step;
        - get_period(moment) / get_deadline(period): the reporting period and due time;
        - get_accepted_periods(moment): the periods a unit may still send it for;
        - get_submission_class(): where answers are stored (AbstractForm's name);
        - process_form_submission(**answers): stores a finished form (AbstractForm's
          name; it takes the cleaned answers of every step rather than one form).
    """

    intro = RichTextField(_("lời dẫn"), blank=True)
    fields = StreamField(FormFieldsBlock(), verbose_name=_("câu hỏi"), blank=True)
    thank_you_text = RichTextField(
        _("lời cảm ơn sau khi gửi"),
        blank=True,
        default="<p>Cảm ơn đồng chí đã gửi thông tin.</p>",
    )

    audience_levels = MultipleChoiceJSONField(
        _("cấp"), choices_source=Level, help_text=_("Để trống: mọi cấp.")
    )
    audience_kinds = MultipleChoiceJSONField(
        _("loại đơn vị"), choices_source=UnitKind, help_text=_("Để trống: mọi loại.")
    )
    audience_roles = MultipleChoiceJSONField(
        _("vai trò"), choices_source=Role, help_text=_("Để trống: mọi vai trò.")
    )
    audience_units = ParentalManyToManyField(
        "units.Unit",
        verbose_name=_("đơn vị cụ thể"),
        blank=True,
        related_name="+",
        help_text=_("Thêm các đơn vị cụ thể ngoài các nhóm đã chọn."),
    )
    answer_required = models.BooleanField(
        _("bắt buộc báo cáo"),
        default=True,
        help_text=_(
            "Bỏ chọn nếu đối tượng trên được phép nhưng không bắt buộc trả lời."
        ),
    )
    login_required = models.BooleanField(
        _("phải đăng nhập"),
        default=True,
        help_text=_("Bỏ chọn để mở đường dẫn công khai, trả lời ẩn danh."),
    )
    period_type = models.CharField(
        _("kỳ báo cáo"), max_length=12, choices=PeriodType.choices
    )
    deadline_weekday = models.PositiveSmallIntegerField(
        _("hạn nộp vào thứ (báo cáo tuần)"), choices=WEEKDAYS, default=4
    )
    deadline_day = models.PositiveSmallIntegerField(
        _("hạn nộp vào ngày (báo cáo tháng, quý, năm)"), default=25
    )
    deadline_time = models.TimeField(_("giờ hạn nộp"), default=dt.time(16, 0))
    opens_at = models.DateTimeField(_("mở nhận từ"), null=True, blank=True)
    closes_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    one_per_unit_per_period = models.BooleanField(
        _("mỗi đơn vị một báo cáo mỗi kỳ"),
        default=True,
        help_text=_(
            "Chỉ áp dụng cho báo cáo định kỳ; báo cáo nhanh và đột xuất gửi bao "
            "nhiêu lần cũng được."
        ),
    )
    late_periods_open = models.PositiveSmallIntegerField(
        _("số kỳ đã qua vẫn nhận báo cáo trễ"),
        default=1,
        validators=[MaxValueValidator(12)],
        help_text=_(
            "Ngoài kỳ hiện tại, đơn vị còn được gửi báo cáo (bị tính trễ hạn) cho "
            "bao nhiêu kỳ trước. 0: chỉ kỳ hiện tại."
        ),
    )
    reminder_hours = models.PositiveSmallIntegerField(
        _("nhắc trước hạn (giờ)"),
        default=24,
        validators=[MaxValueValidator(24 * 14)],
        help_text=_(
            "Đơn vị chưa gửi được nhắc trước hạn nộp bấy nhiêu giờ, và được báo khi "
            "đã quá hạn. 0: không nhắc."
        ),
    )
    default_classification = models.PositiveSmallIntegerField(
        _("độ mật mặc định"), choices=Classification.choices, default=0
    )
    archived = models.BooleanField(_("đã lưu trữ"), default=False, editable=False)
    # Archiving is a state of the page record, like a lock, not of its content:
    # publishing an older revision, or copying the form, must not undo it.
    exclude_fields_in_copy = ["archived"]
    workflow = models.ForeignKey(
        "wagtailcore.Workflow",
        verbose_name=_("quy trình xử lý báo cáo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Quy trình thẩm định các báo cáo gửi qua biểu mẫu này (Thiết lập → "
            "Quy trình). Để trống: quy trình mặc định của báo cáo."
        ),
    )

    content_panels = Page.content_panels + ["intro", "fields", "thank_you_text"]
    settings_form_panels = [
        MultiFieldPanel(
            [
                "audience_levels",
                "audience_kinds",
                "audience_roles",
                "audience_units",
                "answer_required",
                "login_required",
            ],
            heading=_("Đối tượng trả lời"),
        ),
        MultiFieldPanel(
            [
                "period_type",
                FieldRowPanel(["deadline_weekday", "deadline_day", "deadline_time"]),
                FieldRowPanel(["opens_at", "closes_at"]),
                "one_per_unit_per_period",
                FieldRowPanel(["late_periods_open", "reminder_hours"]),
            ],
            heading=_("Kỳ báo cáo và thời hạn"),
        ),
        FieldPanel("default_classification"),
        FieldPanel("workflow"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Nội dung")),
            ObjectList(settings_form_panels, heading=_("Thiết lập biểu mẫu")),
            ObjectList(Page.promote_panels, heading=_("Đường dẫn")),
        ]
    )

    parent_page_types = ["forms_app.FormsIndexPage"]
    subpage_types = []

    class Meta:
        abstract = True

    # Hooks

    def get_steps(self):
        return build_steps(self.fields, first_title=self.title)

    def get_form_context(self):
        return FormContext()

    def get_step_form(self, step, *args, prior_answers=None, context=None, **kwargs):
        return StepForm(
            *args,
            step=step,
            context=context or self.get_form_context(),
            prior_answers=prior_answers,
            **kwargs,
        )

    @property
    def is_scheduled(self):
        """Reports owed every period; quick and ad hoc ones are for no period."""
        return periods.is_scheduled(self.period_type)

    @property
    def limits_one_per_period(self):
        return self.is_scheduled and self.one_per_unit_per_period

    def get_period(self, moment=None):
        """The period containing `moment` (None for quick and ad hoc reports)."""
        return periods.period_for(self.period_type, moment)

    def get_deadline(self, period, book=None):
        """`period`'s deadline: the rule, holidays, the Board's moved deadline."""
        # forms_app.deadlines reads these models: imported when used.
        from forms_app.deadlines import DeadlineBook  # noqa: PLC0415

        return (book or DeadlineBook([self])).deadline(self, period)

    def get_accepted_periods(self, moment=None, book=None):
        # As get_deadline.
        from forms_app.deadlines import accepted_periods  # noqa: PLC0415

        return accepted_periods(self, moment, book)

    def get_submission_class(self):
        return FormSubmission

    def is_open(self, moment=None):
        moment = moment or timezone.now()
        if self.archived:
            return False
        if self.opens_at and moment < self.opens_at:
            return False
        return not (self.closes_at and moment >= self.closes_at)

    def with_content_json(self, content):
        page = super().with_content_json(content)
        page.archived = self.archived
        return page

    def input_items(self):
        return input_items(self.fields)

    def process_form_submission(self, **kwargs):
        """Store a finished form: see forms_app.submitting.create_submission."""
        return create_submission(self, **kwargs)

    # Serving

    preview_modes = [("", _("Biểu mẫu")), ("landing", _("Trang cảm ơn"))]

    def serve(self, request, *args, **kwargs):
        # The wizard imports forms_app.models, which imports this: a real cycle.
        from forms_app.wizard import FormWizardView  # noqa: PLC0415

        return FormWizardView.as_view(page=self)(request, *args, **kwargs)

    def serve_preview(self, request, mode_name):
        # forms_app.views imports forms_app.models, which imports this: a cycle.
        from forms_app.views import serve_preview  # noqa: PLC0415

        return serve_preview(self, request, mode_name)

    # Validation

    def clean(self):
        super().clean()
        # The editor's form has already cleaned the stream; pages built in code
        # (imports, tests) get their keys and block checks here.
        self.fields = self.fields.stream_block.clean(self.fields)
        self._keep_published_keys()
        errors = self.get_structure_errors()
        if errors:
            raise ValidationError({"fields": errors})
        too_high = above_ceiling_message(self.default_classification)
        if too_high:
            raise ValidationError({"default_classification": too_high})

    def get_structure_errors(self):
        """Form-wide rules that a single block cannot check."""
        if not any(item.is_input for item in self.input_items()):
            return [_("Biểu mẫu cần ít nhất một câu hỏi.")]
        return []

    def _keep_published_keys(self):
        """Keys of blocks that existed before never change, and are never reused.

        A block keeps its key by its stream id; a new block whose generated key
        was once used by another (since removed) block gets a fresh one, so old
        answers are never shown under a different question.
        """
        if not self.pk:
            return
        history = {}
        for revision in self.revisions.order_by("created_at"):
            stream = revision.content.get("fields") or []
            if isinstance(stream, str):  # revisions keep a StreamField as JSON text
                stream = json.loads(stream)
            for child in stream:
                key = (child.get("value") or {}).get("key")
                if key:
                    history[child.get("id")] = key
        used = set(history.values())
        current = {item.block_id: item for item in self.input_items()}
        for block_id, item in current.items():
            if block_id in history:
                item.value["key"] = history[block_id]
            elif item.key in used:
                taken = used | {i.key for i in current.values()}
                item.value["key"] = unique_key(item.key, taken)


class ReportTemplatePage(AbstractDlxhFormPage):
    """A periodic or quick report of Art. 6.3."""

    template = "forms_app/report_template_page.html"

    class Meta:
        verbose_name = _("mẫu báo cáo")
        verbose_name_plural = _("mẫu báo cáo")

    def get_structure_errors(self):
        errors = super().get_structure_errors()
        keys = {item.key: item for item in self.input_items()}
        missing = [key for key in REPORT_REQUIRED_KEYS if key not in keys]
        if missing:
            errors.append(
                _(
                    "Mẫu báo cáo phải có các khối: Mức độ tác động, Xu hướng, "
                    "Kiến nghị, đề xuất (Điều 6.3 Quy chế)."
                )
            )
        return errors


class SurveyPage(AbstractDlxhFormPage):
    """A public opinion survey questionnaire of Art. 4.2."""

    template = "forms_app/survey_page.html"

    class Meta:
        verbose_name = _("phiếu khảo sát")
        verbose_name_plural = _("phiếu khảo sát")
