"""Protected sources (Art. 7.1.5): collaborators and identifying answers are
encrypted with keys of their own, shown by pseudonym, revealed with a reason."""

from cryptography.fernet import Fernet
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from forms_app.models import FormSubmission
from forms_app.protected_answers import is_sealed, unseal
from security.crypto import UndecryptableError
from security.models import AccessEvent
from tests.base import BaseTestCase
from tests.forms_app.factories import make_report_template, step_post
from tests.workflows.helpers import REPORT_ANSWERS, REPORT_FIELDS
from units.choices import Role
from units.identity import reveal
from units.models import ProtectedIdentity
from units.people import upsert_person
from workflows.choices import NotificationKind
from workflows.notifications import notify

NAME = "Trần Thị Giấu Tên"
PHONE = "0911222333"
EMAIL = "giau.ten@example.vn"
SOURCE = "Ông Phạm Văn Nhân Chứng"
SOURCE_FIELD = {
    "type": "short_text",
    "value": {
        "label": "Người cung cấp thông tin",
        "key": "nguoi_cung_cap",
        "identifying": True,
    },
}


def everything_stored():
    """Every text value of every row of every table, as one string."""
    chunks = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table not in connection.introspection.table_names():
                continue
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                chunks.append(" ".join(str(value) for value in row))
    return "\n".join(chunks)


class ProtectedSourcesTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.source_user, _membership = upsert_person(
            username="ctv.07",
            full_name=NAME,
            email=EMAIL,
            phone=PHONE,
            unit=self.hoa_phu_ctv,
            role=Role.COLLABORATOR,
            password="x-" * 8,
        )
        self.identity = ProtectedIdentity.objects.get(user=self.source_user)
        self.page = make_report_template(fields=[*REPORT_FIELDS, SOURCE_FIELD])

    def send_report(self):
        """The collaborator sends a report naming a source, through the form."""
        self.client.force_login(self.source_user)
        token = self.client.get(self.page.url).context["token"]
        data = step_post("1", {**REPORT_ANSWERS, "nguoi_cung_cap": SOURCE}, token=token)
        with self.jobs_after_commit():
            response = self.client.post(self.page.url, data)
        self.assertEqual(response.status_code, 302)
        return FormSubmission.objects.get(idempotency_key=token)

    def test_an_identity_is_not_recoverable_from_the_database_or_the_audit_log(self):
        submission = self.send_report()
        # The Board edits the collaborator's profile (the phone again).
        self.login(self.owner)
        self.client.post(
            reverse("profiles:edit", args=[self.source_user.dlxh_profile.pk]),
            {"clearance": 0, "title": "", "phone": "0944555666"},
        )
        stored = everything_stored()
        for secret in (NAME, PHONE, EMAIL, SOURCE, "0944555666"):
            self.assertNotIn(secret, stored)
        # With the key, they are there.
        self.assertEqual(
            reveal(ProtectedIdentity.objects.get(pk=self.identity.pk)),
            {"full_name": NAME, "email": EMAIL, "phone": "0944555666"},
        )
        self.assertEqual(unseal(submission.answers["nguoi_cung_cap"]), SOURCE)
        # Without it (another installation's key), they are not.
        with override_settings(DLXH_IDENTITY_KEYS=[Fernet.generate_key().decode()]):
            with self.assertRaises(UndecryptableError):
                reveal(self.identity)

    def test_a_collaborator_shows_by_pseudonym_on_the_reviewers_screen(self):
        submission = self.send_report()
        self.login(self.reviewer)
        response = self.client.get(reverse("submissions:edit", args=[submission.pk]))
        self.assertContains(response, self.identity.pseudonym)
        self.assertContains(response, f"NT-{submission.pk:06d}")
        for secret in (NAME, "ctv.07", SOURCE):
            self.assertNotContains(response, secret)
        self.assertNotContains(response, "Xem danh tính")

    def test_notifications_reach_a_collaborator_without_their_address_stored(self):
        submission = self.send_report()
        with self.jobs_after_commit():
            notify([self.source_user], NotificationKind.APPROVED, submission)
        sent = [message for message in mail.outbox if message.to == [EMAIL]]
        self.assertEqual(len(sent), 1)
        self.assertNotIn(NAME, sent[0].body)

    def test_a_reveal_is_recorded_with_its_reason(self):
        url = reverse("units_reveal_identity", args=[self.source_user.pk])
        self.login(self.owner)  # Board staff: not granted
        refused = self.client.get(url)
        self.assertRedirects(refused, reverse("wagtailadmin_home"))
        self.login(self.leader)
        asked = self.client.get(url)
        self.assertNotContains(asked, NAME)
        refused = self.client.post(url, {"reason": ""})
        self.assertContains(refused, "Vui lòng ghi rõ lý do")
        self.assertNotContains(refused, NAME)
        reason = "Xác minh nguồn tin vụ việc thôn 3 theo chỉ đạo."
        response = self.client.post(url, {"reason": reason})
        self.assertContains(response, NAME)
        self.assertContains(response, PHONE)
        event = AccessEvent.objects.get(kind=AccessEvent.Kind.REVEAL)
        self.assertEqual(
            (event.user, event.reason, event.object_id),
            (self.leader, reason, str(self.identity.pk)),
        )
        self.assertTrue(
            AccessEvent.objects.filter(
                kind=AccessEvent.Kind.REFUSED, user=self.owner
            ).exists()
        )

    def test_identifying_answers_are_revealed_with_a_reason_and_recorded(self):
        submission = self.send_report()
        url = reverse("submissions:reveal_answers", args=[submission.pk])
        self.login(self.leader)
        screen = self.client.get(reverse("submissions:edit", args=[submission.pk]))
        self.assertContains(screen, url)
        self.assertNotContains(self.client.get(url), SOURCE)
        response = self.client.post(url, {"reason": "Cần gặp nhân chứng để xác minh."})
        self.assertContains(response, SOURCE)
        self.assertTrue(
            AccessEvent.objects.filter(
                kind=AccessEvent.Kind.REVEAL, object_id=str(submission.pk)
            ).exists()
        )

    def test_keys_rotate_and_the_old_key_can_then_be_removed(self):
        old = ["dGVzdHMtb25seS1pZGVudGl0eS1rZXktMzItYnl0ZXM="]
        new = Fernet.generate_key().decode()
        submission = self.send_report()
        before = ProtectedIdentity.objects.get(pk=self.identity.pk).full_name
        with override_settings(DLXH_IDENTITY_KEYS=[new, *old]):
            call_command("rotate_identity_keys", stdout=open("/dev/null", "w"))
        with override_settings(DLXH_IDENTITY_KEYS=[new]):
            identity = ProtectedIdentity.objects.get(pk=self.identity.pk)
            self.assertNotEqual(identity.full_name, before)
            self.assertEqual(reveal(identity)["full_name"], NAME)
            submission.refresh_from_db()
            self.assertTrue(is_sealed(submission.answers["nguoi_cung_cap"]))
            self.assertEqual(unseal(submission.answers["nguoi_cung_cap"]), SOURCE)
            revision = submission.latest_revision
            self.assertEqual(
                unseal(revision.content["answers"]["nguoi_cung_cap"]), SOURCE
            )
        with override_settings(DLXH_IDENTITY_KEYS=old):
            with self.assertRaises(UndecryptableError):
                reveal(ProtectedIdentity.objects.get(pk=self.identity.pk))
