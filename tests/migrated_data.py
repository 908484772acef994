"""The rows the data migrations make, made again after a test flushed them."""

import importlib

from django.apps import apps
from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page

# (migration module, function): each creates its rows with apps.get_model, so it
# runs as well on the live app registry as on the historical one.
DATA_MIGRATIONS = [
    ("home.migrations.0002_create_homepage", "create_homepage"),
    ("forms_app.migrations.0002_forms_index_moderation_sectors", "forwards"),
    ("workflows.migrations.0002_default_review_workflow", "create_workflow"),
    ("exports.migrations.0003_default_digest_schedules", "create_defaults"),
]


def restore_migrated_rows():
    """Wagtail's own initial rows (locale, root page, root collection), then ours.

    Content types, permissions and the role groups come back by themselves: the
    flush re-runs post_migrate.
    """
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root"))
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    for module, function in DATA_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)
    root = Page.objects.get(depth=1)
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
