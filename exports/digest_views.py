"""Digests of any period (Art. 6.1.2) and the annual report of any year (Art.
8.2), picked from lists: nobody edits an address to get last quarter's."""

from urllib.parse import urlencode

from django import forms
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from forms_app import periods
from forms_app.vocabularies import PeriodType

from .views import ExportAdminView

# How far back each list goes.
SPANS = [
    (PeriodType.WEEKLY, 104, gettext_lazy("Tuần")),
    (PeriodType.MONTHLY, 36, gettext_lazy("Tháng")),
    (PeriodType.QUARTERLY, 16, gettext_lazy("Quý")),
    (PeriodType.YEARLY, 10, gettext_lazy("Năm")),
]
FIRST_YEAR = 2020


def period_choices(now=None):
    """Grouped choices of every past (and the current) period, newest first."""
    groups = []
    for period_type, count, title in SPANS:
        found = periods.recent_periods(period_type, count, now)
        groups.append(
            (
                str(title),
                [(p.key, periods.period_label(period_type, p)) for p in found],
            )
        )
    return groups


class DigestPeriodForm(forms.Form):
    period = forms.ChoiceField(
        label=gettext_lazy("Kỳ tổng hợp"),
        help_text=gettext_lazy(
            "Tuần, tháng, quý hoặc năm; bảng tổng hợp so sánh với kỳ liền trước."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = period_choices()
        self.fields["period"].choices = choices
        now = timezone.now()
        last_week = periods.previous_period("weekly", periods.period_for("weekly", now))
        self.fields["period"].initial = last_week.key


class AnnualReportForm(forms.Form):
    year = forms.TypedChoiceField(
        label=gettext_lazy("Năm báo cáo"),
        coerce=int,
        help_text=gettext_lazy(
            "Báo cáo tình hình thực hiện Quy chế (Điều 8.2): tỷ lệ nộp đúng hạn, "
            "số liệu theo nhóm nội dung, mức độ tác động, báo cáo lên Ban, chỉ đạo."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [
            (year, str(year)) for year in range(this_year, FIRST_YEAR - 1, -1)
        ]
        self.fields["year"].initial = this_year - 1


class DigestPickerView(ExportAdminView):
    """ "Tổng hợp theo kỳ": choose the period, then the export's own confirmation."""

    template_name = "exports/digest_picker.html"
    page_title = gettext_lazy("Tổng hợp theo kỳ")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            digest_form=kwargs.pop("digest_form", None) or DigestPeriodForm(),
            annual_form=kwargs.pop("annual_form", None) or AnnualReportForm(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if "year" in request.POST:
            form = AnnualReportForm(request.POST)
            if form.is_valid():
                query = urlencode({"year": form.cleaned_data["year"]})
                url = reverse("exports:start", args=["annual_report"])
                return redirect(f"{url}?{query}")
            return self.render_to_response(self.get_context_data(annual_form=form))
        form = DigestPeriodForm(request.POST)
        if form.is_valid():
            query = urlencode({"period": form.cleaned_data["period"]})
            return redirect(f"{reverse('exports:start', args=['digest'])}?{query}")
        return self.render_to_response(self.get_context_data(digest_form=form))
