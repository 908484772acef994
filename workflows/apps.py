from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Quy trình xử lý")

    def ready(self):
        from . import receivers, routing  # noqa: F401
        from .wagtail_mail import replace_wagtail_notifiers

        replace_wagtail_notifiers()
