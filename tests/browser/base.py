"""Browser tests: Debian's chromium driven by Playwright, against a live server."""

import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from playwright.sync_api import sync_playwright
from rq import SimpleWorker

import jobs
from security.two_factor import requires_two_factor
from tests.base import PASSWORD, MigratedDataMixin, RegistryMixin
from tests.services import CHROMIUM
from tests.two_factor import confirmed_device, totp_code

# Flags for a closed network and a root user (see the env notes of this machine).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.mark.browser
class BrowserTestCase(MigratedDataMixin, RegistryMixin, StaticLiveServerTestCase):
    # Milliseconds a page action waits for its element, URL or response.
    timeout = 15_000

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.create_registry()
        self.csp_violations = []
        self.context = self.new_context()
        self.page = self.context.new_page()
        self.other_contexts = []

    def tearDown(self):
        for context in self.other_contexts:
            context.close()
        self.context.close()
        super().tearDown()
        # Every browser test also checks that the Content Security Policy
        # blocked nothing the admin or the forms need.
        self.assertEqual(self.csp_violations, [])

    def new_context(self):
        context = self.browser.new_context(locale="vi-VN")
        context.set_default_timeout(self.timeout)
        context.on("console", self._watch_console)
        return context

    def _watch_console(self, message):
        if "Content Security Policy" in message.text:
            self.csp_violations.append(f"{message.page.url}: {message.text}")

    def run_jobs(self, queue_name="default"):
        """Work the jobs the live server enqueued, as the deployment's worker
        would (without Redis they already ran after their commit)."""
        if not settings.REDIS_URL:
            return

        queue = jobs.get_queue(queue_name)
        SimpleWorker([queue], connection=queue.connection).work(burst=True)

    def new_page(self):
        """A page in a browser of its own, for one more person to log in."""
        context = self.new_context()
        self.other_contexts.append(context)
        return context.new_page()

    @contextmanager
    def screenshots_on_failure(self):
        """On an error inside the block, keep a full-page screenshot of every open
        page in a temporary folder, named in the error."""
        try:
            yield
        except Exception as error:
            folder = Path(tempfile.mkdtemp(prefix=f"dlxh-{self._testMethodName}-"))
            pages = [p for c in [self.context, *self.other_contexts] for p in c.pages]
            for number, page in enumerate(pages, start=1):
                try:
                    page.screenshot(path=folder / f"{number}.png", full_page=True)
                except Exception:  # a closed or crashed page: keep the others
                    continue
            error.add_note(f"Screenshots of the open pages: {folder}")
            raise

    def url(self, path):
        return f"{self.live_server_url}{path}"

    def log_in(self, user, page=None):
        page = page or self.page
        page.goto(self.url("/admin/login/"))
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        # Their phone's authenticator app, set up earlier (the setting up itself
        # is tests/browser/test_security.py's).
        device = confirmed_device(user) if requires_two_factor(user) else None
        page.click("button[type=submit]")
        if device is not None:
            # The second step, as the person would: the code of their app.
            page.wait_for_url("**/admin/hai-buoc/?**")
            page.fill("input[name=otp_token]", totp_code(device))
            page.click("button[type=submit] >> text=Xác nhận")
        # The Board and reviewers land on the dashboard, a unit's own people
        # on their unit's page (workflows.unit_page.landing_url).
        page.wait_for_url(re.compile(r"/(admin|viec-cua-don-vi)/$"))
