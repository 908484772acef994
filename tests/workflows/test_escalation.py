"""Automatic escalation by a scheduled job, run by a real RQ worker on Redis."""

import datetime as dt
import uuid

import django_rq
import pytest
from django.utils import timezone
from rq import Queue, SimpleWorker
from wagtail.models import TaskState

from forms_app.models.review import ReviewStatus
from tests.base import CommittedTestCase, RegistryMixin
from tests.forms_app.factories import make_report_template, make_submission
from tests.workflows.helpers import REPORT_ANSWERS, REPORT_FIELDS
from workflows.choices import NotificationKind
from workflows.escalation import escalate_overdue_reviews
from workflows.models import Notification, UnitReviewTask


@pytest.mark.needs_redis
class OverdueEscalationTestCase(RegistryMixin, CommittedTestCase):
    def setUp(self):
        super().setUp()
        self.create_registry()
        self.page = make_report_template(
            fields=REPORT_FIELDS, one_per_unit_per_period=False
        )
        # A queue of its own: parallel test processes share the Redis database.
        self.queue = Queue(
            f"test-escalation-{uuid.uuid4().hex}",
            connection=django_rq.get_connection("default"),
        )

    def tearDown(self):
        self.queue.delete(delete_jobs=True)
        super().tearDown()

    def submit(self):
        submission = make_submission(
            self.page,
            unit=self.hoa_phu_ubnd,
            user=self.member,
            answers={**REPORT_ANSWERS, "dlxh_sensitivity": "normal"},
        )
        submission.start_review(self.member)
        return submission

    def move_clock_back(self, submission, hours):
        """The review started `hours` ago (the clock moves; nothing sleeps)."""
        TaskState.objects.filter(pk=submission.current_workflow_task_state.pk).update(
            started_at=timezone.now() - dt.timedelta(hours=hours)
        )

    def run_worker(self):
        self.queue.enqueue(escalate_overdue_reviews)
        worker = SimpleWorker([self.queue], connection=self.queue.connection)
        worker.work(burst=True)
        return worker

    def test_a_review_left_past_its_time_limit_escalates_by_itself(self):
        overdue = self.submit()
        fresh = self.submit()
        self.move_clock_back(overdue, hours=25)
        self.move_clock_back(fresh, hours=2)

        self.run_worker()

        overdue.refresh_from_db()
        fresh.refresh_from_db()
        self.assertTrue(overdue.escalated)
        self.assertEqual(overdue.escalation_reason, "overdue")
        self.assertEqual(overdue.review_status, ReviewStatus.ESCALATED)
        self.assertEqual(overdue.current_workflow_task.name, "Ban xem xét, chỉ đạo")
        self.assertTrue(
            Notification.objects.filter(
                submission=overdue, user=self.owner, kind=NotificationKind.ESCALATED
            ).exists()
        )
        self.assertFalse(fresh.escalated)
        self.assertEqual(fresh.current_workflow_task.name, "Thẩm định cấp cơ sở")

    def test_the_time_limit_is_the_one_set_on_the_task_in_the_admin(self):
        UnitReviewTask.objects.update(time_limit_hours=4)
        submission = self.submit()
        self.move_clock_back(submission, hours=5)

        self.run_worker()

        submission.refresh_from_db()
        self.assertTrue(submission.escalated)

    def test_running_the_job_twice_escalates_once(self):
        submission = self.submit()
        self.move_clock_back(submission, hours=30)

        self.run_worker()
        self.run_worker()

        submission.refresh_from_db()
        self.assertEqual(
            submission.current_workflow_state.task_states.filter(
                task__name="Ban xem xét, chỉ đạo"
            ).count(),
            1,
        )
