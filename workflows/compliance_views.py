"""The compliance grid in the admin ("Tình hình nộp báo cáo", Art. 8.2)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .compliance_grid import build_grid
from .oversight import is_overseer

ROWS_PER_PAGE = 100


def may_see_compliance(user):
    """Those who oversee units: the Board, leadership viewers, commune
    reviewers. A unit's own people read their unit's page instead."""
    if not (user.is_authenticated and user.is_active):
        return False
    return is_overseer(user)


class ComplianceGridView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "workflows/compliance_grid.html"
    page_title = gettext_lazy("Tình hình nộp báo cáo")
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not may_see_compliance(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    @cached_property
    def header_buttons(self):
        # exports adds "Xuất Excel" with the grid's filters; workflows does not
        # depend on it (see register_compliance_grid_buttons).
        buttons = []
        for hook in hooks.get_hooks("register_compliance_grid_buttons"):
            buttons.extend(hook(self.request))
        return buttons

    def get_context_data(self, **kwargs):
        form, grid = build_grid(self.request.user, self.request.GET)
        paginator = Paginator(grid.rows, ROWS_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("p"))
        query = self.request.GET.copy()
        query.pop("p", None)
        return super().get_context_data(
            form=form,
            grid=grid,
            rows=page.object_list,
            page_obj=page,
            paginator=paginator,
            query=query.urlencode(),
            **kwargs,
        )
