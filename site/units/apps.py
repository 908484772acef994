from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Đơn vị và cán bộ")

    def ready(self):
        # Django's place for receivers: they import models, loaded only now.
        from . import signals  # noqa: F401, PLC0415
