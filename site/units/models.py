from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import KINDS_BY_LEVEL, Clearance, DivisionType, Level, Role, UnitKind
from .roles import role_error
from .text import fold, normalize_name


class Commune(models.Model):
    """A commune, ward or special zone, with its official code (vietnam-provinces)."""

    code = models.CharField(_("mã"), max_length=10, unique=True)
    name = models.CharField(_("tên"), max_length=150)
    division_type = models.CharField(
        _("loại đơn vị hành chính"), max_length=10, choices=DivisionType.choices
    )
    province_code = models.PositiveSmallIntegerField(_("mã tỉnh"), db_index=True)
    search_text = models.CharField(
        _("chuỗi tìm kiếm"), max_length=300, editable=False, db_index=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("xã, phường")
        verbose_name_plural = _("xã, phường")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalize()
        super().save(*args, **kwargs)

    def normalize(self):
        self.name = normalize_name(self.name)
        self.search_text = fold(f"{self.name} {self.code}")


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def of_commune(self, commune):
        return self.filter(commune=commune)

    def board(self):
        return self.filter(kind=UnitKind.BOARD, level=Level.PROVINCE)


class Unit(models.Model):
    """An organisation that provides or uses DLXH information (Art. 1.2)."""

    code = models.CharField(
        _("mã đơn vị"),
        max_length=40,
        unique=True,
        help_text=_("Mã cố định, dùng khi nhập dữ liệu từ Excel và trong báo cáo."),
    )
    name = models.CharField(_("tên đơn vị"), max_length=255)
    kind = models.CharField(
        _("loại đơn vị"), max_length=30, choices=UnitKind.choices, db_index=True
    )
    level = models.CharField(
        _("cấp"), max_length=10, choices=Level.choices, db_index=True
    )
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("xã, phường"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    search_text = models.CharField(
        _("chuỗi tìm kiếm"), max_length=600, editable=False, db_index=True
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["level", "commune__name", "name"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        constraints = [
            models.CheckConstraint(
                name="unit_commune_matches_level",
                condition=(
                    models.Q(level=Level.PROVINCE, commune__isnull=True)
                    | models.Q(level=Level.COMMUNE, commune__isnull=False)
                ),
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalize()
        super().save(*args, **kwargs)

    def normalize(self):
        """Tidy the name and refresh the search copy (bulk_create skips save())."""
        self.name = normalize_name(self.name)
        commune_name = self.commune.name if self.commune_id else ""
        self.search_text = fold(f"{self.name} {self.code} {commune_name}")

    def clean(self):
        errors = {}
        if self.level == Level.COMMUNE and not self.commune_id:
            errors["commune"] = _("Đơn vị cấp xã phải thuộc một xã, phường.")
        if self.level == Level.PROVINCE and self.commune_id:
            errors["commune"] = _("Đơn vị cấp tỉnh không thuộc xã, phường nào.")
        if self.level and self.kind and self.kind not in KINDS_BY_LEVEL[self.level]:
            errors["kind"] = _("Loại đơn vị “%(kind)s” không có ở %(level)s.") % {
                "kind": self.get_kind_display(),
                "level": self.get_level_display().lower(),
            }
        if self.parent_id:
            if self.parent_id == self.pk:
                errors["parent"] = _("Một đơn vị không thể là cấp trên của chính nó.")
            elif self._parent_chain_contains_self():
                errors["parent"] = _("Quan hệ cấp trên tạo thành vòng lặp.")
        if errors:
            raise ValidationError(errors)

    def _parent_chain_contains_self(self):
        seen = set()
        node = self.parent
        while node is not None and node.pk not in seen:
            if self.pk and node.pk == self.pk:
                return True
            seen.add(node.pk)
            node = node.parent
        return False


class UserProfile(models.Model):
    """What the platform knows of a person beyond the login: clearance, title."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dlxh_profile"
    )
    clearance = models.PositiveSmallIntegerField(
        _("mức độ được tiếp cận"),
        choices=Clearance.choices,
        default=Clearance.NORMAL,
        help_text=_("Mức độ mật cao nhất người này được đọc."),
    )
    title = models.CharField(_("chức vụ"), max_length=150, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("hồ sơ cán bộ")
        verbose_name_plural = _("hồ sơ cán bộ")

    def __str__(self):
        return person_label(self.user)


class ProtectedIdentity(models.Model):
    """Who a protected person is (a collaborator, Art. 7.1.5), encrypted.

    Name, e-mail and phone are encrypted with DLXH_IDENTITY_KEYS, never with
    SECRET_KEY (security.crypto); the user row keeps only the pseudonym, which
    every screen, export, notification and audit entry shows instead. Only
    holders of `units.reveal_identity` may see the rest, giving a reason, and
    each time is recorded (units.views.reveal_identity).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="protected_identity",
    )
    full_name = models.TextField(_("họ tên (mã hóa)"), blank=True)
    email = models.TextField(_("thư điện tử (mã hóa)"), blank=True)
    phone = models.TextField(_("số điện thoại (mã hóa)"), blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("danh tính được bảo vệ")
        verbose_name_plural = _("danh tính được bảo vệ")
        permissions = [
            ("reveal_identity", _("Xem danh tính nguồn tin được bảo vệ")),
        ]

    def __str__(self):
        return self.pseudonym

    @property
    def pseudonym(self):
        return pseudonym_for(self.pk)


def pseudonym_for(number):
    return f"CTV-{number:04d}"


def person_label(user):
    """How a person is shown: the pseudonym of a protected person, else the
    full name (family name first), else the login."""
    if user is None:
        return ""
    identity = getattr(user, "protected_identity", None) if user.pk else None
    if identity is not None:
        return identity.pseudonym
    full_name = f"{user.last_name} {user.first_name}".strip()
    return full_name or user.get_username()


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, unit__is_active=True)

    def for_user(self, user):
        return self.active().filter(user=user).select_related("unit", "unit__commune")


class Membership(models.Model):
    """A person works for a unit in one role; a person may serve several units."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    is_active = models.BooleanField(_("đang hiệu lực"), default=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["unit__name", "user__username"]
        verbose_name = _("phân công cán bộ")
        verbose_name_plural = _("phân công cán bộ")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit"], name="one_membership_per_user_and_unit"
            )
        ]

    def __str__(self):
        if self.role == Role.COLLABORATOR and not hasattr(
            self.user, "protected_identity"
        ):
            # Not yet given a pseudonym (it is, as this row is saved): no name.
            person = _("Cộng tác viên")
        else:
            person = person_label(self.user)
        return f"{person} · {self.unit} · {self.get_role_display()}"

    @property
    def person(self):
        return person_label(self.user)

    def clean(self):
        if self.unit_id and self.role:
            message = role_error(self.role, self.unit)
            if message:
                raise ValidationError({"role": message})


# Every change to the registry is kept with who made it (django-auditlog).
from auditlog.registry import auditlog  # noqa: E402

auditlog.register(Commune)
auditlog.register(Unit)
auditlog.register(Membership)
# Phone numbers never go into the audit log (protected persons' are not even
# in the profile: units.identity).
auditlog.register(UserProfile, exclude_fields=["phone"])
