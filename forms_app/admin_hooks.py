"""Admin for the Board's forms: the sector list, and archiving instead of deleting.

Imported from wagtail_hooks.py, which Wagtail loads at start-up.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.pages.bulk_actions.page_bulk_action import PageBulkAction
from wagtail.admin.viewsets.model import ModelViewSet

from forms_app.keys import KEY_PATTERN, key_from_label, unique_key
from forms_app.models import Sector
from forms_app.moderation import (
    ARCHIVE_ACTION,
    ARCHIVED_MESSAGE,
    SECTION_HAS_ANSWERS_MESSAGE,
    WILL_ARCHIVE_MESSAGE,
    archive_form,
    has_answered_descendants,
    should_archive,
)

# Sectors


class SectorForm(WagtailAdminModelForm):
    """The key is chosen once (or generated from the name) and then never edited."""

    class Meta:
        model = Sector
        fields = ["name", "key", "is_active", "sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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


# Archive instead of delete


@hooks.register("register_log_actions")
def register_archive_action(actions):
    actions.register_action(
        ARCHIVE_ACTION, _("Lưu trữ"), _("Lưu trữ biểu mẫu đã có câu trả lời")
    )


@hooks.register("before_delete_page")
def archive_answered_form(request, page):
    if should_archive(page):
        if request.method != "POST":
            # The confirmation page says what will really happen.
            messages.warning(request, WILL_ARCHIVE_MESSAGE)
            return None
        archive_form(page, user=request.user)
        messages.success(request, ARCHIVED_MESSAGE)
        return redirect(_explorer_url(request, page))
    if has_answered_descendants(page):
        messages.error(request, SECTION_HAS_ANSWERS_MESSAGE % {"title": page.title})
        return redirect(_explorer_url(request, page))
    return None


@hooks.register("before_bulk_action")
def archive_answered_forms_in_bulk(request, action_type, objects, action):
    if action_type != "delete" or not isinstance(action, PageBulkAction):
        return None
    sections = [page for page in objects if has_answered_descendants(page)]
    if sections:
        for page in sections:
            messages.error(request, SECTION_HAS_ANSWERS_MESSAGE % {"title": page.title})
        return redirect(action.next_url)
    answered = [page for page in objects if should_archive(page)]
    if not answered:
        return None
    for page in answered:
        archive_form(page, user=request.user)
        messages.success(request, f"“{page.title}”: {ARCHIVED_MESSAGE}")
    # Wagtail deletes the pages left in this same list once the hook returns.
    objects[:] = [page for page in objects if page not in answered]
    return None if objects else redirect(action.next_url)


def _explorer_url(request, page):
    return get_valid_next_url_from_request(request) or reverse(
        "wagtailadmin_explore", args=[page.get_parent().id]
    )
