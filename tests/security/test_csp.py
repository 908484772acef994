"""The Content Security Policy header: strict on the public forms, with
Wagtail's inline scripts allowed in the admin only."""

from tests.base import BaseTestCase
from tests.forms_app.factories import make_report_template
from tests.workflows.helpers import REPORT_FIELDS


def directives(response):
    policy = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()
    }


class ContentSecurityPolicyTestCase(BaseTestCase):
    def test_the_forms_run_only_this_sites_scripts(self):
        page = make_report_template(fields=REPORT_FIELDS)
        self.login(self.member)
        policy = directives(self.client.get(page.url))
        self.assertEqual(policy["script-src"], ["'self'"])
        self.assertEqual(policy["object-src"], ["'none'"])
        self.assertEqual(policy["frame-ancestors"], ["'self'"])
        self.assertEqual(policy["form-action"], ["'self'"])

    def test_the_admin_allows_wagtails_inline_scripts_and_nothing_from_elsewhere(self):
        self.login(self.member)
        policy = directives(self.client.get("/admin/"))
        self.assertEqual(policy["script-src"], ["'self'", "'unsafe-inline'"])
        self.assertEqual(policy["connect-src"], ["'self'"])
        self.assertEqual(policy["object-src"], ["'none'"])
