from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The Board keeps the digest schedules ("Lịch tổng hợp").
SCHEDULE_PERMISSIONS = [
    "exports.add_digestschedule",
    "exports.change_digestschedule",
    "exports.delete_digestschedule",
    "exports.view_digestschedule",
]


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = _("Xuất Excel")

    def ready(self):
        # units.roles keeps each role's permissions; apps add their own here.
        # units.roles imports auth models, which are not loaded when apps.py is.
        from units.roles import BOARD_ROLES, ROLE_PERMISSIONS  # noqa: PLC0415

        for role in BOARD_ROLES:
            granted = ROLE_PERMISSIONS[role]
            granted.extend(p for p in SCHEDULE_PERMISSIONS if p not in granted)
