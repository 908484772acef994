"""Admin for the Board's forms: the sector list, the sharing rules, and archiving
instead of deleting.

Imported from wagtail_hooks.py, which Wagtail loads at start-up.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.pages.bulk_actions.delete import DeleteBulkAction
from wagtail.admin.viewsets.model import ModelViewSet

from forms_app.archiving import (
    ARCHIVE_ACTION,
    ARCHIVED_MESSAGE,
    SECTION_HAS_ANSWERS_MESSAGE,
    WILL_ARCHIVE_MESSAGE,
    archive_form,
    has_answered_descendants,
    should_archive,
)
from forms_app.keys import KEY_PATTERN, key_from_label, unique_key
from forms_app.models import FormSubmission, Sector, SharingRule

# Sectors


class SectorForm(WagtailAdminModelForm):
    """The key is chosen once (or generated from the name) and then never edited."""

    class Meta:
        model = Sector
        fields = ["name", "key", "is_active", "sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # clean_key checks the stricter key pattern, with a Vietnamese message.
        self.fields["key"].validators = []
        if self.instance.pk:
            # Submissions and digests store the key: renaming must not move them.
            self.fields["key"].disabled = True
            self.fields["key"].help_text = _(
                "Mã không đổi khi đổi tên, để số liệu đã báo cáo không bị ảnh hưởng."
            )
        else:
            self.fields["key"].help_text = _(
                "Để trống để tự sinh từ tên. Không sửa được sau khi lưu."
            )

    def clean_key(self):
        key = self.cleaned_data.get("key") or ""
        if key and not KEY_PATTERN.match(key):
            raise ValidationError(
                _(
                    "Mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch dưới, "
                    "bắt đầu bằng chữ cái."
                )
            )
        return key

    def clean(self):
        cleaned_data = super().clean()
        name = cleaned_data.get("name")
        if not self.instance.pk and name and not cleaned_data.get("key"):
            # Names differing only in diacritics ("Hòa bình", "Hoà bình") fold to
            # the same key: the second one gets a suffix.
            taken = set(Sector.objects.values_list("key", flat=True))
            cleaned_data["key"] = unique_key(key_from_label(name, "linh_vuc"), taken)
        return cleaned_data


class SectorViewSet(ModelViewSet):
    model = Sector
    name = "sectors"
    icon = "tag"
    menu_label = _("Lĩnh vực")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "key", "is_active"]
    list_filter = ["is_active"]
    sort_order_field = "sort_order"
    copy_view_enabled = False
    inspect_view_enabled = True

    def get_form_class(self, for_update=False):
        return SectorForm


@hooks.register("register_admin_viewset")
def register_sectors():
    return SectorViewSet()


# Sharing rules


class SharingRuleViewSet(ModelViewSet):
    """Art. 6.1.4: the Board's sharing rules beyond unit-scoped visibility."""

    model = SharingRule
    name = "sharing_rules"
    icon = "link"
    menu_label = _("Quy tắc chia sẻ")
    add_to_admin_menu = True
    menu_order = 320
    add_to_reference_index = False
    list_display = [
        "name",
        "target_level",
        "target_kind",
        "source_level",
        "source_kind",
    ]
    list_filter = ["is_active"]
    form_fields = [
        "name",
        "target_level",
        "target_kind",
        "source_level",
        "source_kind",
        "same_commune_only",
        "max_classification",
        "is_active",
    ]
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_sharing_rules():
    return SharingRuleViewSet()


# Archive instead of delete


@hooks.register("register_log_actions")
def register_archive_action(actions):
    actions.register_action(
        ARCHIVE_ACTION, _("Lưu trữ"), _("Lưu trữ biểu mẫu đã có câu trả lời")
    )


@hooks.register("before_delete_page")
def archive_answered_form(request, page):
    """Deleting an answered form archives it, after its own confirmation page.

    Wagtail's confirmation page offers no delete button for a page that answers
    refer to (PROTECT), so this one replaces it.
    """
    if should_archive(page):
        if request.method != "POST":
            return TemplateResponse(
                request,
                "forms_app/admin/confirm_archive.html",
                {
                    "page": page,
                    "message": WILL_ARCHIVE_MESSAGE,
                    "answer_count": FormSubmission.objects.filter(page=page).count(),
                    "next": get_valid_next_url_from_request(request),
                    "cancel_url": _explorer_url(request, page),
                },
            )
        archive_form(page, user=request.user)
        messages.success(request, ARCHIVED_MESSAGE)
        return redirect(_explorer_url(request, page))
    if has_answered_descendants(page):
        messages.error(request, SECTION_HAS_ANSWERS_MESSAGE % {"title": page.title})
        return redirect(_explorer_url(request, page))
    return None


def _explorer_url(request, page):
    return get_valid_next_url_from_request(request) or reverse(
        "wagtailadmin_explore", args=[page.get_parent().id]
    )


# After Wagtail's own page delete action (order 0), so that this one replaces it.
@hooks.register("register_bulk_action", order=1)
class ArchivingDeleteBulkAction(DeleteBulkAction):
    """Wagtail's bulk delete of pages, except that answered forms are archived.

    Not a before_bulk_action hook: Wagtail refuses the whole action when a page
    is referenced with PROTECT (answers are) before that hook runs.
    """

    def annotate_items(self, items):
        items = super().annotate_items(items)
        self.to_archive = [page for page in items if should_archive(page)]
        self.is_protected = any(
            page._usage_references.is_protected
            for page in items
            if page not in self.to_archive
        )
        return items

    def object_context(self, page):
        context = super().object_context(page)
        if page in self.to_archive:
            context["is_protected"] = False
        return context

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for page in self.to_archive:
            messages.warning(self.request, f"“{page.title}”: {WILL_ARCHIVE_MESSAGE}")
        return context

    def prepare_action(self, objects, objects_without_access):
        sections = [page for page in objects if has_answered_descendants(page)]
        if sections:
            for page in sections:
                messages.error(
                    self.request, SECTION_HAS_ANSWERS_MESSAGE % {"title": page.title}
                )
            return redirect(self.next_url)
        super().prepare_action(objects, objects_without_access)
        for page in self.to_archive:
            archive_form(page, user=self.request.user)
            messages.success(self.request, f"“{page.title}”: {ARCHIVED_MESSAGE}")
        # Wagtail goes on to delete the pages left in this same list.
        objects[:] = [page for page in objects if page not in self.to_archive]
        return None if objects else redirect(self.next_url)
