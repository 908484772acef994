"""The client's address in the access audit and django-auditlog: a forged
X-Forwarded-For is believed neither directly nor behind the documented proxy."""

import re
from pathlib import Path

from auditlog.models import LogEntry
from django.test import override_settings
from django.urls import reverse

from security.models import AccessEvent
from tests.base import BaseTestCase
from tests.exports.helpers import PrivateFilesMixin, export
from tests.forms_app.factories import make_report_template, make_submission
from tests.workflows.helpers import REPORT_ANSWERS, REPORT_FIELDS
from units.choices import Clearance

ROOT = Path(__file__).resolve().parents[2]
FORGED = "6.6.6.6"
CLIENT = "203.0.113.7"


def documented_proxy():
    """(the X-Forwarded-For nginx sends for a request from CLIENT that
    already carried FORGED, TRUSTED_PROXY_COUNT of the environment example)."""
    conf = (ROOT / "deploy" / "nginx" / "dlxh.conf").read_text()
    value = re.search(r"proxy_set_header\s+X-Forwarded-For\s+(\S+);", conf).group(1)
    header = {
        "$remote_addr": CLIENT,
        "$proxy_add_x_forwarded_for": f"{FORGED}, {CLIENT}",
    }[value]
    example = (ROOT / "deploy" / "dlxh.env.example").read_text()
    proxies = int(re.search(r"^TRUSTED_PROXY_COUNT=(\d+)", example, re.M).group(1))
    return header, proxies


class ClientAddressTestCase(PrivateFilesMixin, BaseTestCase):
    def setUp(self):
        super().setUp()
        self.page = make_report_template(
            fields=REPORT_FIELDS, default_classification=Clearance.SECRET
        )
        self.submission = make_submission(
            self.page, unit=self.hoa_phu_ubnd, user=self.member, answers=REPORT_ANSWERS
        )
        self.job = export(self.owner, page=[self.page.pk])
        self.login(self.owner)

    def download(self, **meta):
        return self.client.get(reverse("exports:download", args=[self.job.pk]), **meta)

    def reclassify(self, **meta):
        return self.client.post(
            reverse("submissions:reclassify", args=[self.submission.pk]),
            {"classification": 0, "reason": "Đã giải mật theo quyết định."},
            **meta,
        )

    @override_settings(TRUSTED_PROXY_COUNT=0)
    def test_a_forged_forwarded_for_is_not_believed_directly(self):
        self.download(REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=FORGED)
        self.reclassify(REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=FORGED)

        download = AccessEvent.objects.get(kind=AccessEvent.Kind.DOWNLOAD)
        self.assertEqual(download.client_address, CLIENT)
        entry = LogEntry.objects.get(additional_data__event="reclassified")
        self.assertEqual(entry.remote_addr, CLIENT)
        self.assertFalse(
            AccessEvent.objects.filter(client_address=FORGED).exists()
            or LogEntry.objects.filter(remote_addr=FORGED).exists()
        )

    def test_a_forged_forwarded_for_is_not_believed_behind_the_documented_proxy(self):
        header, proxies = documented_proxy()
        with override_settings(TRUSTED_PROXY_COUNT=proxies):
            self.download(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=header)
            self.reclassify(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=header)

        download = AccessEvent.objects.get(kind=AccessEvent.Kind.DOWNLOAD)
        self.assertEqual(download.client_address, CLIENT)
        entry = LogEntry.objects.get(additional_data__event="reclassified")
        self.assertEqual(entry.remote_addr, CLIENT)

    def test_an_appended_forgery_behind_a_proxy_that_appends_is_not_believed(
        self,
    ):
        with override_settings(TRUSTED_PROXY_COUNT=1):
            self.download(
                REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"{FORGED}, {CLIENT}"
            )
        download = AccessEvent.objects.get(kind=AccessEvent.Kind.DOWNLOAD)
        self.assertEqual(download.client_address, CLIENT)

    def test_a_refused_access_is_recorded_with_the_address(self):
        self.login(self.outsider)
        response = self.client.get(
            reverse("submissions:edit", args=[self.submission.pk]), REMOTE_ADDR=CLIENT
        )
        self.assertEqual(response.status_code, 404)
        refused = AccessEvent.objects.get(kind=AccessEvent.Kind.REFUSED)
        self.assertEqual(
            (refused.user, refused.client_address, refused.status),
            (self.outsider, CLIENT, 404),
        )
