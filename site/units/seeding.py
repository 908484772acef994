"""Seed a province's communes (from vietnam-provinces) and its standard units."""

from dataclasses import dataclass

from django.db import transaction
from vietnam_provinces import Province, ProvinceCode, Ward

from .choices import DivisionType, Level
from .models import Commune, Unit
from .standard import (
    COMMUNE_UNITS,
    PROVINCE_UNITS,
    commune_unit_code,
    province_unit_code,
)
from .text import normalize_name

_DIVISION_TYPES = {
    "xã": DivisionType.COMMUNE,
    "phường": DivisionType.WARD,
    "đặc khu": DivisionType.SPECIAL_ZONE,
}


@dataclass
class SeedResult:
    province_name: str
    communes_created: int = 0
    communes_existing: int = 0
    units_created: int = 0
    units_existing: int = 0


def get_province(code):
    try:
        return Province.from_code(ProvinceCode(int(code)))
    except ValueError as exc:
        raise ValueError(f"Không có tỉnh, thành phố mã {code}.") from exc


def _commune_display_name(name):
    """'Xã Hòa Phú' → 'xã Hòa Phú' inside a unit name ('Đảng ủy xã Hòa Phú')."""
    head, _sep, tail = name.partition(" ")
    return f"{head.lower()} {tail}" if tail else name


class _UnitPlan:
    """Units to create in one pass, with parents linked once all have ids.

    Seeding a province is ~850 rows; bulk creation keeps it to a few queries.
    """

    def __init__(self, result):
        self.result = result
        self.existing = dict(Unit.objects.values_list("code", "id"))
        self.new = []
        self.parents = []  # (child code, parent code)

    def add(self, code, parent_code, **fields):
        if code in self.existing:
            self.result.units_existing += 1
            return
        unit = Unit(code=code, **fields)
        unit.normalize()
        self.new.append(unit)
        if parent_code:
            self.parents.append((code, parent_code))

    def save(self):
        Unit.objects.bulk_create(self.new, batch_size=500)
        self.result.units_created += len(self.new)
        ids = dict(
            Unit.objects.filter(
                code__in={c for pair in self.parents for c in pair}
            ).values_list("code", "id")
        )
        children = {unit.code: unit for unit in self.new}
        for child_code, parent_code in self.parents:
            children[child_code].id = ids[child_code]
            children[child_code].parent_id = ids[parent_code]
        Unit.objects.bulk_update(
            [children[code] for code, _parent in self.parents],
            ["parent"],
            batch_size=500,
        )


@transaction.atomic
def seed_province(code):
    """Create what is missing; never change or duplicate what exists (idempotent)."""
    province = get_province(code)
    province_code = province.code.value
    province_name = normalize_name(province.name)
    result = SeedResult(province_name=province_name)
    plan = _UnitPlan(result)

    for suffix, kind, template, parent in PROVINCE_UNITS:
        plan.add(
            province_unit_code(province_code, suffix),
            province_unit_code(province_code, parent) if parent else None,
            name=template.format(province=province_name),
            kind=kind,
            level=Level.PROVINCE,
        )

    wards = list(Ward.iter_by_province(province.code))
    existing = set(
        Commune.objects.filter(code__in=[str(w.code.value) for w in wards]).values_list(
            "code", flat=True
        )
    )
    new_communes = []
    for ward in wards:
        if str(ward.code.value) in existing:
            continue
        commune = Commune(
            code=str(ward.code.value),
            name=ward.name,
            division_type=_DIVISION_TYPES[ward.division_type.value],
            province_code=province_code,
        )
        commune.normalize()
        new_communes.append(commune)
    Commune.objects.bulk_create(new_communes)
    result.communes_created = len(new_communes)
    result.communes_existing = len(existing)

    communes = Commune.objects.filter(province_code=province_code)
    for commune in communes:
        for suffix, kind, template, parent in COMMUNE_UNITS:
            plan.add(
                commune_unit_code(commune.code, suffix),
                commune_unit_code(commune.code, parent) if parent else None,
                name=template.format(commune=_commune_display_name(commune.name)),
                kind=kind,
                level=Level.COMMUNE,
                commune=commune,
            )
    plan.save()
    return result
