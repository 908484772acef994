"""The compliance grid as a workbook (Art. 8.2): the same units × periods, rates
per unit, commune and template that the admin's grid shows, with the same
filters (workflows.compliance_grid), cells written as symbols and words so the
file reads in black and white."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms_app.obligations import State
from workflows.compliance_grid import build_grid
from workflows.compliance_views import may_see_compliance

from . import register
from .base import Column, Exporter, Sheet

PARAMS = ["page", "span", "year", "level", "kind", "commune", "only_missing"]


def first(value):
    if isinstance(value, list | tuple):
        return value[0] if value else ""
    return value


def rate_cells(counts, rate):
    return [
        counts[State.ON_TIME],
        counts[State.LATE],
        counts[State.MISSING],
        counts[State.EXCUSED],
        counts[State.DUE],
        rate,
    ]


def rate_columns():
    return [
        Column(_("Đúng hạn"), width=10, key="on_time"),
        Column(_("Trễ hạn"), width=10, key="late"),
        Column(_("Chưa nộp"), width=10, key="missing"),
        Column(_("Được miễn"), width=10, key="excused"),
        Column(_("Chưa nộp, còn hạn"), width=12, key="due"),
        Column(_("Tỷ lệ đúng hạn (%)"), width=12, key="on_time_rate"),
    ]


@register
class ComplianceGridExporter(Exporter):
    kind = "compliance_grid"
    verbose_name = gettext_lazy("Tình hình nộp báo cáo")

    def clean_params(self, params):
        params = super().clean_params(params)
        cleaned = {
            name: str(first(params.get(name)))
            for name in PARAMS
            if first(params.get(name)) not in (None, "")
        }
        # Choices are checked against the requester's scope when the grid is
        # built (build_grid ignores what is not theirs); here only the shape.
        for name in ("page", "span", "year", "commune"):
            if name in cleaned and not cleaned[name].isdigit():
                raise ValidationError(_("Điều kiện lọc không hợp lệ."))
        if "_test_delay" in params:
            cleaned["_test_delay"] = params["_test_delay"]
        return cleaned

    def has_permission(self):
        return super().has_permission() and may_see_compliance(self.user)

    def grid(self):
        if not hasattr(self, "_grid"):
            params = {k: v for k, v in self.params.items() if k in PARAMS}
            self._form, self._grid = build_grid(self.user, params)
        return self._grid

    def count(self):
        return len(self.grid().rows)

    def get_classification(self):
        # Whether a unit reported is not the report's content (exports.compliance).
        return 0

    def get_title(self):
        grid = self.grid()
        if grid.page is None:
            return str(self.verbose_name)
        return _("Tình hình nộp %(title)s") % {"title": grid.page.title}

    def get_file_name(self):
        grid = self.grid()
        suffix = grid.periods[-1].key if grid.periods else "trong"
        return f"tinh-hinh-nop-bao-cao_{suffix}.xlsx"

    def get_sheets(self):
        grid = self.grid()
        labels = grid.period_labels

        def grid_rows():
            for row in grid.rows:
                yield [
                    row.unit.code,
                    row.unit.name,
                    row.unit.get_level_display(),
                    row.unit.commune.name if row.unit.commune_id else "",
                    *[cell.symbol if cell else "—" for cell in row.cells],
                    row.rate,
                ]

        legend = "; ".join(f"{symbol}: {label}" for _s, symbol, label in grid.legend)
        yield Sheet(
            name=_("Đơn vị theo kỳ"),
            title=f"{self.get_title()} — {legend}",
            columns=[
                Column(_("Mã đơn vị"), width=16, key="unit_code"),
                Column(_("Đơn vị"), width=42, key="unit"),
                Column(_("Cấp"), width=10, key="level"),
                Column(_("Xã, phường"), width=22, key="commune"),
                *[
                    Column(long, width=9, key=period.key)
                    for (short, long), period in zip(labels, grid.periods, strict=True)
                ],
                Column(_("Tỷ lệ đúng hạn (%)"), width=12, key="on_time_rate"),
            ],
            rows=grid_rows,
        )
        yield Sheet(
            name=_("Theo xã, phường"),
            title=_("Tỷ lệ nộp đúng hạn theo xã, phường"),
            columns=[Column(_("Xã, phường"), width=28, key="commune"), *rate_columns()],
            rows=lambda: (
                [commune.name, *rate_cells(counts, rate)]
                for commune, counts, rate in grid.communes
            ),
        )
        yield Sheet(
            name=_("Theo mẫu báo cáo"),
            title=_("Tỷ lệ nộp đúng hạn theo mẫu báo cáo"),
            columns=[
                Column(_("Mẫu báo cáo"), width=36, key="template"),
                *rate_columns(),
            ],
            rows=lambda: (
                [page.title, *rate_cells(counts, rate)]
                for page, counts, rate in grid.templates
            ),
        )
