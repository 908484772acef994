"""Importing units and people from Excel (Art. 1.2): what each row means.

Rows are upserted by a stable key (a unit's code; a person's username and unit),
so the same sheet can be imported again and changes nothing. A blank optional cell
keeps what is stored, as upsert_person does for people. Reading, checking and the
all-or-nothing save are in sheets.py.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import KINDS_BY_LEVEL, Clearance, Level, Role, UnitKind
from .identity import reveal
from .models import Commune, Membership, Unit
from .people import _split_name, upsert_person
from .roles import ROLE_GROUP_NAMES, role_error
from .sheets import Column, ImportResult, RowError, SheetImporter, choice_lookup

__all__ = [
    "IMPORTERS",
    "ImportResult",
    "PeopleImporter",
    "RowError",
    "UnitImporter",
    "template_workbook",
]


def commune_key(text):
    # Official codes are stored without leading zeros ("4", not "00004").
    return str(int(text)) if text.isdigit() else text


def short_role_name(role):
    """ "Cộng tác viên" from the group "DLXH · Cộng tác viên": what people type."""
    return ROLE_GROUP_NAMES[role].split("·")[-1].strip()


class RegistryImporter(SheetImporter):
    """The registry's sheets share one guide: every kind, level, role, clearance."""

    @classmethod
    def guide_lines(cls):
        yield from super().guide_lines()
        yield from vocabulary_lines()


@dataclass
class UnitRow:
    row: int
    code: str
    name: str
    kind: str
    level: str
    commune: Commune | None
    parent_code: str


class UnitImporter(RegistryImporter):
    sheet_title = gettext_lazy("Đơn vị")
    columns = (
        Column("ma_don_vi", gettext_lazy("Mã đơn vị"), True, "X24175-MTTQ", 40, 16),
        Column(
            "ten_don_vi",
            gettext_lazy("Tên đơn vị"),
            True,
            "Ủy ban Mặt trận Tổ quốc Việt Nam xã Hòa Phú",
            255,
            48,
        ),
        Column("loai", gettext_lazy("Loại đơn vị"), True, "Mặt trận Tổ quốc", None, 30),
        Column("cap", gettext_lazy("Cấp"), True, "Cấp xã", None, 12),
        Column("ma_xa", gettext_lazy("Mã xã, phường"), False, "24175", None, 16),
        Column(
            "ma_don_vi_cap_tren", gettext_lazy("Mã đơn vị cấp trên"), False, "X24175-DU"
        ),
    )

    def __init__(self):
        super().__init__()
        self.kinds = choice_lookup(UnitKind.choices)
        self.levels = choice_lookup(
            Level.choices, {"tỉnh": Level.PROVINCE, "xã": Level.COMMUNE}
        )

    def prepare(self, rows):
        sheet_codes = {values["ma_don_vi"] for _row, values in rows}
        codes = sheet_codes | {v.get("ma_don_vi_cap_tren", "") for _r, v in rows}
        units = Unit.objects.select_related("parent").filter(code__in=codes)
        self.units = {unit.code: unit for unit in units}
        self.known_codes = sheet_codes | set(self.units)
        communes = {commune_key(values.get("ma_xa", "")) for _row, values in rows}
        self.communes = {c.code: c for c in Commune.objects.filter(code__in=communes)}

    def clean_row(self, row, values):
        errors = len(self.result.errors)
        code = self.value(row, values, "ma_don_vi")
        name = self.value(row, values, "ten_don_vi")
        kind_error = _("Không có loại đơn vị “%(value)s”; xem trang Hướng dẫn.")
        kind = self.choice(row, values, "loai", self.kinds, kind_error)
        level_error = _("Không có cấp “%(value)s”; dùng Cấp tỉnh hoặc Cấp xã.")
        level = self.choice(row, values, "cap", self.levels, level_error)
        if kind and level and kind not in KINDS_BY_LEVEL[level]:
            self.error(
                row,
                "loai",
                _("Loại đơn vị “%(kind)s” không có ở %(level)s."),
                kind=UnitKind(kind).label,
                level=str(Level(level).label).lower(),
            )
        commune_code = self.value(row, values, "ma_xa")
        commune = self.communes.get(commune_key(commune_code))
        if level == Level.COMMUNE and not commune_code:
            self.error(row, "ma_xa", _("Đơn vị cấp xã phải ghi mã xã, phường."))
        elif level == Level.COMMUNE and commune is None:
            message = _("Không có xã, phường mã “%(code)s”.")
            self.error(row, "ma_xa", message, code=commune_code)
        elif level == Level.PROVINCE and commune_code:
            message = _("Đơn vị cấp tỉnh không thuộc xã, phường nào; để trống ô này.")
            self.error(row, "ma_xa", message)
        parent_code = self.value(row, values, "ma_don_vi_cap_tren")
        if parent_code and parent_code == code:
            message = _("Một đơn vị không thể là cấp trên của chính nó.")
            self.error(row, "ma_don_vi_cap_tren", message)
        elif parent_code and parent_code not in self.known_codes:
            message = _(
                "Không có đơn vị mã “%(code)s” trong hệ thống hay trong bảng tính."
            )
            self.error(row, "ma_don_vi_cap_tren", message, code=parent_code)
        if len(self.result.errors) > errors:
            return None
        return UnitRow(row, code, name, kind, level, commune, parent_code)

    def check_rows(self, records):
        message = _("Mã đơn vị này đã có ở dòng %(row)s.")
        self.duplicates(records, lambda r: r.code, "ma_don_vi", message)
        if not any(record.parent_code for record in records):
            return
        parents = dict(
            Unit.objects.filter(parent__isnull=False).values_list(
                "code", "parent__code"
            )
        )
        parents.update({r.code: r.parent_code for r in records if r.parent_code})
        for record in records:
            seen, node = set(), parents.get(record.code)
            while node and node not in seen and node != record.code:
                seen.add(node)
                node = parents.get(node)
            if node == record.code:
                message = _("Quan hệ cấp trên tạo thành vòng lặp.")
                self.error(record.row, "ma_don_vi_cap_tren", message)

    def save(self, records):
        saved, deferred = {}, []
        for record in records:
            unit, status = self._apply(record)
            self.count(status)
            saved[record.code] = unit
            if status == "unchanged":
                continue
            if record.parent_code:
                parent = saved.get(record.parent_code)
                parent = parent or self.units.get(record.parent_code)
                if parent is None:
                    # The parent is a new unit further down the sheet.
                    deferred.append((unit, record.parent_code))
                else:
                    unit.parent = parent
            unit.save()
        for unit, parent_code in deferred:
            unit.parent = saved[parent_code]
            unit.save()

    def _apply(self, record):
        fields = {
            "name": record.name,
            "kind": record.kind,
            "level": record.level,
            "commune_id": record.commune.pk if record.commune else None,
        }
        unit = self.units.get(record.code)
        if unit is None:
            unit = Unit(code=record.code, **fields)
            unit.commune = record.commune
            return unit, "created"
        changed = any(getattr(unit, name) != value for name, value in fields.items())
        parent_code = unit.parent.code if unit.parent_id else ""
        changed = changed or record.parent_code not in ("", parent_code)
        for name, value in fields.items():
            setattr(unit, name, value)
        unit.commune = record.commune
        return unit, "updated" if changed else "unchanged"


@dataclass
class PersonRow:
    row: int
    username: str
    full_name: str
    email: str
    unit: Unit
    role: str
    clearance: int | None
    title: str
    phone: str


# Fields of the person rather than of the membership: rows of one username agree.
PERSON_FIELDS = {
    "full_name": "ho_ten",
    "email": "email",
    "clearance": "muc_do_tiep_can",
    "title": "chuc_vu",
    "phone": "so_dien_thoai",
}


class PeopleImporter(RegistryImporter):
    sheet_title = gettext_lazy("Cán bộ")
    columns = (
        Column("ten_dang_nhap", gettext_lazy("Tên đăng nhập"), True, "nguyen.van.an"),
        Column("ho_ten", gettext_lazy("Họ và tên"), True, "Nguyễn Văn An", 150, 28),
        Column("email", gettext_lazy("Email"), False, "an.nv@example.vn", 254, 28),
        Column("ma_don_vi", gettext_lazy("Mã đơn vị"), True, "X24175-UBND", 40, 16),
        Column("vai_tro", gettext_lazy("Vai trò"), True, "Cán bộ báo cáo", None, 30),
        Column("muc_do_tiep_can", gettext_lazy("Mức độ tiếp cận"), False, "Thường"),
        Column("chuc_vu", gettext_lazy("Chức vụ"), False, "Chuyên viên", 150),
        Column("so_dien_thoai", gettext_lazy("Số điện thoại"), False, "0912345678", 20),
    )

    def __init__(self):
        super().__init__()
        short_names = {short_role_name(role): role for role in Role}
        self.roles = choice_lookup(Role.choices, short_names)
        self.clearances = choice_lookup(Clearance.choices)

    def prepare(self, rows):
        codes = {values["ma_don_vi"] for _row, values in rows}
        self.units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
        usernames = {values["ten_dang_nhap"] for _row, values in rows}
        users = get_user_model().objects.filter(username__in=usernames)
        self.users = {user.username: user for user in users}
        memberships = Membership.objects.filter(user__username__in=usernames)
        memberships = memberships.select_related(
            "user", "user__dlxh_profile", "user__protected_identity"
        )
        self.memberships = {(m.user.username, m.unit_id): m for m in memberships}

    def clean_row(self, row, values):
        errors = len(self.result.errors)
        username = self.value(row, values, "ten_dang_nhap")
        try:
            username and get_user_model().username_validator(username)
        except ValidationError:
            message = _(
                "Tên đăng nhập “%(value)s” không hợp lệ: chỉ dùng chữ, số và các ký "
                "tự @ . + - _ (không có dấu cách)."
            )
            self.error(row, "ten_dang_nhap", message, value=username)
        full_name = self.value(row, values, "ho_ten")
        email = self.value(row, values, "email")
        try:
            email and validate_email(email)
        except ValidationError:
            self.error(row, "email", _("Email “%(value)s” không hợp lệ."), value=email)
        unit_code = self.value(row, values, "ma_don_vi")
        unit = self.units.get(unit_code)
        if unit_code and unit is None:
            message = _("Không có đơn vị mã “%(code)s”; hãy nhập đơn vị trước.")
            self.error(row, "ma_don_vi", message, code=unit_code)
        elif unit and not unit.is_active:
            message = _("Đơn vị “%(unit)s” đã ngừng hoạt động.")
            self.error(row, "ma_don_vi", message, unit=unit)
        role_message = _("Không có vai trò “%(value)s”; xem trang Hướng dẫn.")
        role = self.choice(row, values, "vai_tro", self.roles, role_message)
        reason = role and unit and role_error(role, unit)
        if reason:
            message = _("Vai trò “%(role)s” không dùng được ở “%(unit)s”: %(reason)s")
            role_label = Role(role).label
            self.error(
                row, "vai_tro", message, role=role_label, unit=unit, reason=reason
            )
        clearance_message = _(
            "Không có mức độ tiếp cận “%(value)s”; dùng Thường, Mật hoặc Tối mật."
        )
        clearance = self.choice(
            row, values, "muc_do_tiep_can", self.clearances, clearance_message
        )
        title = self.value(row, values, "chuc_vu")
        phone = self.value(row, values, "so_dien_thoai")
        if phone.isdigit() and len(phone) == 9:
            # A phone typed as a number loses its leading zero in Excel.
            phone = "0" + phone
        email = self._check_account(row, username, email)
        if len(self.result.errors) > errors:
            return None
        return PersonRow(
            row, username, full_name, email, unit, role, clearance, title, phone
        )

    def _check_account(self, row, username, email):
        user = self.users.get(username)
        if user is None:
            return email
        if user.is_superuser:
            message = _("Không nhập được tài khoản quản trị hệ thống “%(value)s”.")
            self.error(row, "ten_dang_nhap", message, value=username)
        elif email and user.email and email.lower() != user.email.lower():
            # An import must not move an account to another mailbox: with a password
            # reset, that would hand the account to whoever owns the new address.
            message = _(
                "Tài khoản “%(value)s” đã có email khác; đổi email trong trang "
                "quản trị người dùng."
            )
            self.error(row, "email", message, value=username)
        return user.email if email else email

    def check_rows(self, records):
        message = _("Cán bộ này đã được phân công vào đơn vị này ở dòng %(row)s.")
        self.duplicates(
            records, lambda r: (r.username, r.unit.pk), "ten_dang_nhap", message
        )
        first = {}
        for record in records:
            other = first.setdefault(record.username, record)
            for attribute, key in PERSON_FIELDS.items():
                mine, theirs = getattr(record, attribute), getattr(other, attribute)
                if "" not in (mine, theirs) and None not in (mine, theirs):
                    if mine != theirs:
                        message = _("Khác với dòng %(row)s của cùng tên đăng nhập.")
                        self.error(record.row, key, message, row=other.row)

    def save(self, records):
        for record in records:
            status = self._status(record)
            self.count(status)
            if status != "unchanged":
                upsert_person(
                    username=record.username,
                    full_name=record.full_name,
                    email=record.email,
                    unit=record.unit,
                    role=record.role,
                    clearance=record.clearance,
                    title=record.title,
                    phone=record.phone,
                )

    def _status(self, record):
        """What upsert_person would do, so an unchanged row is not saved again."""
        membership = self.memberships.get((record.username, record.unit.pk))
        if membership is None:
            return "created"
        user = membership.user
        profile = getattr(user, "dlxh_profile", None)
        if profile is None:
            return "updated"
        first_name, last_name = _split_name(record.full_name)
        wanted = [
            (membership.role, record.role),
            (membership.is_active, True),
            (profile.clearance, record.clearance),
            (profile.title, record.title),
        ]
        identity = getattr(user, "protected_identity", None)
        if identity is not None:
            # Compared, never shown: the sheet already holds these values.
            known = reveal(identity)
            wanted += [
                (known["full_name"], record.full_name),
                (known["email"], record.email),
                (known["phone"], record.phone),
            ]
        else:
            wanted += [
                (user.first_name, first_name),
                (user.last_name, last_name),
                (user.email, record.email),
                (profile.phone, record.phone),
            ]
        changed = any(new not in ("", None) and old != new for old, new in wanted)
        return "updated" if changed else "unchanged"


def vocabulary_lines():
    yield []
    yield [_("Loại đơn vị"), _("Có ở cấp"), _("Mã loại")]
    for kind in UnitKind:
        levels = [str(level.label) for level in Level if kind in KINDS_BY_LEVEL[level]]
        yield [str(kind.label), ", ".join(levels), kind.value]
    yield []
    yield [_("Cấp"), _("Cách ghi khác"), _("Mã cấp")]
    yield [str(Level.PROVINCE.label), _("tỉnh"), Level.PROVINCE.value]
    yield [
        str(Level.COMMUNE.label),
        _("xã (ghi cả mã xã, phường)"),
        Level.COMMUNE.value,
    ]
    yield []
    yield [_("Vai trò"), _("Cách ghi ngắn"), _("Mã vai trò")]
    for role in Role:
        yield [str(role.label), short_role_name(role), role.value]
    yield []
    yield [_("Mức độ tiếp cận"), _("Cách ghi khác")]
    for clearance in Clearance:
        yield [str(clearance.label), str(clearance.value)]


IMPORTERS = {"units": UnitImporter, "people": PeopleImporter}


def template_workbook(kind):
    """The empty sheet offered for download: headers, one example row, a guide."""
    return IMPORTERS[kind].template_workbook()
