"""Two people at once: one state change, and a clear word for the other."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from wagtail.models import TaskState

from forms_app.models import FormSubmission
from tests.base import CommittedTestCase, RegistryMixin, at_once, make_person
from tests.forms_app.factories import make_report_template, make_submission, step_post
from tests.workflows.helpers import REPORT_ANSWERS, REPORT_FIELDS
from units.choices import Role


# Two requests at once in two threads: SQLite would lock its whole table, where
# PostgreSQL locks the row the code means to lock.
@pytest.mark.needs_postgres
class ConcurrentReviewTestCase(RegistryMixin, CommittedTestCase):
    def setUp(self):
        super().setUp()
        self.create_registry()
        self.second_reviewer = make_person(
            "hoaphu.xdd2", self.hoa_phu_xdd, Role.COMMUNE_REVIEWER
        )
        self.page = make_report_template(fields=REPORT_FIELDS)
        self.submission = make_submission(
            self.page,
            unit=self.hoa_phu_ubnd,
            user=self.member,
            answers={**REPORT_ANSWERS, "dlxh_sensitivity": "normal"},
        )
        self.submission.start_review(self.member)

    def test_two_reviewers_acting_at_once_make_one_state_change(self):
        task_state = self.submission.current_workflow_task_state
        clients = []
        for user in (self.reviewer, self.second_reviewer):
            client = Client()
            client.force_login(user)
            clients.append(client)
        approve = reverse(
            "submissions:workflow_action",
            args=[self.submission.pk, "approve", task_state.pk],
        )
        escalate = reverse(
            "submissions:workflow_action",
            args=[self.submission.pk, "escalate", task_state.pk],
        )

        responses = at_once(
            lambda: clients[0].post(approve, {"comment": "Giải quyết tại xã"}),
            lambda: clients[1].post(escalate, {"reason": "complex", "comment": ""}),
        )

        task_state.refresh_from_db()
        self.assertNotEqual(task_state.status, TaskState.STATUS_IN_PROGRESS)
        self.assertIn(task_state.finished_by, (self.reviewer, self.second_reviewer))
        self.assertEqual(
            TaskState.objects.filter(
                workflow_state__object_id=str(self.submission.pk),
                task__name="Thẩm định cấp cơ sở",
            ).count(),
            1,
        )
        winner = 0 if task_state.finished_by == self.reviewer else 1
        loser = 1 - winner
        self.assertEqual(responses[winner].status_code, 302)
        self.assertEqual(responses[loser].status_code, 302)
        told = [str(m) for m in get_messages(responses[loser].wsgi_request)]
        self.assertTrue(told, "the second reviewer is told what happened")
        self.submission.refresh_from_db()
        # Escalated only if the escalation won.
        self.assertEqual(self.submission.escalated, winner == 1)


@pytest.mark.needs_postgres
class ConcurrentResubmissionTestCase(RegistryMixin, CommittedTestCase):
    def setUp(self):
        super().setUp()
        self.create_registry()
        self.page = make_report_template(fields=REPORT_FIELDS)

    def test_the_same_idempotency_key_sent_twice_at_once_stores_one_submission(self):
        client = Client()
        client.force_login(self.member)
        token = client.get(self.page.url).context["token"]
        data = step_post("1", REPORT_ANSWERS, token=token)

        responses = at_once(
            lambda: client.post(self.page.url, data),
            lambda: client.post(self.page.url, data),
        )

        self.assertEqual(FormSubmission.objects.count(), 1)
        submission = FormSubmission.objects.get()
        self.assertEqual(str(submission.idempotency_key), str(token))
        for response in responses:
            self.assertEqual(response.status_code, 302)
            self.assertIn(f"/phieu-da-gui/{submission.pk}/", response["Location"])
