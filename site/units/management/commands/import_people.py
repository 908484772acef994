from units.importers import PeopleImporter

from .import_units import ImportCommand


class Command(ImportCommand):
    help = (
        "Import people and their roles from an Excel sheet (.xlsx): every row, "
        "or none if one is bad. Units must exist first (import_units)."
    )
    importer_class = PeopleImporter
