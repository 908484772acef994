"""A submission's review starts in a job after its commit, run by a real RQ
worker on Redis; the receipt does not wait for it."""


import pytest
from django.conf import settings
from django.test import Client
from rq import SimpleWorker
from wagtail.models import WorkflowState

import jobs
from forms_app.models.review import ReviewStatus
from tests.base import CommittedTestCase, RegistryMixin
from tests.forms_app.factories import make_report_template
from tests.workflows.helpers import REPORT_FIELDS, ReviewClientMixin
from workflows.choices import NotificationKind
from workflows.models import Notification
from workflows.routing import route_submission


class RoutingTestCase(ReviewClientMixin, RegistryMixin, CommittedTestCase):
    def setUp(self):
        super().setUp()
        self.create_registry()
        self.page = make_report_template(fields=REPORT_FIELDS)
        self.client = Client()
        self.client.force_login(self.member)

    @pytest.mark.needs_redis
    def test_the_receipt_comes_first_and_a_worker_starts_the_review(self):
        submission = self.submit(self.client, self.page, routed=False)

        # Committed and confirmed; the review is a job waiting in Redis.
        self.assertEqual(submission.review_status, ReviewStatus.DRAFT)
        self.assertFalse(submission.workflow_in_progress)

        # Other test processes may queue their (harmless) jobs here too.
        queue = jobs.get_queue("default")
        SimpleWorker([queue], connection=queue.connection).work(burst=True)

        submission.refresh_from_db()
        self.assertEqual(submission.review_status, ReviewStatus.PENDING)
        self.assertTrue(submission.workflow_in_progress)
        self.assertTrue(
            Notification.objects.filter(
                user=self.reviewer,
                submission=submission,
                kind=NotificationKind.AWAITING_REVIEW,
            ).exists()
        )

    @pytest.mark.needs_redis
    def test_a_sensitive_report_is_routed_ahead_of_a_backlog(self):
        queue = jobs.get_queue("default")
        ordinary = self.submit(self.client, self.page, routed=False)
        other_unit = Client()
        other_unit.force_login(self.outsider)
        sensitive = self.submit(
            other_unit, self.page, routed=False, dlxh_sensitivity="sensitive"
        )

        routing = [
            job.args[0]
            for job in queue.get_jobs()
            if job.func_name == "workflows.routing.route_submission"
            and job.args[0] in (ordinary.pk, sensitive.pk)
        ]
        SimpleWorker([queue], connection=queue.connection).work(burst=True)

        self.assertEqual(routing, [sensitive.pk, ordinary.pk])

    def test_a_routing_job_run_twice_starts_one_review(self):
        submission = self.submit(self.client, self.page, routed=False)
        if settings.REDIS_URL:
            self.assertFalse(WorkflowState.objects.exists())

        route_submission(submission.pk, self.member.pk)
        route_submission(submission.pk, self.member.pk)

        self.assertEqual(
            WorkflowState.objects.filter(object_id=str(submission.pk)).count(), 1
        )
        self.assertEqual(
            Notification.objects.filter(
                user=self.reviewer, kind=NotificationKind.AWAITING_REVIEW
            ).count(),
            1,
        )
