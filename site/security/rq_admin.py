"""django-rq's dashboard, for superusers only.

Its views and templates are built on Django's admin (admin.site's context, the
`admin:` URL names), so the admin is installed without autodiscovery
(security.apps.OperatorsAdminConfig) and this site, mounted at
/django-admin/, admits superusers only; signing in goes through Wagtail's login
(with its throttling and two-factor step).
"""

from functools import wraps

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import include, path
from django_rq.urls import get_admin_urlpatterns, get_api_urlpatterns


class SuperuserAdminSite(admin.AdminSite):
    site_header = "DLXH · vận hành"
    site_title = "DLXH · vận hành"
    index_title = "Hàng đợi công việc"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def login(self, request, extra_context=None):
        return redirect_to_login(
            request.GET.get("next", request.get_full_path()), "wagtailadmin_login"
        )

    def index(self, request, extra_context=None):
        return redirect("django_rq:home")


def superuser_only(view):
    """Anonymous: to the login page; signed in but not a superuser: 403.

    django-rq lets any `is_staff` user in, and its stats.json also answers to
    staff; here only superusers (API tokens are not offered).
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), "wagtailadmin_login")
        if not (request.user.is_active and request.user.is_superuser):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def rq_urls():
    patterns = get_api_urlpatterns() + get_admin_urlpatterns()
    for pattern in patterns:
        pattern.callback = superuser_only(pattern.callback)
    return include((patterns, "django_rq"), namespace="django_rq")


def admin_urls():
    return path("django-admin/", admin.site.urls)
