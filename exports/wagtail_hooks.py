from urllib.parse import urlencode

from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button, HeaderButton

from forms_app.models.pages import AbstractDlxhFormPage, SurveyPage

from . import views
from .access import may_export, may_follow_exports
from .digest_views import DigestPickerView
from .schedule_admin import DigestScheduleViewSet


@hooks.register("register_admin_urls")
def register_export_urls():
    urls = [
        path("", views.JobListView.as_view(), name="list"),
        path("status/", views.job_status, name="status"),
        path("start/<slug:kind>/", views.StartExportView.as_view(), name="start"),
        path("tong-hop/", DigestPickerView.as_view(), name="digest_picker"),
        path("<int:pk>/download/", views.download, name="download"),
        path("<int:pk>/retry/", views.retry, name="retry"),
        path(
            "attachments/<int:submission_id>/<slug:key>/",
            views.attachment,
            name="attachment",
        ),
    ]
    return [path("exports/", include((urls, "exports"), namespace="exports"))]


@hooks.register("register_admin_viewset")
def register_digest_schedules():
    return DigestScheduleViewSet()


class ExportsMenuItem(MenuItem):
    def is_shown(self, request):
        return may_follow_exports(request.user)


@hooks.register("register_admin_menu_item")
def register_exports_menu_item():
    return ExportsMenuItem(
        gettext_lazy("Tệp xuất Excel"),
        reverse("exports:list"),
        name="exports",
        icon_name="download",
        order=160,
    )


def start_url(kind, query=""):
    url = reverse("exports:start", args=[kind])
    return f"{url}?{query}" if query else url


def _form_page_buttons(page, user, button_class=Button):
    page_class = page.specific_class
    if page_class and issubclass(page_class, AbstractDlxhFormPage) and may_export(user):
        yield button_class(
            _("Xuất Excel"),
            start_url("submissions", urlencode({"page": page.pk})),
            icon_name="download",
            priority=85,
        )
        if issubclass(page_class, SurveyPage):
            yield button_class(
                _("Kết quả khảo sát"),
                start_url("survey_results", urlencode({"page": page.pk})),
                icon_name="table",
                priority=86,
            )


@hooks.register("register_page_header_buttons")
def export_page_header_buttons(page, user, view_name, next_url=None):
    yield from _form_page_buttons(page, user)


@hooks.register("register_page_listing_more_buttons")
def export_page_listing_buttons(page, user, next_url=None):
    yield from _form_page_buttons(page, user)


@hooks.register("register_submission_inbox_buttons")
def export_inbox_button(request):
    """ "Xuất Excel" on the inbox, with its filters (workflows.wagtail_hooks).

    Wagtail refreshes the listing's filters without reloading the header, so
    exports.js copies the address bar's query into the link when clicked.
    """
    if not may_export(request.user):
        return []
    return [
        HeaderButton(
            _("Xuất Excel"),
            start_url("submissions", request.GET.urlencode()),
            icon_name="download",
            attrs={"data-dlxh-export-query": ""},
        )
    ]


@hooks.register("insert_global_admin_js")
def exports_js():
    return format_html('<script src="{}" defer></script>', static("exports/exports.js"))


@hooks.register("register_compliance_grid_buttons")
def export_compliance_grid_button(request):
    """ "Xuất Excel" on the compliance grid, with the grid's filters."""
    if not may_export(request.user):
        return []
    query = request.GET.copy()
    query.pop("p", None)
    return [
        HeaderButton(
            _("Xuất Excel"),
            start_url("compliance_grid", query.urlencode()),
            icon_name="download",
        )
    ]
