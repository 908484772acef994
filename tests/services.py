"""The real services a test may need, and whether this run has each of them.

bin/test provides what it can (see bin/lib/services.sh); tests/conftest.py skips,
with the reason, the tests whose service is missing.
"""

import importlib.util
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


def _installed(*modules):
    return all(importlib.util.find_spec(module) is not None for module in modules)


def _s3_server_installed():
    # moto's server mode (the test extra's moto[server]) serves S3 on 127.0.0.1.
    return _installed("moto", "flask", "flask_cors")


def services():
    """Each service a marker may ask for, with whether this run has it."""
    s3 = _s3_server_installed()
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
        (
            Service(
                "needs_s3",
                "an S3 test server",
                "moto[server] (the test extra) is not installed",
            ),
            s3,
        ),
        (
            # Web and worker processes of their own, sharing PostgreSQL, Redis
            # and a bucket (the tests also carry needs_postgres and needs_redis).
            Service(
                "multinode",
                "separate web and worker processes",
                "they need moto[server] (the test extra) and gunicorn",
            ),
            s3 and _installed("gunicorn"),
        ),
    ]
