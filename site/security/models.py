"""The access audit: who saw, downloaded, opened or revealed what, and every
refusal, with the client's address (Art. 3.2, 7.1.5).

Rows are written by `security.audit.record` only; the admin lists and filters
them, and nobody edits or deletes them there (security.wagtail_hooks).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessEvent(models.Model):
    class Kind(models.TextChoices):
        VIEW = "view", _("Xem báo cáo có độ mật")
        DOWNLOAD = "download", _("Tải tệp xuất")
        ATTACHMENT = "attachment", _("Mở tệp đính kèm")
        REVEAL = "reveal", _("Xem danh tính nguồn tin")
        RECLASSIFY = "reclassify", _("Đổi độ mật")
        REFUSED = "refused", _("Bị từ chối truy cập")

    kind = models.CharField(
        _("loại truy cập"), max_length=12, choices=Kind.choices, db_index=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người truy cập"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # What was reached, by type and id only: a label would copy classified
    # titles and names into a table read by others (the id is looked up
    # through the access policy when shown).
    object_type = models.CharField(_("đối tượng"), max_length=60, blank=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=40, blank=True)
    classification = models.PositiveSmallIntegerField(_("độ mật"), default=0)
    path = models.CharField(_("địa chỉ trang"), max_length=300, blank=True)
    method = models.CharField(_("phương thức"), max_length=8, blank=True)
    client_address = models.GenericIPAddressField(
        _("địa chỉ máy truy cập"), null=True, blank=True
    )
    reason = models.TextField(_("lý do"), blank=True)
    status = models.PositiveSmallIntegerField(_("mã kết quả"), null=True, blank=True)
    timestamp = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-timestamp", "-pk"]
        verbose_name = _("nhật ký truy cập")
        verbose_name_plural = _("nhật ký truy cập")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.timestamp:%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Access audit entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Access audit entries are never deleted.")


class UserSession(models.Model):
    """Which sessions a user holds, so that deactivating them ends them all
    (Django's session table cannot be searched by user)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    session_key = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "session_key"], name="one_row_per_user_session"
            )
        ]
        # Given to roles (units.roles) or to any group in Wagtail's group admin.
        permissions = [
            ("require_two_factor", _("Phải đăng nhập bằng xác thực hai bước")),
        ]

    def __str__(self):
        return f"{self.user_id} · {self.created_at:%d/%m/%Y %H:%M}"
