import zipfile
from io import BytesIO

from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from tests.base import BaseTestCase
from units.choices import Clearance, Level, Role, UnitKind
from units.importers import PeopleImporter, UnitImporter, template_workbook
from units.models import Membership, Unit, UserProfile
from units.roles import ROLE_GROUP_NAMES

from .workbooks import (
    GOOD_PEOPLE,
    GOOD_UNITS,
    PEOPLE_HEADER,
    UNIT_HEADER,
    named,
    with_row,
    xlsx,
)

User = get_user_model()


def import_units(rows, **kwargs):
    return UnitImporter().run(xlsx(rows, **kwargs))


def import_people(rows, **kwargs):
    return PeopleImporter().run(xlsx(rows, **kwargs))


class ImportAssertions:
    def assertRefused(self, result, row, column, words):
        """Nothing saved, and an error at this row and column saying `words`."""
        self.assertFalse(result.ok)
        self.assertEqual((result.created, result.updated, result.unchanged), (0, 0, 0))
        matching = [e for e in result.errors if (e.row, e.column) == (row, column)]
        self.assertTrue(matching, f"no error at row {row}, {column}: {result.errors}")
        self.assertIn(words, str(matching[0]))
        if row is not None:
            self.assertTrue(str(matching[0]).startswith(f"Dòng {row}, cột {column}:"))


class UnitImporterTestCase(ImportAssertions, BaseTestCase):
    def setUp(self):
        self.units_before = Unit.objects.count()

    def assertNothingImported(self):
        self.assertEqual(Unit.objects.count(), self.units_before)

    def test_a_good_units_sheet_creates_every_unit_with_its_commune_and_parent(self):
        result = import_units(GOOD_UNITS)

        self.assertTrue(result.ok, result.errors)
        self.assertEqual((result.created, result.updated, result.unchanged), (4, 0, 0))
        front = Unit.objects.get(code="X24175-MTTQ")
        self.assertEqual(front.kind, UnitKind.FATHERLAND_FRONT)
        self.assertEqual(front.level, Level.COMMUNE)
        self.assertEqual(front.commune, self.hoa_phu)
        self.assertEqual(front.parent, self.hoa_phu_party)
        agency = Unit.objects.get(code="T66-SNNMT")
        self.assertEqual(agency.level, Level.PROVINCE)
        self.assertIsNone(agency.commune)

    def test_a_parent_may_come_later_in_the_same_sheet(self):
        import_units(GOOD_UNITS)

        council = Unit.objects.get(code="X24163-HDND")
        self.assertEqual(council.parent.code, "X24163-DU")
        self.assertEqual(council.parent.name, "Đảng ủy phường Tân An")

    def test_importing_the_same_units_sheet_again_changes_nothing(self):
        import_units(GOOD_UNITS)
        count = Unit.objects.count()

        result = import_units(GOOD_UNITS)

        self.assertTrue(result.ok)
        self.assertEqual((result.created, result.updated, result.unchanged), (0, 0, 4))
        self.assertEqual(Unit.objects.count(), count)

    def test_a_changed_name_updates_the_unit_matched_by_its_code(self):
        rows = [
            UNIT_HEADER,
            ["T66-CA", "Công an tỉnh Đắk Lắk (mới)", "Công an", "Cấp tỉnh"],
        ]

        result = import_units(rows)

        self.assertEqual((result.created, result.updated, result.unchanged), (0, 1, 0))
        self.police.refresh_from_db()
        self.assertEqual(self.police.name, "Công an tỉnh Đắk Lắk (mới)")

    def test_headers_match_without_diacritics_or_by_machine_key(self):
        header = ["MA DON VI", "ten_don_vi", "Loai don vi", "cap", "Ghi chú"]
        rows = [header, ["T66-SXD", "Sở Xây dựng", "specialised_agency", "tinh", "x"]]

        result = import_units(rows)

        self.assertTrue(result.ok, result.errors)
        self.assertTrue(Unit.objects.filter(code="T66-SXD").exists())

    def test_it_imports_nothing_when_one_row_names_an_unknown_commune(self):
        row = ["X99999-UBND", "Ủy ban nhân dân xã Không Có", "Ủy ban nhân dân", "xã"]
        result = import_units(with_row(GOOD_UNITS, [*row, 99999]))

        self.assertRefused(result, 6, "Mã xã, phường", "Không có xã, phường mã “99999”")
        self.assertNothingImported()

    def test_it_imports_nothing_when_a_unit_code_appears_twice(self):
        result = import_units(with_row(GOOD_UNITS, GOOD_UNITS[4]))

        self.assertRefused(result, 6, "Mã đơn vị", "đã có ở dòng 5")
        self.assertNothingImported()

    def test_it_imports_nothing_when_a_kind_is_not_allowed_at_the_level(self):
        row = ["X24175-CA", "Công an xã Hòa Phú", "Công an", "Cấp xã", 24175]
        result = import_units(with_row(GOOD_UNITS, row))

        self.assertRefused(result, 6, "Loại đơn vị", "“Công an” không có ở cấp xã")
        self.assertNothingImported()

    def test_it_imports_nothing_when_a_kind_is_unknown(self):
        row = ["T66-X", "Đơn vị lạ", "Câu lạc bộ", "Cấp tỉnh"]
        result = import_units(with_row(GOOD_UNITS, row))

        self.assertRefused(
            result, 6, "Loại đơn vị", "Không có loại đơn vị “Câu lạc bộ”"
        )
        self.assertNothingImported()

    def test_it_imports_nothing_when_a_required_cell_is_empty(self):
        row = ["T66-X", "   ", "Cơ quan chuyên môn", "Cấp tỉnh"]
        result = import_units(with_row(GOOD_UNITS, row))

        self.assertRefused(result, 6, "Tên đơn vị", "không được để trống")
        self.assertNothingImported()

    def test_it_imports_nothing_when_the_parent_is_unknown(self):
        row = ["T66-X", "Sở X", "Cơ quan chuyên môn", "Cấp tỉnh", None, "T66-KHONG"]
        result = import_units(with_row(GOOD_UNITS, row))

        self.assertRefused(result, 6, "Mã đơn vị cấp trên", "Không có đơn vị mã")
        self.assertNothingImported()

    def test_it_imports_nothing_when_parents_form_a_loop(self):
        rows = [
            UNIT_HEADER,
            # The Board's party committee would sit under a new unit below itself.
            ["X24175-DU", "Đảng ủy xã Hòa Phú", "Đảng ủy", "xã", 24175, "X24175-XDD"],
        ]

        result = import_units(rows)

        self.assertRefused(result, 2, "Mã đơn vị cấp trên", "vòng lặp")
        self.assertIsNone(Unit.objects.get(code="X24175-DU").parent)

    def test_a_missing_required_column_is_named_in_a_file_level_error(self):
        rows = [UNIT_HEADER[:3], ["T66-X", "Sở X", "Cơ quan chuyên môn"]]

        result = import_units(rows)

        self.assertRefused(result, None, "Cấp", "Thiếu cột bắt buộc “Cấp”")
        self.assertNothingImported()


class PeopleImporterTestCase(ImportAssertions, BaseTestCase):
    def setUp(self):
        self.memberships_before = Membership.objects.count()
        self.users_before = User.objects.count()

    def assertNothingImported(self):
        self.assertEqual(Membership.objects.count(), self.memberships_before)
        self.assertEqual(User.objects.count(), self.users_before)

    def test_a_good_people_sheet_creates_people_memberships_and_role_groups(self):
        result = import_people(GOOD_PEOPLE)

        self.assertTrue(result.ok, result.errors)
        self.assertEqual((result.created, result.updated, result.unchanged), (4, 0, 0))
        an = User.objects.get(username="nguyen.van.an")
        self.assertEqual((an.last_name, an.first_name), ("Nguyễn Văn", "An"))
        self.assertEqual(an.email, "an.nv@example.vn")
        self.assertFalse(an.has_usable_password())
        self.assertEqual(an.dlxh_profile.title, "Chuyên viên")
        membership = an.memberships.get()
        self.assertEqual(membership.unit, self.hoa_phu_ubnd)
        self.assertEqual(membership.role, Role.REPORTER)
        groups = set(an.groups.values_list("name", flat=True))
        self.assertEqual(groups, {ROLE_GROUP_NAMES[Role.REPORTER]})
        cuong = User.objects.get(username="le.van.cuong")
        self.assertEqual(cuong.dlxh_profile.clearance, Clearance.SECRET)
        thu = User.objects.get(username="pham.thu")
        self.assertEqual(thu.dlxh_profile.clearance, Clearance.TOP_SECRET)
        self.assertTrue(thu.has_perm("units.add_unit"))

    def test_a_phone_typed_as_a_number_keeps_its_leading_zero(self):
        import_people(GOOD_PEOPLE)

        profile = UserProfile.objects.get(user__username="nguyen.van.an")
        self.assertEqual(profile.phone, "0912345678")

    def test_importing_the_same_people_sheet_again_changes_nothing(self):
        import_people(GOOD_PEOPLE)
        users = User.objects.count()

        result = import_people(GOOD_PEOPLE)

        self.assertTrue(result.ok)
        self.assertEqual((result.created, result.updated, result.unchanged), (0, 0, 4))
        self.assertEqual(User.objects.count(), users)
        self.assertEqual(Membership.objects.count(), self.memberships_before + 4)

    def test_a_changed_role_updates_the_membership_and_its_group(self):
        rows = [
            PEOPLE_HEADER,
            ["hoaphu.xdd", "hoaphu.xdd", "", "X24175-XDD", "reporter"],
        ]

        result = import_people(rows)

        self.assertEqual((result.created, result.updated, result.unchanged), (0, 1, 0))
        self.assertEqual(self.reviewer.memberships.get().role, Role.REPORTER)
        groups = set(self.reviewer.groups.values_list("name", flat=True))
        self.assertEqual(groups, {ROLE_GROUP_NAMES[Role.REPORTER]})

    def test_a_person_may_serve_two_units_in_one_sheet(self):
        rows = [
            PEOPLE_HEADER,
            ["an", "Nguyễn An", "", "X24175-UBND", "Cán bộ báo cáo"],
            ["an", "Nguyễn An", "", "X24163-UBND", "Cán bộ báo cáo"],
        ]

        result = import_people(rows)

        self.assertEqual(result.created, 2)
        self.assertEqual(User.objects.get(username="an").memberships.count(), 2)

    def test_it_imports_nothing_when_one_row_names_an_unknown_unit(self):
        row = ["x.y", "X Y", "", "X00000-KHONG", "reporter"]
        result = import_people(with_row(GOOD_PEOPLE, row))

        self.assertRefused(result, 6, "Mã đơn vị", "Không có đơn vị mã “X00000-KHONG”")
        self.assertNothingImported()

    def test_it_imports_nothing_when_a_role_is_unknown(self):
        row = ["x.y", "X Y", "", "X24175-UBND", "Thủ quỹ"]
        result = import_people(with_row(GOOD_PEOPLE, row))

        self.assertRefused(result, 6, "Vai trò", "Không có vai trò “Thủ quỹ”")
        self.assertNothingImported()

    def test_it_imports_nothing_when_a_role_is_not_allowed_in_the_unit(self):
        row = ["x.y", "X Y", "", "X24175-UBND", "Chuyên viên Ban"]
        result = import_people(with_row(GOOD_PEOPLE, row))

        self.assertRefused(result, 6, "Vai trò", "chỉ dành cho cán bộ Ban Tuyên giáo")
        self.assertNothingImported()

    def test_it_imports_nothing_when_an_email_is_invalid(self):
        row = ["x.y", "X Y", "x@@example", "X24175-UBND", "reporter"]
        result = import_people(with_row(GOOD_PEOPLE, row))

        self.assertRefused(result, 6, "Email", "Email “x@@example” không hợp lệ")
        self.assertNothingImported()

    def test_it_imports_nothing_when_a_username_is_invalid(self):
        row = ["Nguyễn Văn An", "X Y", "", "X24175-UBND", "reporter"]
        result = import_people(with_row(GOOD_PEOPLE, row))

        self.assertRefused(result, 6, "Tên đăng nhập", "không hợp lệ")
        self.assertNothingImported()

    def test_it_imports_nothing_when_a_person_is_assigned_to_the_same_unit_twice(self):
        result = import_people(with_row(GOOD_PEOPLE, GOOD_PEOPLE[1]))

        self.assertRefused(result, 6, "Tên đăng nhập", "ở dòng 2")
        self.assertNothingImported()

    def test_it_imports_nothing_when_a_required_cell_is_empty(self):
        row = ["x.y", "X Y", "", "X24175-UBND", None]
        result = import_people(with_row(GOOD_PEOPLE, row))

        self.assertRefused(result, 6, "Vai trò", "không được để trống")
        self.assertNothingImported()

    def test_it_refuses_to_move_an_existing_account_to_another_email(self):
        row = ["hoaphu.ubnd", "X Y", "ke.gian@example.vn", "X24175-UBND", "reporter"]
        result = import_people([PEOPLE_HEADER, row])

        self.assertRefused(result, 2, "Email", "đã có email khác")
        self.member.refresh_from_db()
        self.assertEqual(self.member.email, "hoaphu.ubnd@example.vn")

    def test_it_refuses_to_import_a_superuser_account(self):
        row = ["quantri", "Quản trị", "", "T66-BTGDV", "board_staff"]
        result = import_people([PEOPLE_HEADER, row])

        self.assertRefused(result, 2, "Tên đăng nhập", "tài khoản quản trị hệ thống")
        self.assertFalse(self.superuser.memberships.exists())


class SheetFileTestCase(ImportAssertions, BaseTestCase):
    def test_a_csv_file_is_refused_as_the_wrong_file_type(self):
        result = UnitImporter().run(named(b"ma_don_vi,ten_don_vi\n", "don-vi.csv"))

        self.assertRefused(result, None, "", "Tệp phải là bảng tính Excel (.xlsx).")

    def test_an_old_xls_file_is_refused_as_the_wrong_file_type(self):
        ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)

        result = UnitImporter().run(named(ole2, "don-vi.xlsx"))

        self.assertRefused(result, None, "", "Tệp phải là bảng tính Excel (.xlsx).")

    def test_random_bytes_named_xlsx_are_not_a_valid_workbook(self):
        result = UnitImporter().run(named(b"\x00\x01not a zip" * 50, "don-vi.xlsx"))

        self.assertRefused(
            result, None, "", "Tệp không phải là bảng tính Excel hợp lệ."
        )

    def test_a_zip_without_a_workbook_is_not_a_valid_workbook(self):
        buffer = BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "không phải bảng tính")

        result = PeopleImporter().run(named(buffer.getvalue(), "can-bo.xlsx"))

        self.assertRefused(
            result, None, "", "Tệp không phải là bảng tính Excel hợp lệ."
        )

    def test_a_workbook_with_a_broken_sheet_is_not_a_valid_workbook(self):
        good = zipfile.ZipFile(xlsx(GOOD_UNITS))
        buffer = BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for item in good.infolist():
                data = good.read(item)
                if item.filename == "xl/worksheets/sheet1.xml":
                    data = data[: len(data) // 2]
                archive.writestr(item, data)

        result = UnitImporter().run(named(buffer.getvalue(), "don-vi.xlsx"))

        self.assertRefused(
            result, None, "", "Tệp không phải là bảng tính Excel hợp lệ."
        )

    def test_a_sheet_with_only_a_header_is_refused_as_empty(self):
        result = import_units([UNIT_HEADER])

        self.assertRefused(result, None, "", "không có dòng dữ liệu nào")

    def test_a_completely_empty_sheet_is_refused(self):
        result = import_people([])

        self.assertRefused(result, None, "", "Bảng tính trống")

    def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_excel(self):
        rows = [UNIT_HEADER, [None] * 6, ["T66-X", "", "Cơ quan chuyên môn", "tỉnh"]]

        result = import_units(rows)

        self.assertRefused(result, 3, "Tên đơn vị", "không được để trống")

    def test_the_template_has_headers_an_example_row_and_a_guide(self):
        for kind, header in (("units", UNIT_HEADER), ("people", PEOPLE_HEADER)):
            with self.subTest(kind=kind):
                buffer = BytesIO()
                template_workbook(kind).save(buffer)

                workbook = load_workbook(buffer)
                sheet = workbook.worksheets[0]
                self.assertEqual([c.value for c in sheet[1]], header)
                self.assertEqual(sheet.freeze_panes, "A2")
                self.assertEqual(sheet.max_row, 2)
                guide = [c for row in workbook["Hướng dẫn"].values for c in row]
                for value in ("Cấp xã", "Cộng tác viên dư luận xã hội", "Tối mật"):
                    self.assertIn(value, guide)

    def test_the_example_rows_of_the_templates_import_as_they_are(self):
        for importer in (UnitImporter, PeopleImporter):
            with self.subTest(importer=importer.__name__):
                buffer = BytesIO()
                importer.template_workbook().save(buffer)

                result = importer().run(named(buffer.getvalue(), "mau.xlsx"))

                self.assertTrue(result.ok, result.errors)
                self.assertEqual(result.created, 1)
