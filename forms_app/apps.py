from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.translation import gettext_lazy as _

# The Board keeps the reporting calendar ("Lịch báo cáo"); leadership viewers
# and reviewers read it through the calendar's screens, not these.
CALENDAR_PERMISSIONS = [
    f"forms_app.{action}_{model}"
    for model in ("holiday", "deadlineoverride", "excusal")
    for action in ("add", "change", "delete", "view")
]


class FormsAppConfig(AppConfig):
    name = "forms_app"
    verbose_name = _("Biểu mẫu báo cáo và phiếu khảo sát")

    def ready(self):
        # The models exist only once the app registry is ready.
        from units.roles import BOARD_ROLES, ROLE_PERMISSIONS  # noqa: PLC0415

        from . import deadlines  # noqa: PLC0415
        from .models import DeadlineOverride, Holiday  # noqa: PLC0415

        pre_save.connect(deadlines.holiday_changing, sender=Holiday)
        post_save.connect(deadlines.holiday_changed, sender=Holiday)
        post_delete.connect(deadlines.holiday_changed, sender=Holiday)
        post_save.connect(deadlines.deadline_moved, sender=DeadlineOverride)
        post_delete.connect(deadlines.deadline_moved, sender=DeadlineOverride)

        for role in BOARD_ROLES:
            granted = ROLE_PERMISSIONS[role]
            granted.extend(p for p in CALENDAR_PERMISSIONS if p not in granted)
