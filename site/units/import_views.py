"""Admin pages to import units and people from Excel, and their templates."""

from io import BytesIO

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import HeaderButton

from .importers import PeopleImporter, UnitImporter
from .models import Membership, Unit
from .views import FoldedSearchIndexView

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportButtonMixin:
    """Adds "Nhập từ Excel" to a listing's header, for those who may add rows."""

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.user_has_permission("add"):
            # import_urlpatterns() names the page "import" in the viewset's namespace.
            namespace = self.index_url_name.rpartition(":")[0]
            buttons.append(
                HeaderButton(
                    _("Nhập từ Excel"),
                    url=reverse(f"{namespace}:import"),
                    icon_name="upload",
                )
            )
        return buttons


class UnitIndexView(ImportButtonMixin, FoldedSearchIndexView):
    pass


class MembershipIndexView(ImportButtonMixin, generic.IndexView):
    pass


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_TYPE}"}),
    )


class ImportView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Upload a sheet; show every bad row, or import all rows and go back."""

    model = None
    importer_class = None
    template_filename = ""
    index_url_name = None
    template_url_name = None
    # The same view serves the empty template workbook at its own URL.
    download = False
    permission_required = "add"
    form_class = ImportForm
    template_name = "units/import.html"
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        # Wagtail turns PermissionDenied into a redirect to the dashboard; a real
        # 403 tells a shared link or a script plainly that the import is refused.
        if not self.user_has_permission(self.permission_required):
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if self.download:
            return self.template_response()
        return super().get(request, *args, **kwargs)

    def template_response(self):
        buffer = BytesIO()
        self.importer_class.template_workbook().save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
        disposition = f'attachment; filename="{self.template_filename}"'
        response["Content-Disposition"] = disposition
        return response

    def form_valid(self, form):
        result = self.importer_class().run(form.cleaned_data["file"])
        if not result.ok:
            return self.render_to_response(
                self.get_context_data(form=form, result=result)
            )
        messages.success(
            self.request,
            _("Đã nhập xong bảng tính: %(summary)s") % {"summary": result.summary},
        )
        return redirect(self.index_url_name)

    def get_breadcrumbs_items(self):
        listing = {
            "url": reverse(self.index_url_name),
            "label": capfirst(self.model._meta.verbose_name_plural),
        }
        return [
            *self.breadcrumbs_items,
            listing,
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        columns = self.importer_class.columns
        return super().get_context_data(
            template_url=reverse(self.template_url_name),
            index_url=reverse(self.index_url_name),
            required_columns=[c for c in columns if c.required],
            optional_columns=[c for c in columns if not c.required],
            **kwargs,
        )


class UnitImportView(ImportView):
    model = Unit
    importer_class = UnitImporter
    page_title = gettext_lazy("Nhập đơn vị từ Excel")
    template_filename = "mau-nhap-don-vi.xlsx"


class PeopleImportView(ImportView):
    model = Membership
    importer_class = PeopleImporter
    page_title = gettext_lazy("Nhập cán bộ và phân công từ Excel")
    template_filename = "mau-nhap-can-bo.xlsx"


def import_urlpatterns(viewset, view_class):
    """The import page and its template download, inside a ModelViewSet."""
    names = {
        "index_url_name": viewset.get_url_name("index"),
        "template_url_name": viewset.get_url_name("import_template"),
    }
    return [
        path("import/", view_class.as_view(**names), name="import"),
        path(
            "import/template/",
            view_class.as_view(download=True, http_method_names=["get"], **names),
            name="import_template",
        ),
    ]
