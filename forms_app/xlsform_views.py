"""Admin views: import an XLSForm as a draft survey, download a form as XLSForm."""

from io import BytesIO
from urllib.parse import quote

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from .models import FormsIndexPage
from .models.pages import AbstractDlxhFormPage
from .xlsform import create_draft, import_targets, workbook_for

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_MB = 5
# A success message lists this many warnings; the rest are counted.
MAX_LISTED_WARNINGS = 30


def _forbidden(request):
    # Wagtail turns PermissionDenied into a redirect to the dashboard; a plain
    # 403 tells a shared link or a script that the action is refused.
    return permission_denied(request, PermissionDenied())


class XlsformImportForm(forms.Form):
    parent = forms.ModelChoiceField(
        label=gettext_lazy("Thư mục biểu mẫu"),
        queryset=FormsIndexPage.objects.none(),
        empty_label=None,
        help_text=gettext_lazy("Phiếu khảo sát nháp được tạo trong thư mục này."),
    )
    file = forms.FileField(
        label=gettext_lazy("Tệp XLSForm (.xlsx)"),
        help_text=gettext_lazy(
            "Bảng tính theo chuẩn XLSForm của KoboToolbox, ODK: các trang “survey”, "
            "“choices”, “settings”."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_TYPE}"}),
    )

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = FormsIndexPage.objects.filter(
            pk__in=[parent.pk for parent in parents]
        ).order_by("path")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("Tệp quá lớn; XLSForm tối đa %(size)s MB.") % {"size": MAX_UPLOAD_MB}
            )
        return upload


class XlsformImportView(WagtailAdminTemplateMixin, FormView):
    """Upload an XLSForm; show its errors and warnings, or open the new draft."""

    form_class = XlsformImportForm
    template_name = "forms_app/xlsform_import.html"
    page_title = gettext_lazy("Nhập XLSForm")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        self.parents = import_targets(request.user)
        if not self.parents:
            return _forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "parents": self.parents}

    def get_initial(self):
        wanted = self.request.GET.get("parent")
        for parent in self.parents:
            if str(parent.pk) == wanted:
                return {"parent": parent}
        return {}

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        report, page = create_draft(
            form.cleaned_data["parent"], upload, self.request.user, upload.name
        )
        if page is None:
            return self.render_to_response(
                self.get_context_data(form=form, report=report)
            )
        messages.success(
            self.request,
            _("Đã tạo phiếu khảo sát nháp “%(title)s” từ XLSForm.")
            % {"title": page.title},
        )
        if report.warnings:
            messages.warning(self.request, _warnings_message(report.warnings))
        return redirect("wagtailadmin_pages:edit", page.id)


def _warnings_message(warnings):
    listed = warnings[:MAX_LISTED_WARNINGS]
    more = len(warnings) - len(listed)
    items = format_html_join("", "<li>{}</li>", ((str(w),) for w in listed))
    tail = (
        format_html("<li>{}</li>", _("… và %(count)s cảnh báo khác.") % {"count": more})
        if more
        else ""
    )
    return format_html(
        "{}<ul>{}{}</ul>",
        _("Các dòng sau không nhập được nguyên vẹn; hãy kiểm tra bản nháp:"),
        items,
        tail,
    )


def xlsform_export(request, page_id):
    """The form page (its latest revision, as in the editor) as an XLSForm."""
    page = get_object_or_404(Page, id=page_id).specific
    if not isinstance(page, AbstractDlxhFormPage):
        raise Http404
    if not page.permissions_for_user(request.user).can_edit():
        return _forbidden(request)
    page = page.get_latest_revision_as_object()
    buffer = BytesIO()
    workbook_for(page).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    filename = f"{page.slug}.xlsx"
    response["Content-Disposition"] = (
        f'attachment; filename="{filename.encode("ascii", "ignore").decode()}"; '
        f"filename*=UTF-8''{quote(filename)}"
    )
    return response


def import_url(parent=None):
    url = reverse("forms_app_xlsform:import")
    return f"{url}?parent={parent.pk}" if parent is not None else url


def export_url(page):
    return reverse("forms_app_xlsform:export", args=[page.pk])
