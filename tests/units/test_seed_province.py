from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase

from units.choices import Level, UnitKind
from units.models import Commune, Unit


def seed(code="66"):
    out = StringIO()
    call_command("seed_province", code, stdout=out)
    return out.getvalue()


class SeedProvinceTestCase(TestCase):
    def test_it_seeds_dak_lak_with_its_102_communes_and_wards(self):
        output = seed()

        self.assertEqual(Commune.objects.filter(province_code=66).count(), 102)
        self.assertEqual(Commune.objects.filter(division_type="xa").count(), 88)
        self.assertEqual(Commune.objects.filter(division_type="phuong").count(), 14)
        units = Unit.objects.count()
        self.assertIn("102 communes/wards created, 0 already present", output)
        self.assertIn(f"{units} units created, 0 already present", output)

    def test_it_creates_every_provincial_unit_kind_of_article_1_2_1(self):
        seed()

        kinds = set(
            Unit.objects.filter(level=Level.PROVINCE).values_list("kind", flat=True)
        )
        for kind in (
            UnitKind.BOARD,
            UnitKind.PARTY_COMMITTEE,
            UnitKind.ADVISORY,
            UnitKind.PEOPLES_COMMITTEE,
            UnitKind.POLICE,
            UnitKind.MILITARY,
            UnitKind.PEOPLES_COUNCIL,
            UnitKind.FATHERLAND_FRONT,
            UnitKind.SOCIO_POLITICAL,
            UnitKind.SPECIALISED_AGENCY,
            UnitKind.PRESS,
            UnitKind.COLLABORATORS,
        ):
            self.assertIn(kind, kinds)
        self.assertTrue(
            Unit.objects.filter(name="Báo và Phát thanh, Truyền hình Đắk Lắk").exists()
        )

    def test_each_commune_gets_the_units_of_article_1_2_2(self):
        seed()

        hoa_phu = Commune.objects.get(code="24175")
        kinds = set(hoa_phu.units.values_list("kind", flat=True))
        self.assertEqual(
            kinds,
            {
                UnitKind.PARTY_COMMITTEE,
                UnitKind.PEOPLES_COUNCIL,
                UnitKind.PEOPLES_COMMITTEE,
                UnitKind.FATHERLAND_FRONT,
                UnitKind.PARTY_BUILDING,
                UnitKind.PARTY_OFFICE,
                UnitKind.COLLABORATORS,
            },
        )
        reviewer_unit = hoa_phu.units.get(kind=UnitKind.PARTY_BUILDING)
        self.assertEqual(reviewer_unit.name, "Ban Xây dựng Đảng xã Hòa Phú")
        self.assertEqual(reviewer_unit.parent.kind, UnitKind.PARTY_COMMITTEE)

    def test_it_normalises_the_doubled_spaces_of_the_package_data(self):
        seed()

        self.assertTrue(Commune.objects.filter(name="Phường Buôn Ma Thuột").exists())
        self.assertFalse(Commune.objects.filter(name__contains="  ").exists())
        self.assertFalse(Unit.objects.filter(name__contains="  ").exists())

    def test_a_second_run_creates_nothing_and_reports_what_exists(self):
        seed()
        units = Unit.objects.count()

        output = seed()

        self.assertEqual(Unit.objects.count(), units)
        self.assertEqual(Commune.objects.count(), 102)
        self.assertIn("0 communes/wards created, 102 already present", output)
        self.assertIn(f"0 units created, {units} already present", output)

    def test_it_seeds_any_other_province_by_its_code(self):
        output = seed("1")  # Hà Nội

        self.assertIn("Hà Nội", output)
        self.assertTrue(Commune.objects.filter(province_code=1).exists())
        self.assertFalse(Commune.objects.filter(province_code=66).exists())

    def test_an_unknown_province_code_is_refused(self):
        with self.assertRaisesMessage(CommandError, "Không có tỉnh"):
            seed("99")
        self.assertFalse(Unit.objects.exists())
