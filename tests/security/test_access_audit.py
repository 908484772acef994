"""The access audit in the admin: Board leaders read and filter it; nobody
edits or deletes it there."""

from django.urls import NoReverseMatch, reverse

from security.models import AccessEvent
from tests.base import BaseTestCase
from tests.forms_app.factories import make_report_template, make_submission
from tests.workflows.helpers import REPORT_ANSWERS, REPORT_FIELDS
from units.choices import Clearance


class AccessAuditAdminTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        page = make_report_template(
            fields=REPORT_FIELDS, default_classification=Clearance.SECRET
        )
        self.submission = make_submission(
            page, unit=self.hoa_phu_ubnd, user=self.member, answers=REPORT_ANSWERS
        )
        self.login(self.owner)
        self.client.get(reverse("submissions:edit", args=[self.submission.pk]))
        self.login(self.outsider)
        self.client.get(reverse("submissions:edit", args=[self.submission.pk]))
        self.index = reverse("access_audit:index")

    def test_board_leaders_read_and_filter_it(self):
        self.login(self.leader)
        listing = self.client.get(self.index)
        self.assertContains(listing, "Xem báo cáo có độ mật")
        self.assertContains(listing, "Bị từ chối truy cập")
        refused = self.client.get(self.index, {"kind": "refused"})
        self.assertEqual(
            [(e.kind, e.user) for e in refused.context["object_list"]],
            [("refused", self.outsider)],
        )
        event = AccessEvent.objects.get(kind="view")
        inspect = self.client.get(reverse("access_audit:inspect", args=[event.pk]))
        self.assertContains(inspect, "127.0.0.1")

    def test_nobody_edits_or_deletes_it_there(self):
        for name in ("add", "edit", "delete", "history"):
            with self.subTest(name), self.assertRaises(NoReverseMatch):
                args = [] if name == "add" else [1]
                reverse(f"access_audit:{name}", args=args)
        self.login(self.superuser)
        event = AccessEvent.objects.first()
        self.client.post(reverse("access_audit:inspect", args=[event.pk]))
        self.assertTrue(AccessEvent.objects.filter(pk=event.pk).exists())
        with self.assertRaises(ValueError):
            event.delete()

    def test_others_do_not_read_it(self):
        for user in (self.owner, self.member, self.viewer):
            self.login(user)
            response = self.client.get(self.index)
            self.assertRedirects(response, reverse("wagtailadmin_home"))
