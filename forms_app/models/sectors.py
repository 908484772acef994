from django.db import models
from django.utils.translation import gettext_lazy as _

from forms_app.keys import key_from_label


class Sector(models.Model):
    """A sector (lĩnh vực) of public opinion; the Board keeps the list in the admin."""

    name = models.CharField(_("tên lĩnh vực"), max_length=150, unique=True)
    key = models.SlugField(
        _("mã"),
        max_length=64,
        unique=True,
        blank=True,
        help_text=_("Tự sinh từ tên; giữ nguyên khi đổi tên để số liệu cũ không đổi."),
    )
    is_active = models.BooleanField(_("đang dùng"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.key:
            self.key = key_from_label(self.name, "linh_vuc")
        super().save(*args, **kwargs)
