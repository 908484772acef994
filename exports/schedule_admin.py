"""'Lịch tổng hợp': the Board edits when digests are made and who receives them."""

from urllib.parse import urlencode

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton

from forms_app import periods
from forms_app.access import clearance_of
from units.choices import Role
from units.roles import BOARD_ROLES

from .access import may_export
from .models import DigestSchedule
from .schedules import SYSTEM_USERNAME

# Who may receive a digest: the Board, and the leadership it reports to.
RECIPIENT_ROLES = [*BOARD_ROLES, Role.LEADERSHIP_VIEWER]


def recipient_choices():
    User = get_user_model()
    return (
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role__in=RECIPIENT_ROLES,
        )
        .exclude(username=SYSTEM_USERNAME)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class RecipientField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


class DigestScheduleForm(WagtailAdminModelForm):
    class Meta:
        field_classes = {"recipients": RecipientField}
        widgets = {"recipients": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = recipient_choices()

    def clean(self):
        cleaned = super().clean()
        tables = ("include_summary", "include_compliance", "include_detail")
        if not any(cleaned.get(name) for name in tables):
            self.add_error(
                None,
                _(
                    "Hãy chọn ít nhất một trong: bảng số liệu tổng hợp, tình hình "
                    "nộp báo cáo, danh sách chi tiết."
                ),
            )
        ceiling = cleaned.get("max_classification") or 0
        short = [
            user
            for user in cleaned.get("recipients") or []
            if not user.is_superuser and clearance_of(user) < ceiling
        ]
        if short:
            self.add_error(
                "recipients",
                _(
                    "Chưa được tiếp cận tài liệu ở độ mật đã chọn: %(names)s. Hãy bỏ "
                    "những người này hoặc hạ độ mật tối đa."
                )
                % {"names": ", ".join(u.get_full_name() or u.username for u in short)},
            )
        return cleaned


class ScheduleIndexView(IndexView):
    """The schedules, and the same digests on demand: last week's, last
    month's, and the yearly report of Art. 8.2."""

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        user = self.request.user
        if not may_export(user):
            return buttons
        now = timezone.now()
        year = timezone.localdate(now).year
        week = periods.previous_period("weekly", periods.period_for("weekly", now))
        month = periods.previous_period("monthly", periods.period_for("monthly", now))
        buttons.append(
            HeaderButton(
                _("Tổng hợp theo kỳ…"),
                reverse("exports:digest_picker"),
                icon_name="calendar",
            )
        )
        for label, kind, params in [
            (_("Tổng hợp tuần trước"), "digest", {"period": week.key}),
            (_("Tổng hợp tháng trước"), "digest", {"period": month.key}),
            (
                _("Báo cáo thực hiện Quy chế năm %(y)s") % {"y": year},
                "annual_report",
                {"year": year},
            ),
        ]:
            url = reverse("exports:start", args=[kind])
            buttons.append(
                HeaderButton(label, f"{url}?{urlencode(params)}", icon_name="download")
            )
        return buttons


class DigestScheduleViewSet(ModelViewSet):
    """Art. 6.1.2: the weekly and monthly digests, made and sent by themselves."""

    model = DigestSchedule
    index_view_class = ScheduleIndexView
    name = "digest_schedules"
    icon = "date"
    menu_label = gettext_lazy("Lịch tổng hợp")
    add_to_admin_menu = True
    menu_order = 165
    add_to_reference_index = False
    copy_view_enabled = False
    list_display = ["name", "kind", "schedule_text", "is_active"]
    list_filter = ["kind", "is_active"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            MultiFieldPanel(
                [
                    FieldRowPanel(["kind", "target"]),
                    FieldRowPanel(["weekday", "day_of_month", "at_time"]),
                ],
                heading=gettext_lazy("Thời gian"),
            ),
            MultiFieldPanel(
                [
                    "include_summary",
                    "include_compliance",
                    "include_detail",
                    "include_charts",
                    "max_classification",
                ],
                heading=gettext_lazy("Nội dung"),
            ),
            FieldPanel("recipients"),
            FieldPanel("is_active"),
        ],
        base_form_class=DigestScheduleForm,
    )
