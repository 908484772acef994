"""Local development: the embedded SQLite default, console mail, debug pages."""

from .base import *  # noqa: F403

# Debug pages and template errors are what a developer on 127.0.0.1 wants.
DEBUG = True

# Plain static storage: runserver serves from the finders, no collectstatic needed.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The embedded SQLite file and private files live under var/ (git-ignored).
(BASE_DIR / "var").mkdir(exist_ok=True)  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# A fixed identity key for the demo data only (never for real identities):
# production refuses to start without DLXH_IDENTITY_KEYS.
DLXH_IDENTITY_KEYS = DLXH_IDENTITY_KEYS or [  # noqa: F405
    "ZGV2LW9ubHktaWRlbnRpdHkta2V5LWRvLW5vdC11c2U="
]
