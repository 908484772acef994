"""Publishing templates through the leader's approval, and archiving, not deleting.

Wagtail's own admin views are driven with the test client, as an editor would.
"""

from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.blocks import ListBlock, StreamBlock, StructBlock
from wagtail.models import (
    GroupPagePermission,
    Page,
    PageLogEntry,
    TaskState,
    WorkflowState,
)
from wagtail.test.utils.form_data import querydict_from_html

from forms_app.archiving import ARCHIVED_MESSAGE, WILL_ARCHIVE_MESSAGE
from forms_app.models import FormsIndexPage, FormSubmission, ReportTemplatePage
from tests.base import BaseTestCase
from tests.forms_app.factories import make_report_template, make_submission
from units.choices import Role
from units.roles import ROLE_GROUP_NAMES

SIMPLE_FIELDS = [
    {"type": "short_text", "value": {"label": "Họ và tên", "required": True}},
    {"type": "dlxh_impact", "value": {}},
    {"type": "dlxh_trend", "value": {}},
    {"type": "dlxh_recommendations", "value": {}},
]


def block_form_data(block, state, prefix):
    """The POST data Wagtail's block editor would send for a block's form state."""
    data = {}
    if isinstance(block, (StreamBlock, ListBlock)):
        data[f"{prefix}-count"] = str(len(state))
        for index, child in enumerate(state):
            child_prefix = f"{prefix}-{index}"
            data[f"{child_prefix}-deleted"] = ""
            data[f"{child_prefix}-order"] = str(index)
            data[f"{child_prefix}-id"] = child.get("id") or ""
            if isinstance(block, StreamBlock):
                data[f"{child_prefix}-type"] = child["type"]
                child_block = block.child_blocks[child["type"]]
            else:
                child_block = block.child_block
            data.update(
                block_form_data(child_block, child["value"], f"{child_prefix}-value")
            )
    elif isinstance(block, StructBlock):
        for name, child_block in block.child_blocks.items():
            data.update(block_form_data(child_block, state[name], f"{prefix}-{name}"))
    elif state is True:
        data[prefix] = "on"
    elif state not in (None, False):
        data[prefix] = state
    return data


class ModerationTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.index = FormsIndexPage.objects.get(slug="bieu-mau")

    def make_draft(self, owner, slug="bao-cao-tuan"):
        page = ReportTemplatePage(
            title="Báo cáo tuần",
            slug=slug,
            period_type="weekly",
            fields=SIMPLE_FIELDS,
            owner=owner,
            live=False,
        )
        self.index.add_child(instance=page)
        page.save_revision(user=owner)
        return page

    def edit_url(self, page):
        return reverse("wagtailadmin_pages:edit", args=[page.pk])

    def edit_data(self, page, **changes):
        """The page editor's own form, as loaded, with `changes` typed in."""
        response = self.client.get(self.edit_url(page))
        self.assertEqual(response.status_code, 200)
        data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
        latest = page.get_latest_revision_as_object()
        stream_block = latest.fields.stream_block
        state = stream_block.get_form_state(latest.fields)
        data.update(block_form_data(stream_block, state, "fields"))
        for name, value in changes.items():
            data[name] = value
        return data

    def post_edit(self, page, **changes):
        return self.client.post(self.edit_url(page), self.edit_data(page, **changes))

    def submit(self, page, user):
        self.login(user)
        response = self.post_edit(page, **{"action-submit": "Gửi duyệt"})
        self.assertEqual(response.status_code, 302)
        page.refresh_from_db()
        return page.current_workflow_state

    def approve(self, page, user):
        self.login(user)
        task_state = page.current_workflow_state.current_task_state
        url = reverse(
            "wagtailadmin_pages:workflow_action",
            args=[page.pk, "approve", task_state.pk],
        )
        return self.client.post(url, {"comment": ""})


class MigrationSetupTest(ModerationTestCase):
    def test_forms_index_is_under_the_home_page(self):
        self.assertEqual(self.index.title, "Biểu mẫu báo cáo và khảo sát")
        self.assertEqual(self.index.get_parent().specific_class.__name__, "HomePage")
        self.assertEqual(Page.find_problems(), ([], [], [], [], []))

    def test_templates_go_through_the_leaders_approval(self):
        workflow = self.index.get_workflow()
        self.assertEqual(workflow.name, "Phê duyệt biểu mẫu")
        [task] = [task.specific for task in workflow.tasks]
        self.assertEqual(task.name, "Lãnh đạo Ban phê duyệt")
        self.assertEqual(
            [group.name for group in task.groups.all()],
            [ROLE_GROUP_NAMES[Role.BOARD_LEADER]],
        )

    def test_staff_may_edit_but_not_publish_leaders_may_publish(self):
        def codenames(role):
            return set(
                GroupPagePermission.objects.filter(
                    page=self.index, group__name=ROLE_GROUP_NAMES[role]
                ).values_list("permission__codename", flat=True)
            )

        self.assertEqual(
            codenames(Role.BOARD_STAFF), {"add_page", "change_page", "view_page"}
        )
        self.assertLessEqual(
            {"add_page", "change_page", "publish_page", "lock_page", "unlock_page"},
            codenames(Role.BOARD_LEADER),
        )
        for role in (Role.REPORTER, Role.COMMUNE_REVIEWER, Role.LEADERSHIP_VIEWER):
            group = Group.objects.get(name=ROLE_GROUP_NAMES[role])
            self.assertFalse(group.page_permissions.exists())


class PublishingTest(ModerationTestCase):
    def test_staff_can_create_a_template(self):
        self.login(self.owner)
        url = reverse(
            "wagtailadmin_pages:add",
            args=["forms_app", "reporttemplatepage", self.index.pk],
        )
        self.assertEqual(self.client.get(url).status_code, 200)

    def test_staffs_publish_does_not_publish(self):
        page = self.make_draft(self.owner)
        self.login(self.owner)
        response = self.post_edit(
            page, title="Báo cáo tuần (sửa)", **{"action-publish": "Xuất bản"}
        )
        self.assertEqual(response.status_code, 302)
        page.refresh_from_db()
        self.assertFalse(page.live)
        self.assertIsNone(page.live_revision)
        self.assertEqual(page.draft_title, "Báo cáo tuần (sửa)")

    def test_staffs_submit_starts_the_approval(self):
        page = self.make_draft(self.owner)
        state = self.submit(page, self.owner)
        self.assertEqual(state.status, WorkflowState.STATUS_IN_PROGRESS)
        self.assertEqual(state.workflow.name, "Phê duyệt biểu mẫu")
        self.assertEqual(state.current_task_state.task.name, "Lãnh đạo Ban phê duyệt")
        self.assertEqual(state.requested_by, self.owner)
        page.refresh_from_db()
        self.assertFalse(page.live)

    def test_leaders_approval_publishes(self):
        page = self.make_draft(self.owner)
        self.submit(page, self.owner)
        submitted = page.get_latest_revision()
        response = self.approve(page, self.leader)
        self.assertEqual(response.status_code, 302)
        page.refresh_from_db()
        self.assertTrue(page.live)
        self.assertEqual(page.live_revision, submitted)
        self.assertFalse(page.workflow_in_progress)
        task_state = TaskState.objects.get(revision=submitted)
        self.assertEqual(task_state.status, TaskState.STATUS_APPROVED)
        self.assertEqual(task_state.finished_by, self.leader)

    def test_staff_cannot_approve_their_own_template(self):
        page = self.make_draft(self.owner)
        self.submit(page, self.owner)
        self.assertIn(self.approve(page, self.owner).status_code, (302, 403))
        page.refresh_from_db()
        self.assertFalse(page.live)
        self.assertTrue(page.workflow_in_progress)

    def test_leader_can_publish_directly(self):
        page = self.make_draft(self.owner)
        self.login(self.leader)
        response = self.post_edit(page, **{"action-publish": "Xuất bản"})
        self.assertEqual(response.status_code, 302)
        page.refresh_from_db()
        self.assertTrue(page.live)

    def test_others_cannot_open_the_editor(self):
        page = self.make_draft(self.owner)
        add_url = reverse(
            "wagtailadmin_pages:add",
            args=["forms_app", "reporttemplatepage", self.index.pk],
        )
        for user in (
            self.member,
            self.outsider,
            self.reviewer,
            self.collaborator,
            self.viewer,
        ):
            self.login(user)
            for url in (self.edit_url(page), add_url):
                with self.subTest(user=user.username, url=url):
                    self.assertIn(self.client.get(url).status_code, (302, 403))
            with self.subTest(user=user.username, action="post"):
                response = self.client.post(
                    self.edit_url(page), {"action-publish": "Xuất bản"}
                )
                self.assertIn(response.status_code, (302, 403))
        page.refresh_from_db()
        self.assertFalse(page.live)


class ArchiveTest(ModerationTestCase):
    def delete_url(self, page):
        return reverse("wagtailadmin_pages:delete", args=[page.pk])

    def test_answered_form_is_archived_not_deleted(self):
        page = make_report_template()
        submission = make_submission(page, unit=self.hoa_phu_ubnd, user=self.member)
        self.login(self.leader)

        confirm = self.client.get(self.delete_url(page))
        self.assertContains(confirm, str(WILL_ARCHIVE_MESSAGE))
        self.assertContains(confirm, "Lưu trữ biểu mẫu")

        response = self.client.post(self.delete_url(page), follow=True)
        self.assertContains(response, str(ARCHIVED_MESSAGE))
        page = ReportTemplatePage.objects.get(pk=page.pk)
        self.assertTrue(page.archived)
        self.assertFalse(page.live)
        self.assertFalse(page.is_open())
        self.assertTrue(FormSubmission.objects.filter(pk=submission.pk).exists())
        self.assertTrue(
            PageLogEntry.objects.filter(page=page, action="forms_app.archive").exists()
        )

    def test_archived_form_stays_archived_when_republished(self):
        page = make_report_template()
        make_submission(page, unit=self.hoa_phu_ubnd, user=self.member)
        old_revision = page.live_revision
        self.login(self.leader)
        self.client.post(self.delete_url(page))

        old_revision.publish(user=self.leader)
        page = ReportTemplatePage.objects.get(pk=page.pk)
        self.assertTrue(page.live)
        self.assertTrue(page.archived)
        self.assertFalse(page.is_open())

    def test_archiving_cancels_a_pending_approval(self):
        page = self.make_draft(self.owner)
        make_submission(page, unit=self.hoa_phu_ubnd, user=self.member)
        self.submit(page, self.owner)
        self.login(self.owner)
        response = self.client.post(self.delete_url(page))
        self.assertEqual(response.status_code, 302)
        page = ReportTemplatePage.objects.get(pk=page.pk)
        self.assertTrue(page.archived)
        self.assertFalse(page.workflow_in_progress)

    def test_unanswered_form_is_deleted(self):
        page = make_report_template()
        self.login(self.leader)
        response = self.client.post(self.delete_url(page))
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Page.objects.filter(pk=page.pk).exists())

    def test_staff_deletes_an_unpublished_draft_but_not_a_live_form(self):
        draft = self.make_draft(self.owner)
        live = make_report_template(slug="bao-cao-thang")
        self.login(self.owner)
        # Wagtail's admin answers a refusal with a redirect and an error message.
        self.client.post(self.delete_url(live))
        self.client.post(self.delete_url(draft))
        self.assertFalse(Page.objects.filter(pk=draft.pk).exists())
        self.assertTrue(Page.objects.filter(pk=live.pk).exists())

    def test_forms_index_with_answers_below_is_not_deleted(self):
        page = make_report_template()
        make_submission(page, unit=self.hoa_phu_ubnd, user=self.member)
        self.login(self.superuser)
        response = self.client.post(self.delete_url(self.index), follow=True)
        self.assertContains(response, "mục này chứa biểu mẫu đã có câu trả lời")
        self.assertTrue(Page.objects.filter(pk=self.index.pk).exists())
        self.assertTrue(Page.objects.filter(pk=page.pk).exists())

    def test_bulk_delete_archives_answered_forms_and_deletes_the_rest(self):
        answered = make_report_template()
        make_submission(answered, unit=self.hoa_phu_ubnd, user=self.member)
        unanswered = make_report_template(slug="bao-cao-thang")
        self.login(self.leader)
        explorer = reverse("wagtailadmin_explore", args=[self.index.pk])
        url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
        query = f"?id={answered.pk}&id={unanswered.pk}&next={explorer}"
        response = self.client.post(url + query, follow=True)
        self.assertEqual(response.redirect_chain, [(explorer, 302)])
        self.assertContains(response, str(ARCHIVED_MESSAGE))
        answered = ReportTemplatePage.objects.get(pk=answered.pk)
        self.assertTrue(answered.archived)
        self.assertFalse(answered.live)
        self.assertFalse(Page.objects.filter(pk=unanswered.pk).exists())

    def test_bulk_delete_confirmation_offers_to_archive(self):
        answered = make_report_template()
        make_submission(answered, unit=self.hoa_phu_ubnd, user=self.member)
        self.login(self.leader)
        url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
        response = self.client.get(f"{url}?id={answered.pk}")
        self.assertContains(response, str(WILL_ARCHIVE_MESSAGE))
        self.assertFalse(response.context["is_protected"])

    def test_bulk_delete_of_the_index_with_answers_below_is_refused(self):
        page = make_report_template()
        make_submission(page, unit=self.hoa_phu_ubnd, user=self.member)
        self.login(self.superuser)
        url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
        home = reverse("wagtailadmin_explore", args=[self.index.get_parent().pk])
        response = self.client.post(
            f"{url}?id={self.index.pk}&next={home}", follow=True
        )
        self.assertContains(response, "mục này chứa biểu mẫu đã có câu trả lời")
        self.assertTrue(Page.objects.filter(pk=self.index.pk).exists())
