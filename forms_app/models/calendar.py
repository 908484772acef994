"""The Board's reporting calendar (Art. 6.1.2, 6.3): holidays, a period's moved
deadline, and units excused from a period. Edited in the admin ("Lịch báo cáo");
read in bulk by forms_app.deadlines and forms_app.obligations.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from forms_app import periods


class Holiday(models.Model):
    """Days off (Tết, national holidays, days given in lieu): a deadline that
    falls on one moves to the next working day."""

    name = models.CharField(_("tên ngày nghỉ"), max_length=150)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(
        _("đến hết ngày"), help_text=_("Nghỉ một ngày: để bằng ngày bắt đầu.")
    )

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("ngày nghỉ lễ")
        verbose_name_plural = _("ngày nghỉ lễ")

    def __str__(self):
        if self.start_date == self.end_date:
            return f"{self.name} ({self.start_date:%d/%m/%Y})"
        return f"{self.name} ({self.start_date:%d/%m} – {self.end_date:%d/%m/%Y})"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.")}
            )
        if self.start_date and self.end_date:
            if (self.end_date - self.start_date).days > 31:
                raise ValidationError(
                    {"end_date": _("Một đợt nghỉ không quá 31 ngày.")}
                )


class PeriodKeyMixin(models.Model):
    """A template and one of its periods, chosen by key ("2026-W48", "2026-11")."""

    page = models.ForeignKey(
        "forms_app.ReportTemplatePage",
        verbose_name=_("mẫu báo cáo"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    period = models.CharField(
        _("kỳ báo cáo"),
        max_length=20,
        help_text=_(
            "Mã kỳ: tuần 2026-W48, tháng 2026-11, quý 2026-Q4, năm 2026 (theo loại "
            "kỳ của mẫu báo cáo)."
        ),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if not self.page_id or not self.period:
            return
        page = self.page
        if not periods.is_scheduled(page.period_type):
            raise ValidationError({"page": _("Mẫu báo cáo này không báo cáo theo kỳ.")})
        try:
            period_type, period = periods.period_from_key(self.period.strip())
        except ValueError:
            period_type = None
        if period_type != page.period_type:
            raise ValidationError(
                {
                    "period": _(
                        "“%(key)s” không phải mã kỳ %(type)s (ví dụ: %(example)s)."
                    )
                    % {
                        "key": self.period,
                        "type": page.get_period_type_display().lower(),
                        "example": periods.period_for(page.period_type).key,
                    }
                }
            )
        self.period = period.key

    @property
    def period_label(self):
        return periods.label_of_key(self.period)


class DeadlineOverride(PeriodKeyMixin):
    """One period's deadline moved by the Board (a holiday week, an event)."""

    deadline = models.DateTimeField(_("hạn nộp mới"))
    reason = models.CharField(_("lý do"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người điều chỉnh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        ordering = ["-period"]
        verbose_name = _("điều chỉnh hạn nộp")
        verbose_name_plural = _("điều chỉnh hạn nộp")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "period"], name="one_deadline_override_per_period"
            )
        ]

    def __str__(self):
        return f"{self.page} · {self.period}"


class Excusal(PeriodKeyMixin):
    """A unit excused from one period's report, with the Board's reason."""

    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.CASCADE,
        related_name="excusals",
    )
    reason = models.CharField(_("lý do miễn"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cho miễn"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        ordering = ["-period", "unit__name"]
        verbose_name = _("miễn nộp báo cáo")
        verbose_name_plural = _("miễn nộp báo cáo")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "unit", "period"], name="one_excusal_per_obligation"
            )
        ]

    def __str__(self):
        return f"{self.unit} · {self.page} · {self.period}"


from auditlog.registry import auditlog  # noqa: E402

auditlog.register(Holiday)
auditlog.register(DeadlineOverride)
auditlog.register(Excusal)
