import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from forms_app.models import FormsIndexPage, ReportTemplatePage, SurveyPage
from units.models import Unit
from units.people import upsert_person

DEMO_FILE = settings.BASE_DIR / "fixtures" / "demo_people.json"
FORMS_FILE = settings.BASE_DIR / "fixtures" / "demo_forms.json"


class Command(BaseCommand):
    """The demo province: in forms_app, the lowest app that may import all it
    loads (units, people and published forms)."""

    help = (
        "Load the demo province, its units and demo users of every role "
        "(DEMO ONLY: shared password). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEMO_FILE)

    def handle(self, *args, file, **options):
        demo = json.loads(file.read_text(encoding="utf-8"))
        call_command("seed_province", demo["province_code"], stdout=self.stdout)
        with transaction.atomic():
            self._load_people(demo)
            self._load_forms(json.loads(FORMS_FILE.read_text(encoding="utf-8")))
        # Reports of the last weeks, sent through the real path (workflows).
        call_command("demo_reports", stdout=self.stdout)

    def _load_forms(self, demo):
        """Publish the demo templates once; later runs leave them as staff edit them."""
        index = FormsIndexPage.objects.first()
        classes = {"report": ReportTemplatePage, "survey": SurveyPage}
        created = 0
        for spec in demo["forms"]:
            spec = {k: v for k, v in spec.items() if not k.startswith("_")}
            page_class = classes[spec.pop("type")]
            if page_class.objects.filter(slug=spec["slug"]).exists():
                continue
            page = page_class(**spec)
            index.add_child(instance=page)
            page.save_revision().publish()
            created += 1
        self.stdout.write(f"{created} demo forms published.")

    def _load_people(self, demo):
        password = demo["password"]
        units = Unit.objects.in_bulk(
            [p["unit"] for p in demo["people"]], field_name="code"
        )
        for person in demo["people"]:
            unit = units.get(person["unit"])
            if unit is None:
                raise CommandError(f"Unknown unit {person['unit']} in the demo file.")
            upsert_person(
                username=person["username"],
                full_name=person["full_name"],
                email=f"{person['username']}@demo.dlxh.vn",
                unit=unit,
                role=person["role"],
                clearance=person["clearance"],
                title=person.get("title", ""),
                password=password,
            )
        admin = demo["superuser"]
        User = get_user_model()
        if not User.objects.filter(username=admin["username"]).exists():
            User.objects.create_superuser(admin["username"], admin["email"], password)
        self.stdout.write(
            f"{len(demo['people'])} demo people and the superuser "
            f"{admin['username']!r} are ready (password: {password}, demo only)."
        )
