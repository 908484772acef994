from django.contrib.auth.models import Permission
from django.urls import include, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from forms_app import admin_hooks  # noqa: F401

from . import xlsform_views
from .calendar_admin import ReportingCalendarGroup
from .models import FormsIndexPage, FormSubmission, SubmissionLogEntry
from .models.pages import AbstractDlxhFormPage
from .xlsform import can_import_into, import_targets

# XLSForm import and export (KoboToolbox / ODK); the sector admin and the
# archive-instead-of-delete hooks live in admin_hooks.


@hooks.register("register_admin_urls")
def register_xlsform_urls():
    urls = [
        path("import/", xlsform_views.XlsformImportView.as_view(), name="import"),
        path("export/<int:page_id>/", xlsform_views.xlsform_export, name="export"),
    ]
    return [
        path(
            "xlsform/",
            include((urls, "forms_app_xlsform"), namespace="forms_app_xlsform"),
        )
    ]


class XlsformMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(import_targets(request.user))


@hooks.register("register_admin_menu_item")
def register_xlsform_menu_item():
    return XlsformMenuItem(
        gettext_lazy("Nhập XLSForm"),
        xlsform_views.import_url(),
        name="xlsform-import",
        icon_name="upload",
        order=250,
    )


def _xlsform_buttons(page, user):
    page_class = page.specific_class
    if not isinstance(page_class, type):  # a page type whose model was removed
        return
    if issubclass(page_class, FormsIndexPage) and can_import_into(user, page):
        yield Button(
            _("Nhập XLSForm"),
            xlsform_views.import_url(page),
            icon_name="upload",
            priority=80,
        )
    if issubclass(page_class, AbstractDlxhFormPage) and (
        page.permissions_for_user(user).can_edit()
    ):
        yield Button(
            _("Tải XLSForm"),
            xlsform_views.export_url(page),
            icon_name="download",
            priority=80,
        )


@hooks.register("register_page_header_buttons")
def xlsform_page_header_buttons(page, user, view_name, next_url=None):
    yield from _xlsform_buttons(page, user)


@hooks.register("register_page_listing_more_buttons")
def xlsform_page_listing_more_buttons(page, user, next_url=None):
    yield from _xlsform_buttons(page, user)


@hooks.register("register_admin_viewset")
def register_reporting_calendar():
    return ReportingCalendarGroup()


@hooks.register("register_permissions")
def calendar_permissions():
    return Permission.objects.filter(
        content_type__app_label="forms_app",
        content_type__model__in=["holiday", "deadlineoverride", "excusal"],
    )


@hooks.register("register_log_actions")
def submissions_log_apart(actions):
    """Wagtail logs submissions in their own table, whose manager shows each
    person only the entries of submissions they may read (site history)."""
    actions.register_model(FormSubmission, SubmissionLogEntry)
