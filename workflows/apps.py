from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Quy trình xử lý")

    def ready(self):
        # Django's place for receivers: they import models, loaded only now.
        from . import receivers, routing  # noqa: F401, PLC0415
        from .wagtail_mail import replace_wagtail_notifiers  # noqa: PLC0415

        replace_wagtail_notifiers()
