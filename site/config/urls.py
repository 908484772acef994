from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from workflows.unit_page import LoginView

urlpatterns = [
    # Wagtail's login, leading reporters to their unit's page (workflows).
    path("admin/login/", LoginView.as_view(), name="wagtailadmin_login"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("django-rq/", include("django_rq.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

urlpatterns += [
    path("", include("forms_app.urls")),
    path("", include("workflows.urls")),
    path("", include(wagtail_urls)),
]
