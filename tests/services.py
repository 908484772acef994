"""The real services a test may need, and whether this run has each of them.

bin/test provides what it can (see bin/lib/services.sh); tests/conftest.py skips,
with the reason, the tests whose service is missing.
"""

import os
import shutil
from dataclasses import dataclass

from django.conf import settings

# Debian's chromium; DLXH_CHROMIUM only lets bin/test-matrix act out a machine
# without it.
CHROMIUM = os.environ.get("DLXH_CHROMIUM", "/usr/bin/chromium")


@dataclass(frozen=True)
class Service:
    marker: str
    name: str
    why_missing: str

    @property
    def reason(self):
        # The summary counts skips by this prefix.
        return f"needs {self.name}: {self.why_missing}"


def _database_is_postgres():
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def _chromium_found():
    return os.access(CHROMIUM, os.X_OK) or bool(shutil.which(CHROMIUM))


def services():
    """Each service a marker may ask for, with whether this run has it."""
    return [
        (
            Service(
                "needs_postgres",
                "PostgreSQL",
                "this run tests against SQLite (threads, row locks and worker "
                "processes need a shared server database)",
            ),
            _database_is_postgres(),
        ),
        (
            Service(
                "needs_redis",
                "Redis",
                "REDIS_URL is unset, jobs run synchronously",
            ),
            bool(settings.REDIS_URL),
        ),
        (
            Service("browser", "chromium", f"{CHROMIUM} is missing"),
            _chromium_found(),
        ),
    ]
