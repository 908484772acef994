"""The access audit in the admin: listed and filtered, never edited."""

import django_filters
from django.contrib.auth.models import Permission
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import two_factor
from .models import AccessEvent


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Only "view": nobody adds, changes or deletes an audit entry here."""

    def user_has_permission(self, user, action):
        if action != "view":
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class UserColumn(Column):
    """Who, as Wagtail shows people: a protected person's pseudonym (their
    user row holds nothing else in plain, units.identity)."""

    def get_value(self, instance):
        user = instance.user
        if user is None:
            return _("Khách (chưa đăng nhập)")
        return user.get_full_name().strip() or user.get_username()


class AccessEventFilterSet(WagtailFilterSet):
    timestamp = django_filters.DateFromToRangeFilter(
        label=_("Thời điểm"), widget=DateRangePickerWidget
    )
    client_address = django_filters.CharFilter(
        label=_("Địa chỉ máy truy cập"), lookup_expr="startswith"
    )
    object_id = django_filters.CharFilter(label=_("Mã đối tượng"))

    class Meta:
        model = AccessEvent
        fields = ["kind", "user", "classification", "object_type", "status"]


class AccessEventViewSet(ModelViewSet):
    model = AccessEvent
    name = "access_audit"
    icon = "history"
    menu_label = _("Nhật ký truy cập")
    menu_order = 330
    add_to_admin_menu = True
    add_to_reference_index = False
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = AccessEventFilterSet
    list_display = [
        "timestamp",
        "kind",
        UserColumn("user", label=_("người truy cập")),
        "object_type",
        "object_id",
        "classification",
        "client_address",
        "status",
    ]
    inspect_view_fields = [
        "timestamp",
        "kind",
        "user",
        "object_type",
        "object_id",
        "classification",
        "path",
        "method",
        "client_address",
        "status",
        "reason",
    ]
    list_per_page = 50

    def get_queryset(self, request):
        return AccessEvent.objects.select_related("user")

    def get_urlpatterns(self):
        # No add, edit, delete, history or usage views: only what reads.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]


register_permission_policy(AccessEvent, ReadOnlyPolicy(AccessEvent))


@hooks.register("register_admin_viewset")
def register_access_audit():
    return AccessEventViewSet()


@hooks.register("register_admin_urls")
def two_factor_urls():
    return [
        path("hai-buoc/", two_factor.verify, name="dlxh_two_factor_verify"),
        path("hai-buoc/thiet-lap/", two_factor.setup, name="dlxh_two_factor_setup"),
    ]


@hooks.register("register_permissions")
def two_factor_permission():
    return Permission.objects.filter(
        content_type__app_label="security", codename="require_two_factor"
    )
