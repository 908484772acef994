"""What every test run shares: the services it found, and the tests that need them.

A test that needs a real service says so with a marker (`needs_postgres`,
`needs_redis`, `browser`, `needs_s3`, `multinode`). Where bin/test could not
provide that service, the test is skipped with the reason, never failed and never
run against something weaker, and the run's closing summary counts the skips for
want of each service, so a green run on a bare machine is visibly a partial one.
"""

import os

import pytest
from django.test import Client

from tests.services import services
from tests.two_factor import mark_verified

# Browser tests run a live server in a thread while Playwright's sync API runs an
# event loop in the test's thread; Django refuses ORM calls from "async" contexts.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

_force_login = Client.force_login


def _force_login_verified(self, user, backend=None):
    """force_login, past the second step too (tests/two_factor.py)."""
    _force_login(self, user, backend)
    mark_verified(self, user)


Client.force_login = _force_login_verified


def pytest_collection_modifyitems(config, items):
    missing = [service for service, available in services() if not available]
    for item in items:
        for service in missing:
            if item.get_closest_marker(service.marker):
                item.add_marker(pytest.mark.skip(reason=service.reason))
                break  # one reason a test, so each skip is counted once


def _skip_reason(report):
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr or "")


def pytest_terminal_summary(terminalreporter):
    reasons = [_skip_reason(r) for r in terminalreporter.stats.get("skipped", [])]
    used, missing, lines = [], [], []
    for service, available in services():
        (used if available else missing).append(service.name)
        skipped = sum(reason.startswith(f"needs {service.name}:") for reason in reasons)
        if skipped:
            lines.append(f"{skipped} skipped for want of {service.name}")
    terminalreporter.write_sep("-", "services")
    terminalreporter.write_line(
        "used: "
        + (", ".join(used) or "none")
        + (f"; missing: {', '.join(missing)}" if missing else "")
    )
    if lines:
        terminalreporter.write_line(
            "PARTIAL RUN: " + "; ".join(lines), yellow=True, bold=True
        )
    else:
        terminalreporter.write_line("no test was skipped for want of a service")
