"""The test suite: PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set (CI)."""

import tempfile
import uuid
from pathlib import Path

from .base import *  # noqa: F403

# A fast hasher: tests create many users and log in often.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Private files of a test run never mix with the developer's own.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="dlxh-test-files-"))

# WhiteNoise warns about a missing STATIC_ROOT; tests never collect static files.
STATIC_ROOT = MEDIA_ROOT / "static"  # noqa: F405
STATIC_ROOT.mkdir()

# Mail is collected in django.core.mail.outbox.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# No collectstatic before tests.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Tests assert Vietnamese messages; the default already is, but make it explicit.
LANGUAGE_CODE = "vi"

# Identities in tests are encrypted with a key of the tests' own.
DLXH_IDENTITY_KEYS = ["dGVzdHMtb25seS1pZGVudGl0eS1rZXktMzItYnl0ZXM="]

# Each run, and each xdist worker, keeps its cache keys (rate limits) apart in
# the shared Redis database: no counter of an earlier run is found, and no test
# ever needs to flush the database (which would drop the queues too).
CACHES["default"]["KEY_PREFIX"] = f"dlxh-test-{uuid.uuid4().hex[:12]}"  # noqa: F405

# Tests move the clock across days (deadlines, reminders): a session idle for
# "days" would end mid-test. The idle timeout is tested on its own, with
# override_settings (tests/security/test_accounts.py).
SESSION_IDLE_TIMEOUT = 0
