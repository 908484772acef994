"""Wagtail's own workflow e-mails: silent for submissions, kept for pages."""

from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

from tests.base import BaseTestCase
from tests.forms_app.factories import make_report_template
from tests.workflows.helpers import REPORT_FIELDS, ReviewClientMixin


class WagtailWorkflowMailTestCase(ReviewClientMixin, BaseTestCase):
    def mail_to(self, user):
        return [message for message in mail.outbox if user.email in message.to]

    def wagtail_mail_to(self, user):
        # The project's own notifications end with a link to the submission.
        own = "Xem chi tiết (cần đăng nhập)"
        return [message for message in self.mail_to(user) if own not in message.body]

    def test_it_sends_no_wagtail_mail_while_a_unit_submits(self):
        page = make_report_template(fields=REPORT_FIELDS)
        client = Client()
        client.force_login(self.member)

        submission = self.submit(client, page, dlxh_sensitivity="sensitive")

        # Escalated at once: Wagtail would mail the superuser for the workflow
        # and the Board's group for its task, inside the unit's request.
        self.assertTrue(submission.escalated)
        self.assertEqual(self.wagtail_mail_to(self.superuser), [])
        self.assertEqual(self.wagtail_mail_to(self.owner), [])
        self.assertTrue(self.mail_to(self.owner))  # the project's own

    def test_page_moderation_still_mails_the_moderators(self):
        page = make_report_template(fields=REPORT_FIELDS)
        workflow = Workflow.objects.create(name="Duyệt biểu mẫu")
        task = GroupApprovalTask.objects.create(name="Lãnh đạo Ban duyệt")
        leaders = Group.objects.create(name="Lãnh đạo Ban")
        self.owner.groups.add(leaders)
        task.groups.set([leaders])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)

        workflow.start(page, self.member)

        self.assertTrue(self.mail_to(self.superuser))
        self.assertTrue(self.mail_to(self.owner))
