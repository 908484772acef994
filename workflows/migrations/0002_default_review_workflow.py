"""The default moderation chain for submissions: unit review, then the Board.

Staff may change it, or build others and choose one per template, in
Settings → Workflows; this only gives a new installation a working default.
"""

from django.db import migrations

WORKFLOW_NAME = "Thẩm định báo cáo dư luận xã hội"
# Copied from units.roles.ROLE_GROUP_NAMES (a migration must not follow renames).
BOARD_GROUPS = ["DLXH · Chuyên viên Ban", "DLXH · Lãnh đạo Ban"]


def create_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    UnitReviewTask = apps.get_model("workflows", "UnitReviewTask")
    BoardReviewTask = apps.get_model("workflows", "BoardReviewTask")

    unit_ct, _ = ContentType.objects.get_or_create(
        app_label="workflows", model="unitreviewtask"
    )
    board_ct, _ = ContentType.objects.get_or_create(
        app_label="workflows", model="boardreviewtask"
    )
    submission_ct, _ = ContentType.objects.get_or_create(
        app_label="forms_app", model="formsubmission"
    )
    unit_task = UnitReviewTask.objects.create(
        name="Thẩm định cấp cơ sở", content_type=unit_ct, time_limit_hours=24
    )
    board_task = BoardReviewTask.objects.create(
        name="Ban xem xét, chỉ đạo", content_type=board_ct
    )
    board_task.groups.set(
        [Group.objects.get_or_create(name=name)[0] for name in BOARD_GROUPS]
    )
    workflow = Workflow.objects.create(name=WORKFLOW_NAME)
    WorkflowTask.objects.create(workflow=workflow, task=unit_task, sort_order=0)
    WorkflowTask.objects.create(workflow=workflow, task=board_task, sort_order=1)
    WorkflowContentType.objects.create(workflow=workflow, content_type=submission_ct)


def remove_workflow(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow:
        task_ids = list(workflow.workflow_tasks.values_list("task_id", flat=True))
        workflow.delete()
        Task.objects.filter(pk__in=task_ids).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_workflow, remove_workflow)]
