"""The Board's sharing rules: who reads more than their unit-scoped share."""

from auditlog.registry import auditlog
from django.db import models
from django.utils.translation import gettext_lazy as _

from units.choices import Clearance, Level, UnitKind


class SharingRule(models.Model):
    """Sharing beyond unit-scoped visibility (Art. 6.1.4): the Board sets who
    (units of a level and kind) reads the submissions of which other units."""

    name = models.CharField(_("tên quy tắc"), max_length=200)
    target_level = models.CharField(
        _("đơn vị được xem: cấp"), max_length=10, choices=Level.choices, blank=True
    )
    target_kind = models.CharField(
        _("đơn vị được xem: loại"), max_length=30, choices=UnitKind.choices, blank=True
    )
    source_level = models.CharField(
        _("báo cáo của đơn vị: cấp"), max_length=10, choices=Level.choices, blank=True
    )
    source_kind = models.CharField(
        _("báo cáo của đơn vị: loại"),
        max_length=30,
        choices=UnitKind.choices,
        blank=True,
    )
    same_commune_only = models.BooleanField(
        _("chỉ trong cùng xã, phường"),
        default=True,
        help_text=_("Với đơn vị cấp xã: chỉ xem báo cáo của các đơn vị cùng địa bàn."),
    )
    max_classification = models.PositiveSmallIntegerField(
        _("độ mật tối đa được chia sẻ"), choices=Clearance.choices, default=0
    )
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("quy tắc chia sẻ")
        verbose_name_plural = _("quy tắc chia sẻ")

    def __str__(self):
        return self.name

    def applies_to(self, unit):
        return (not self.target_level or unit.level == self.target_level) and (
            not self.target_kind or unit.kind == self.target_kind
        )


# Who changed which rule, with before/after (django-auditlog).
auditlog.register(SharingRule)
