from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from security.rq_admin import admin_urls, rq_urls
from workflows.unit_page import LoginView
from workflows.wagtail_views import report_urlpatterns

urlpatterns = [
    # Wagtail's login, leading reporters to their unit's page (workflows).
    path("admin/login/", LoginView.as_view(), name="wagtailadmin_login"),
    # Wagtail's workflow reports, narrowed by the access policy, in front of
    # the admin's own at the same paths (workflows.wagtail_views).
    path("admin/reports/", include(report_urlpatterns())),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # The RQ dashboard, superusers only (security.rq_admin).
    path("django-rq/", rq_urls()),
    admin_urls(),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

urlpatterns += [
    path("", include("forms_app.urls")),
    path("", include("workflows.urls")),
    path("", include(wagtail_urls)),
]
