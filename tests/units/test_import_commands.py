import tempfile
from io import StringIO
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from tests.base import BaseTestCase
from units.models import Membership, Unit

from .workbooks import GOOD_PEOPLE, GOOD_UNITS, with_row, xlsx


class CommandTestMixin:
    def setUp(self):
        super().setUp()
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)

    def sheet(self, rows, name="bang-tinh.xlsx"):
        path = self.folder / name
        path.write_bytes(xlsx(rows).getvalue())
        return str(path)

    def run_command(self, name, path):
        out, err = StringIO(), StringIO()
        try:
            call_command(name, path, stdout=out, stderr=err)
        except CommandError as error:
            return out.getvalue(), err.getvalue(), error
        return out.getvalue(), err.getvalue(), None


class ImportUnitsCommandTestCase(CommandTestMixin, BaseTestCase):
    def test_it_imports_a_good_sheet_and_prints_the_counts(self):
        before = Unit.objects.count()

        out, _err, error = self.run_command("import_units", self.sheet(GOOD_UNITS))

        self.assertIsNone(error)
        self.assertIn("4 tạo mới, 0 cập nhật, 0 không đổi.", out)
        self.assertEqual(Unit.objects.count(), before + 4)

    def test_a_second_run_reports_every_unit_unchanged(self):
        path = self.sheet(GOOD_UNITS)
        self.run_command("import_units", path)

        out, _err, _error = self.run_command("import_units", path)

        self.assertIn("0 tạo mới, 0 cập nhật, 4 không đổi.", out)

    def test_it_prints_each_bad_row_and_fails_without_importing(self):
        before = Unit.objects.count()
        bad = ["X24175-CA", "Công an xã Hòa Phú", "Công an", "Cấp xã", 24175]
        rows = with_row(with_row(GOOD_UNITS, bad), ["T66-X", "", "other", "tỉnh"])

        _out, err, error = self.run_command("import_units", self.sheet(rows))

        self.assertIsInstance(error, CommandError)
        self.assertIn("2 lỗi", str(error))
        self.assertIn("Dòng 6, cột Loại đơn vị: Loại đơn vị “Công an”", err)
        self.assertIn("Dòng 7, cột Tên đơn vị: Ô này không được để trống.", err)
        self.assertEqual(Unit.objects.count(), before)

    def test_a_file_that_is_not_xlsx_fails_cleanly(self):
        path = self.folder / "don-vi.csv"
        path.write_text("ma_don_vi,ten_don_vi\n")

        _out, err, error = self.run_command("import_units", str(path))

        self.assertIsInstance(error, CommandError)
        self.assertIn("Tệp phải là bảng tính Excel (.xlsx).", err)

    def test_a_missing_file_fails_cleanly(self):
        _out, err, error = self.run_command("import_units", "/khong/co/tep.xlsx")

        self.assertIsInstance(error, CommandError)
        self.assertIn("Không đọc được tệp", err)


class ImportPeopleCommandTestCase(CommandTestMixin, BaseTestCase):
    def test_it_imports_a_good_sheet_and_prints_the_counts(self):
        before = Membership.objects.count()

        out, _err, error = self.run_command("import_people", self.sheet(GOOD_PEOPLE))

        self.assertIsNone(error)
        self.assertIn("4 tạo mới, 0 cập nhật, 0 không đổi.", out)
        self.assertEqual(Membership.objects.count(), before + 4)

    def test_it_prints_each_bad_row_and_fails_without_importing(self):
        users = get_user_model().objects.count()
        bad = ["x.y", "X Y", "", "X24175-KHONG", "reporter"]

        _out, err, error = self.run_command(
            "import_people", self.sheet(with_row(GOOD_PEOPLE, bad))
        )

        self.assertIsInstance(error, CommandError)
        self.assertIn("Dòng 6, cột Mã đơn vị: Không có đơn vị mã “X24175-KHONG”", err)
        self.assertEqual(get_user_model().objects.count(), users)
