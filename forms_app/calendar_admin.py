"""'Lịch báo cáo' in the admin: the Board sets holidays, moves one period's
deadline and excuses a unit from a period (Wagtail ModelViewSets in a group).

A change recomputes the stored deadline and lateness of the reports concerned
(deadlines.restamp, on the models' save and delete signals).
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from . import periods
from .models import DeadlineOverride, Excusal, Holiday, ReportTemplatePage
from .widgets import LongSelect


class CalendarForm(WagtailAdminModelForm):
    """Only scheduled templates; the unit list as a fast select."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "page" in self.fields:
            self.fields["page"].queryset = ReportTemplatePage.objects.filter(
                period_type__in=periods.SCHEDULED_TYPES
            ).order_by("title")
        if "unit" in self.fields:
            self.fields["unit"].widget = LongSelect(
                choices=self.fields["unit"].widget.choices
            )

    def clean_period(self):
        # "2026-w48" as typed is "2026-W48"; the model's clean() checks the key.
        return (self.cleaned_data.get("period") or "").strip().upper()

    def save(self, commit=True):
        instance = super().save(commit=False)
        if (
            not instance.pk
            and self.for_user is not None
            and hasattr(instance, "created_by_id")
        ):
            instance.created_by = self.for_user
        if commit:
            instance.save()
            self.save_m2m()
        return instance


class HolidayViewSet(ModelViewSet):
    model = Holiday
    name = "holidays"
    url_prefix = "lich-bao-cao/ngay-nghi"
    icon = "date"
    menu_label = _("Ngày nghỉ lễ")
    form_fields = ["name", "start_date", "end_date"]
    list_display = ["name", "start_date", "end_date"]
    copy_view_enabled = False
    add_to_reference_index = False

    def get_form_class(self, for_update=False):
        return forms.modelform_factory(
            Holiday, form=CalendarForm, fields=self.form_fields
        )


class DeadlineOverrideViewSet(ModelViewSet):
    model = DeadlineOverride
    name = "deadline_overrides"
    url_prefix = "lich-bao-cao/dieu-chinh-han"
    icon = "time"
    menu_label = _("Điều chỉnh hạn nộp")
    form_fields = ["page", "period", "deadline", "reason"]
    list_display = ["page", "period", "deadline", "reason", "created_by"]
    list_filter = ["page"]
    copy_view_enabled = False
    add_to_reference_index = False

    def get_form_class(self, for_update=False):
        return forms.modelform_factory(
            DeadlineOverride, form=CalendarForm, fields=self.form_fields
        )


class ExcusalViewSet(ModelViewSet):
    model = Excusal
    name = "excusals"
    url_prefix = "lich-bao-cao/mien-nop"
    icon = "pick"
    menu_label = _("Miễn nộp báo cáo")
    form_fields = ["page", "unit", "period", "reason"]
    list_display = ["unit", "page", "period", "reason", "created_by"]
    list_filter = ["page"]
    search_fields = ["unit__name", "reason"]
    copy_view_enabled = False
    add_to_reference_index = False

    def get_form_class(self, for_update=False):
        return forms.modelform_factory(
            Excusal, form=CalendarForm, fields=self.form_fields
        )


class ReportingCalendarGroup(ViewSetGroup):
    menu_label = _("Lịch báo cáo")
    menu_icon = "calendar"
    menu_order = 170
    items = (HolidayViewSet, DeadlineOverrideViewSet, ExcusalViewSet)
