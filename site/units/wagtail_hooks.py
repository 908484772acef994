from django.contrib.auth.models import Permission
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .import_views import (
    MembershipIndexView,
    PeopleImportView,
    UnitImportView,
    UnitIndexView,
    import_urlpatterns,
)
from .models import Commune, Membership, Unit, UserProfile, person_label
from .views import FoldedSearchIndexView, reveal_identity


class PersonColumn(Column):
    """The person as every screen shows them: a collaborator by pseudonym."""

    def get_value(self, instance):
        return person_label(instance.user)

# Wagtail's own ModelViewSet rather than wagtail-modeladmin: modeladmin is in
# maintenance mode, while ModelViewSet brings filters, search, history, inspect
# and CSV/XLSX export of the listing with Wagtail's current admin UI.


class UnitViewSet(ModelViewSet):
    model = Unit
    name = "units"
    # The registry changes rarely and is referenced by FK; Wagtail's reference
    # index would add a task per saved row (a province seeds ~850 rows).
    add_to_reference_index = False
    icon = "group"
    menu_label = _("Đơn vị")
    # Folded search, plus the "Nhập từ Excel" button.
    index_view_class = UnitIndexView
    list_display = ["name", "code", "kind", "level", "commune", "is_active"]
    list_filter = ["level", "kind", "commune", "is_active"]
    list_export = ["code", "name", "kind", "level", "commune", "parent", "is_active"]
    export_filename = "don-vi"
    search_fields = ["search_text"]
    form_fields = ["code", "name", "kind", "level", "commune", "parent", "is_active"]
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 50

    def get_urlpatterns(self):
        return super().get_urlpatterns() + import_urlpatterns(self, UnitImportView)


class CommuneViewSet(ModelViewSet):
    model = Commune
    name = "communes"
    add_to_reference_index = False
    icon = "site"
    menu_label = _("Xã, phường")
    index_view_class = FoldedSearchIndexView
    list_display = ["name", "code", "division_type"]
    list_filter = ["division_type"]
    search_fields = ["search_text"]
    form_fields = ["code", "name", "division_type", "province_code"]
    copy_view_enabled = False
    list_per_page = 50


class MembershipViewSet(ModelViewSet):
    model = Membership
    name = "memberships"
    add_to_reference_index = False
    icon = "user"
    menu_label = _("Phân công cán bộ")
    index_view_class = MembershipIndexView
    list_display = [
        PersonColumn("user", label=_("người dùng")),
        "unit",
        "role",
        "is_active",
    ]
    list_filter = ["role", "unit__level", "unit__kind", "unit__commune", "is_active"]
    list_export = ["person", "unit", "role", "is_active", "created_at"]
    export_filename = "phan-cong-can-bo"
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "unit__name",
        "unit__code",
    ]
    form_fields = ["user", "unit", "role", "is_active"]
    copy_view_enabled = False
    list_per_page = 50

    def get_urlpatterns(self):
        return super().get_urlpatterns() + import_urlpatterns(self, PeopleImportView)


class UserProfileViewSet(ModelViewSet):
    """Each person's clearance (Art. 6.2.2), title and phone; the login itself
    stays in Wagtail's Users screen."""

    model = UserProfile
    name = "profiles"
    icon = "key"
    menu_label = _("Mức độ tiếp cận")
    add_to_reference_index = False
    list_display = [
        PersonColumn("user", label=_("người dùng")),
        "title",
        "clearance",
    ]
    list_filter = ["clearance"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "title"]
    form_fields = ["clearance", "title", "phone"]
    copy_view_enabled = False
    list_per_page = 50


class RegistryViewSetGroup(ViewSetGroup):
    menu_label = _("Tổ chức")
    menu_icon = "group"
    menu_order = 300
    items = (UnitViewSet, CommuneViewSet, MembershipViewSet, UserProfileViewSet)


@hooks.register("register_admin_viewset")
def register_registry():
    return RegistryViewSetGroup()


@hooks.register("register_admin_urls")
def reveal_urls():
    return [
        path(
            "nguon-tin/<int:user_id>/",
            reveal_identity,
            name="units_reveal_identity",
        )
    ]


@hooks.register("register_permissions")
def reveal_permission():
    return Permission.objects.filter(
        content_type__app_label="units", codename="reveal_identity"
    )
