import django_filters
from django.contrib.auth.models import Permission
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList, TabbedInterface
from wagtail.snippets.action_menu import CancelWorkflowMenuItem, RestartWorkflowMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from forms_app.access import can_stop_review, submissions_visible_to
from forms_app.models import FormSubmission
from forms_app.widgets import LongSelect

from .bulk_actions import ApproveBulkAction
from .compliance_views import ComplianceGridView
from .dashboard import ReportingDashboardPanel, ReviewDashboardPanel
from .edit_views import add_follow_up, edit_answers
from .oversight import is_overseer, memberships
from .panels import AuditHistoryPanel, SubmissionSummaryPanel, SubmissionThreadPanel
from .security_views import reclassify, reveal_answers
from .views import PolicyObjectMixin, SubmissionWorkflowActionView, open_notification
from .wagtail_views import SubmissionChooserViewSet


def visible_submissions(request):
    return submissions_visible_to(request.user).select_related(
        "page", "unit", "unit__commune", "locality"
    )


class SubmissionFilterSet(WagtailFilterSet):
    @classmethod
    def filter_for_lookup(cls, field, lookup_type):
        filter_class, params = super().filter_for_lookup(field, lookup_type)
        # Form page, unit (753) and commune (102): long lists, see LongSelect.
        if filter_class is django_filters.ModelChoiceFilter:
            params.setdefault("widget", LongSelect)
        return filter_class, params


class SubmissionIndexView(IndexView):
    # The viewset's list_filter names the filters; this gives them their widgets.
    base_filterset_class = SubmissionFilterSet

    def order_queryset(self, queryset):
        queryset = super().order_queryset(queryset)
        # Reports often share a minute (and always an impact or a status): without
        # a unique last key, PostgreSQL may repeat or skip rows between pages.
        return queryset.order_by(*queryset.query.order_by, "-pk")

    def paginate_queryset(self, queryset, page_size):
        paginator, page, rows, paginated = super().paginate_queryset(
            queryset, page_size
        )
        # The page's ids first, then its rows: with OFFSET, PostgreSQL sorts every
        # row it skips, and whole rows (answers, joined units) spill to disk —
        # the Board's last page took 390 ms that way, 60 ms with ids alone.
        ids = list(rows.values_list("pk", flat=True))
        by_id = queryset.order_by().in_bulk(ids)
        page.object_list = [by_id[pk] for pk in ids if pk in by_id]
        return paginator, page, page.object_list, paginated

    @cached_property
    def header_buttons(self):
        # Other apps add header buttons through a hook (exports: "Xuất Excel"
        # with the inbox's filters), so this app does not depend on them.
        buttons = list(super().header_buttons)
        for hook in hooks.get_hooks("register_submission_inbox_buttons"):
            buttons.extend(hook(self.request))
        return buttons


class SubmissionViewSet(SnippetViewSet):
    """The reviewers' and the Board's inbox, and each submission's screen.

    A snippet viewset, so Wagtail's own workflow engine drives the review
    (actions, history, locking) with no view of our own.
    """

    model = FormSubmission
    admin_url_namespace = "submissions"
    base_url_path = "submissions"
    icon = "form"
    menu_label = _("Báo cáo dư luận")
    menu_order = 150
    add_to_admin_menu = True
    workflow_action_view_class = SubmissionWorkflowActionView
    # The chooser lists only what the access policy lets the user read.
    chooser_viewset_class = SubmissionChooserViewSet
    index_view_class = SubmissionIndexView
    list_display = [
        "__str__",
        "review_status",
        "impact",
        "sensitivity",
        "verification",
        "submitted_at",
        "is_late",
    ]
    list_filter = [
        "page",
        "period",
        "unit",
        "unit__commune",
        "review_status",
        "category",
        "impact",
        "sensitivity",
        "verification",
        "escalated",
        "handling_status",
        "is_late",
    ]
    # Newest first: the first page is what just arrived. What waits for review
    # is one click away (the review status filter, the dashboard's counts).
    ordering = "-submitted_at"
    list_per_page = 20
    inspect_view_enabled = True
    copy_view_enabled = False
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [SubmissionSummaryPanel(heading=_("Báo cáo"))], heading=_("Nội dung")
            ),
            ObjectList(
                [FieldPanel("handling_status"), SubmissionThreadPanel()],
                heading=_("Theo dõi xử lý"),
            ),
            ObjectList([AuditHistoryPanel()], heading=_("Lịch sử")),
        ]
    )

    def get_queryset(self, request):
        return visible_submissions(request)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("answers/<int:pk>/", edit_answers, name="edit_answers"),
            path("follow-up/<int:pk>/", add_follow_up, name="add_follow_up"),
            path("classify/<int:pk>/", reclassify, name="reclassify"),
            path("reveal/<int:pk>/", reveal_answers, name="reveal_answers"),
        ]

    def construct_view(self, view_class, **kwargs):
        # Every object view (edit, inspect, history, revisions, workflow…) goes
        # through the access policy; see PolicyObjectMixin.
        if hasattr(view_class, "get_object"):
            view_class = type(view_class.__name__, (PolicyObjectMixin, view_class), {})
        return super().construct_view(view_class, **kwargs)


register_snippet(SubmissionViewSet)


@hooks.register("register_permissions")
def submission_permissions():
    return Permission.objects.filter(
        content_type__app_label="forms_app", codename__endswith="_formsubmission"
    )


@hooks.register("construct_homepage_panels")
def add_review_panel(request, panels):
    panels.append(ReviewDashboardPanel(request))


@hooks.register("register_admin_urls")
def notification_urls():
    return [
        path("thong-bao/<int:pk>/", open_notification, name="dlxh_notification_open"),
    ]


hooks.register("register_bulk_action", ApproveBulkAction)


@hooks.register("construct_snippet_action_menu")
def hide_workflow_cancel(menu_items, request, context):
    """The submission's edit view refuses these actions (PolicyObjectMixin)."""
    if context.get("model") is not FormSubmission or can_stop_review(request.user):
        return
    menu_items[:] = [
        item
        for item in menu_items
        if not isinstance(item, (CancelWorkflowMenuItem, RestartWorkflowMenuItem))
    ]


# The reporting cycle: the compliance grid, a unit's page, the receipt.


@hooks.register("register_admin_urls")
def compliance_urls():
    return [
        path("nop-bao-cao/", ComplianceGridView.as_view(), name="dlxh_compliance"),
    ]


class ComplianceMenuItem(MenuItem):
    def is_shown(self, request):
        return is_overseer(request.user)


class UnitPageMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(memberships(request.user))


@hooks.register("register_admin_menu_item")
def register_compliance_menu_item():
    return ComplianceMenuItem(
        _("Tình hình nộp báo cáo"),
        reverse("dlxh_compliance"),
        name="dlxh-compliance",
        icon_name="table",
        order=155,
    )


@hooks.register("register_admin_menu_item")
def register_unit_page_menu_item():
    return UnitPageMenuItem(
        _("Việc của đơn vị"),
        reverse("workflows:unit_page"),
        name="dlxh-unit-page",
        icon_name="home",
        order=5,
    )


@hooks.register("construct_homepage_panels")
def add_reporting_panel(request, panels):
    panels.append(ReportingDashboardPanel(request))


@hooks.register("insert_global_admin_css")
def compliance_css():
    return format_html(
        '<link rel="stylesheet" href="{}">', static("workflows/compliance.css")
    )


@hooks.register("construct_receipt_context")
def receipt_review_and_directions(request, submission, context):
    """The receipt shows where the report stands and what the Board said."""
    if submission.unit_id is None:
        return
    context["review_status_label"] = submission.get_review_status_display()
    context["directions"] = list(
        submission.directions.select_related("author").order_by("created_at")
    )


@hooks.register("insert_global_admin_css")
def marking_css():
    return format_html(
        '<link rel="stylesheet" href="{}">', static("workflows/marking.css")
    )
