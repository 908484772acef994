"""Role rules: who may hold which role in which unit, and what each role may do.

Each role is mirrored by a Django group, so Wagtail's own permission checks (menu
items, ViewSets, page permissions of later apps) work without special cases. A
user's groups follow their active memberships; groups are never edited by hand.
"""

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext as _

from .choices import Level, Role, UnitKind

ROLE_GROUP_NAMES = {
    Role.BOARD_STAFF: "DLXH · Chuyên viên Ban",
    Role.BOARD_LEADER: "DLXH · Lãnh đạo Ban",
    Role.REPORTER: "DLXH · Cán bộ báo cáo",
    Role.COMMUNE_REVIEWER: "DLXH · Thẩm định cấp xã",
    Role.COLLABORATOR: "DLXH · Cộng tác viên",
    Role.LEADERSHIP_VIEWER: "DLXH · Lãnh đạo theo dõi",
}

_REGISTRY_ADMIN = [
    "units.add_unit",
    "units.change_unit",
    "units.view_unit",
    "units.add_commune",
    "units.change_commune",
    "units.view_commune",
    "units.add_membership",
    "units.change_membership",
    "units.delete_membership",
    "units.view_membership",
    "units.change_userprofile",
    "units.view_userprofile",
]

# No delete: submissions keep the sector's key, so a sector is retired by
# unticking "đang dùng" and old answers still show its name.
_SECTOR_ADMIN = [
    "forms_app.add_sector",
    "forms_app.change_sector",
    "forms_app.view_sector",
]

# Submissions: the model permission opens the screens; which submissions a
# person sees and what they may do is decided per object by forms_app.access
# and the workflow tasks.
_SUBMISSIONS = ["forms_app.view_formsubmission", "forms_app.change_formsubmission"]
_EXPORTS = ["exports.add_exportjob", "exports.view_exportjob"]
_SHARING_ADMIN = [
    "forms_app.add_sharingrule",
    "forms_app.change_sharingrule",
    "forms_app.view_sharingrule",
]

# Board and reviewer accounts sign in with a second factor (security.two_factor).
_TWO_FACTOR = ["security.require_two_factor"]

# Permissions per role, as "app_label.codename". Later apps extend this mapping
# with their own permissions (see their apps.py). Editing and publishing form
# pages are page permissions, given on the forms index by forms_app's 0002
# migration, not model permissions.
ROLE_PERMISSIONS = {
    Role.BOARD_STAFF: [
        "wagtailadmin.access_admin",
        *_REGISTRY_ADMIN,
        *_SECTOR_ADMIN,
        *_SUBMISSIONS,
        *_EXPORTS,
        *_SHARING_ADMIN,
        *_TWO_FACTOR,
    ],
    # Board leaders also read the access audit and may reveal a protected
    # source (Art. 7.1.5); the Board may give either to another group in
    # Wagtail's group editor.
    Role.BOARD_LEADER: [
        "wagtailadmin.access_admin",
        *_REGISTRY_ADMIN,
        *_SECTOR_ADMIN,
        *_SUBMISSIONS,
        *_EXPORTS,
        *_SHARING_ADMIN,
        *_TWO_FACTOR,
        "security.view_accessevent",
        "units.reveal_identity",
    ],
    Role.REPORTER: ["wagtailadmin.access_admin", "units.view_unit", *_SUBMISSIONS],
    Role.COMMUNE_REVIEWER: [
        "wagtailadmin.access_admin",
        "units.view_unit",
        *_SUBMISSIONS,
        *_EXPORTS,
        *_TWO_FACTOR,
    ],
    Role.COLLABORATOR: ["wagtailadmin.access_admin", *_SUBMISSIONS],
    Role.LEADERSHIP_VIEWER: [
        "wagtailadmin.access_admin",
        "units.view_unit",
        "units.view_commune",
        "forms_app.view_formsubmission",
        *_EXPORTS,
    ],
}

BOARD_ROLES = {Role.BOARD_STAFF, Role.BOARD_LEADER}


def role_error(role, unit):
    """The reason `role` cannot be held in `unit`, or None when it can."""
    if role in BOARD_ROLES and unit.kind != UnitKind.BOARD:
        return _("Vai trò này chỉ dành cho cán bộ Ban Tuyên giáo và Dân vận.")
    if role == Role.COMMUNE_REVIEWER and not (
        unit.kind == UnitKind.PARTY_BUILDING and unit.level == Level.COMMUNE
    ):
        return _("Cán bộ thẩm định cấp xã phải thuộc Ban Xây dựng Đảng của xã, phường.")
    if role == Role.COLLABORATOR and unit.kind != UnitKind.COLLABORATORS:
        return _("Cộng tác viên phải thuộc đơn vị cộng tác viên dư luận xã hội.")
    if role == Role.LEADERSHIP_VIEWER and unit.level != Level.PROVINCE:
        return _("Vai trò lãnh đạo theo dõi chỉ có ở cấp tỉnh.")
    return None


def _permissions(names):
    wanted = {tuple(name.split(".", 1)) for name in names}
    perms = Permission.objects.filter(
        content_type__app_label__in={app for app, _codename in wanted}
    ).select_related("content_type")
    return [p for p in perms if (p.content_type.app_label, p.codename) in wanted]


def sync_role_groups():
    """Create the role groups and give them exactly their permissions."""
    for role, group_name in ROLE_GROUP_NAMES.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        group.permissions.set(_permissions(ROLE_PERMISSIONS[role]))


def sync_user_groups(user):
    """Put the user in their active memberships' role groups, and no other."""
    roles = set(user.memberships.active().values_list("role", flat=True))
    role_groups = Group.objects.filter(name__in=ROLE_GROUP_NAMES.values())
    wanted = [g for g in role_groups if g.name in {ROLE_GROUP_NAMES[r] for r in roles}]
    user.groups.remove(*[g for g in role_groups if g not in wanted])
    user.groups.add(*wanted)
