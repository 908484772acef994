"""Who may answer a form: the units a user may send it for.

A page's audience is the union of a group (levels × kinds × roles, an empty list
meaning "any") and a list of specific units. A page that names only specific
units is for those units alone; a page that names nothing is for everyone.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms_app import periods
from units.models import Membership, Unit


def listed_units(page):
    """Ids of the units the page names one by one."""
    return set(page.audience_units.values_list("pk", flat=True)) if page.pk else set()


def audience_allows(page, membership, listed=None):
    """`listed`: listed_units(page), when the caller checks several memberships."""
    levels = page.audience_levels or []
    kinds = page.audience_kinds or []
    roles = page.audience_roles or []
    unit = membership.unit
    listed = listed_units(page) if listed is None else listed
    if unit.pk in listed:
        return True
    if not (levels or kinds or roles):
        # No group chosen: everyone, unless the page lists specific units only.
        return not listed
    return (
        (not levels or unit.level in levels)
        and (not kinds or unit.kind in kinds)
        and (not roles or membership.role in roles)
    )


def memberships_of(user):
    if not user.is_authenticated:
        return []
    return list(Membership.objects.for_user(user))


def units_for(page, user):
    """(all the user's units, those of them the page is for), each in name order."""
    memberships = memberships_of(user)
    listed = listed_units(page) if memberships else set()
    mine, allowed = {}, {}
    for membership in memberships:
        mine[membership.unit_id] = membership.unit
        if audience_allows(page, membership, listed):
            allowed[membership.unit_id] = membership.unit
    by_name = sorted(allowed.values(), key=lambda unit: unit.name)
    return list(mine.values()), by_name


class UnitForm(forms.Form):
    """On the first step of a user who serves several units: which one reports."""

    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        label=_("Gửi thay mặt đơn vị"),
        empty_label=_("— Chọn đơn vị —"),
        error_messages={
            "required": _("Vui lòng chọn đơn vị gửi báo cáo."),
            "invalid_choice": _(
                "Đồng chí không thuộc đơn vị đã chọn, hoặc biểu mẫu không dành cho "
                "đơn vị đó; vui lòng chọn một đơn vị trong danh sách."
            ),
        },
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, prefix="dlxh", **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            pk__in=[unit.pk for unit in units]
        ).order_by("name")


def period_choice_label(page, period, deadline, now, done=False):
    """tuần 47/2025 (17/11 – 23/11/2025) — hạn 16:00 21/11/2025 (đã quá hạn)."""
    label = periods.period_label(page.period_type, period)
    if deadline is not None:
        local = timezone.localtime(deadline, periods.local_zone())
        label = _("%(period)s — hạn %(due)s") % {
            "period": label,
            "due": local.strftime("%H:%M %d/%m/%Y"),
        }
        if deadline < now:
            label = _("%(label)s (đã quá hạn, sẽ tính nộp trễ)") % {"label": label}
    if done:
        label = _("%(label)s — đơn vị đã gửi") % {"label": label}
    return str(label)


class PeriodForm(forms.Form):
    """Which period a scheduled report is for (Art. 6.1.2): one the template
    still accepts; a forged or closed one is refused next to the field."""

    field_name = "dlxh-period"

    period = forms.ChoiceField(
        label=_("Kỳ báo cáo"),
        error_messages={
            "required": _("Vui lòng chọn kỳ báo cáo."),
            "invalid_choice": _(
                "Kỳ báo cáo đã chọn không còn nhận báo cáo (hoặc không hợp lệ); "
                "vui lòng chọn một kỳ trong danh sách."
            ),
        },
        help_text=_(
            "Báo cáo được tính cho kỳ đã chọn; gửi sau hạn nộp thì được ghi là nộp "
            "trễ hạn."
        ),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, prefix="dlxh", **kwargs)
        self.fields["period"].choices = choices
