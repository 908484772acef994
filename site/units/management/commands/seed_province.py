from django.core.management.base import BaseCommand, CommandError

from units.seeding import seed_province


class Command(BaseCommand):
    help = "Seed a province's communes/wards and its standard units (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("code", type=int, help="Official province code, e.g. 66")

    def handle(self, *args, code, **options):
        try:
            result = seed_province(code)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{result.province_name}: "
            f"{result.communes_created} communes/wards created, "
            f"{result.communes_existing} already present; "
            f"{result.units_created} units created, "
            f"{result.units_existing} already present."
        )
