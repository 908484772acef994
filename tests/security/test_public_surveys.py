"""Anonymous surveys (Art. 4.2): a rate limit per client and per survey, a
honeypot, one answer per browser; and nothing stored about the respondent."""

from auditlog.models import LogEntry
from django.test import Client, override_settings

from forms_app.models import FormSubmission
from forms_app.public_surveys import HONEYPOT_FIELD
from tests.base import BaseTestCase
from tests.forms_app.factories import make_survey, step_post

FIELDS = [
    {
        "type": "long_text",
        "value": {"label": "Ý kiến của đồng chí", "key": "y_kien", "required": True},
    }
]


class PublicSurveyTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.page = make_survey(login_required=False, fields=FIELDS)

    def answer(self, client, text="Đồng tình với chính sách.", **extra):
        token = client.get(self.page.url).context["token"]
        data = {**step_post("1", {"y_kien": text}), "dlxh_token": token, **extra}
        return client.post(self.page.url, data, REMOTE_ADDR=client.address)

    def respondent(self, address="198.51.100.20"):
        client = Client(REMOTE_ADDR=address)
        client.address = address
        return client

    @override_settings(SURVEY_RATE_PER_CLIENT=3, SURVEY_RATE_PER_SURVEY=1000)
    def test_one_client_is_stopped_after_too_many_answers(self):
        for number in range(3):
            self.assertEqual(self.answer(self.respondent()).status_code, 302, number)
        refused = self.answer(self.respondent())
        self.assertContains(refused, "Quá nhiều lượt gửi", status_code=429)
        self.assertEqual(FormSubmission.objects.count(), 3)
        # Another client still answers.
        self.assertEqual(self.answer(self.respondent("198.51.100.21")).status_code, 302)

    @override_settings(SURVEY_RATE_PER_CLIENT=100, SURVEY_RATE_PER_SURVEY=2)
    def test_the_survey_is_stopped_when_everyone_together_posts_too_fast(self):
        for number in range(2):
            client = self.respondent(f"198.51.100.{30 + number}")
            self.assertEqual(self.answer(client).status_code, 302)
        refused = self.answer(self.respondent("198.51.100.40"))
        self.assertEqual(refused.status_code, 429)
        self.assertEqual(FormSubmission.objects.count(), 2)

    def test_a_bot_filling_the_honeypot_is_thanked_and_nothing_is_stored(self):
        client = self.respondent()
        form = client.get(self.page.url)
        self.assertContains(form, f'name="{HONEYPOT_FIELD}"')
        response = self.answer(client, **{HONEYPOT_FIELD: "http://spam.example"})
        self.assertContains(response, "Đã gửi thành công")
        self.assertFalse(FormSubmission.objects.exists())

    def test_a_browser_answers_once(self):
        client = self.respondent()
        self.assertEqual(self.answer(client).status_code, 302)
        again = client.get(self.page.url)
        self.assertContains(again, "Đồng chí đã trả lời phiếu này")
        client.post(self.page.url, step_post("1", {"y_kien": "Lần hai"}))
        self.assertEqual(FormSubmission.objects.count(), 1)
        cookie = next(c for c in client.cookies.values() if "tra_loi" in c.key)
        self.assertNotIn("198.51.100", cookie.value)

    def test_an_anonymous_answer_stores_no_address_browser_or_account(self):
        client = self.respondent()
        self.answer(client, HTTP_USER_AGENT="Mozilla/5.0 Zalo")
        submission = FormSubmission.objects.get()
        self.assertIsNone(submission.submitted_by)
        self.assertIsNone(submission.unit)
        entries = LogEntry.objects.get_for_object(submission)
        self.assertTrue(entries.exists())
        for entry in entries:
            self.assertIsNone(entry.remote_addr)
            self.assertIsNone(entry.actor)
        stored = f"{submission.answers} {list(entries.values())}"
        self.assertNotIn("198.51.100.20", stored)
        self.assertNotIn("Zalo", stored)
