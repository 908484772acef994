from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from units.importers import UnitImporter


class ImportCommand(BaseCommand):
    """Shared by import_units and import_people: the same importer as the admin."""

    importer_class = None

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the .xlsx file")

    def handle(self, *args, file, **options):
        result = self.importer_class().run(file)
        for error in result.errors:
            self.stderr.write(str(error))
        if not result.ok:
            raise CommandError(
                _("Không nhập dòng nào: bảng tính có %(count)s lỗi.")
                % {"count": len(result.errors)}
            )
        self.stdout.write(result.summary)


class Command(ImportCommand):
    help = "Import units from an Excel sheet (.xlsx): every row, or none if one is bad."
    importer_class = UnitImporter
