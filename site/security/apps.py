from django.apps import AppConfig
from django.contrib.admin.apps import SimpleAdminConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    # Two configs live in this module: this one is the app's.
    default = True
    name = "security"
    verbose_name = _("Bảo mật")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Django's place for receivers: they import models, loaded only now.
        from . import sessions  # noqa: F401, PLC0415
        from .uploads import allowed_extensions  # noqa: PLC0415

        # A misconfigured allow-list (SVG, HTML) stops start-up, not an upload.
        allowed_extensions()


class OperatorsAdminConfig(SimpleAdminConfig):
    """Django's admin, only for django-rq's dashboard (its templates need it).

    SimpleAdminConfig does not autodiscover: no model of any app is registered,
    so this admin holds nothing but the queues, and only superusers enter.
    """

    default = False
    default_site = "security.rq_admin.SuperuserAdminSite"
