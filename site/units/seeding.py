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


@transaction.atomic
def seed_province(code):
    """Create what is missing; never change or duplicate what exists (idempotent)."""
    province = get_province(code)
    province_name = normalize_name(province.name)
    result = SeedResult(province_name=province_name)

    by_suffix = {}
    for suffix, kind, template, parent_suffix in PROVINCE_UNITS:
        unit, created = Unit.objects.get_or_create(
            code=province_unit_code(province.code.value, suffix),
            defaults={
                "name": template.format(province=province_name),
                "kind": kind,
                "level": Level.PROVINCE,
                "parent": by_suffix.get(parent_suffix),
            },
        )
        by_suffix[suffix] = unit
        result.units_created += created
        result.units_existing += not created

    for ward in Ward.iter_by_province(province.code):
        commune, created = Commune.objects.get_or_create(
            code=str(ward.code.value),
            defaults={
                "name": ward.name,
                "division_type": _DIVISION_TYPES[ward.division_type.value],
                "province_code": province.code.value,
            },
        )
        result.communes_created += created
        result.communes_existing += not created
        in_commune = {}
        for suffix, kind, template, parent_suffix in COMMUNE_UNITS:
            unit, created = Unit.objects.get_or_create(
                code=commune_unit_code(commune.code, suffix),
                defaults={
                    "name": template.format(
                        commune=_commune_display_name(commune.name)
                    ),
                    "kind": kind,
                    "level": Level.COMMUNE,
                    "commune": commune,
                    "parent": in_commune.get(parent_suffix),
                },
            )
            in_commune[suffix] = unit
            result.units_created += created
            result.units_existing += not created
    return result
