"""The forms index, who may edit and publish under it, its approval workflow, and
the default sectors.

Board staff draft templates but cannot publish them; publishing goes through the
"Phê duyệt biểu mẫu" workflow, whose one task is approved by a Board leader.
"""

from django.db import migrations
from django.utils import timezone

INDEX_SLUG = "bieu-mau"
INDEX_TITLE = "Biểu mẫu báo cáo và khảo sát"
INDEX_INTRO = (
    "<p>Mẫu báo cáo định kỳ, báo cáo nhanh và phiếu khảo sát dư luận xã hội "
    "do Ban Tuyên giáo và Dân vận Tỉnh ủy ban hành.</p>"
)

# Copied from units.roles.ROLE_GROUP_NAMES: a migration must not follow later
# renames in code, and units.signals keeps the groups' model permissions.
BOARD_STAFF_GROUP = "DLXH · Chuyên viên Ban"
BOARD_LEADER_GROUP = "DLXH · Lãnh đạo Ban"

# Page permission codenames, with the names Django/Wagtail give them, so the
# rows created here are the ones post_migrate would have created.
PAGE_PERMISSIONS = {
    "add_page": "Can add page",
    "change_page": "Can change page",
    "view_page": "Can view page",
    "publish_page": "Publish any page",
    "lock_page": "Lock/unlock pages you've locked",
    "unlock_page": "Unlock any page",
}
GROUP_PAGE_PERMISSIONS = {
    # No publish: staff submit their templates for the leader's approval.
    BOARD_STAFF_GROUP: ["add_page", "change_page", "view_page"],
    BOARD_LEADER_GROUP: [
        "add_page",
        "change_page",
        "view_page",
        "publish_page",
        "lock_page",
        "unlock_page",
    ],
}

WORKFLOW_NAME = "Phê duyệt biểu mẫu"
TASK_NAME = "Lãnh đạo Ban phê duyệt"

# Keys are written out rather than generated: submissions store them, and a
# change to the key generator must never change a seeded key.
DEFAULT_SECTORS = [
    ("kinh_te", "Kinh tế"),
    ("dat_dai_tai_nguyen_moi_truong", "Đất đai, tài nguyên, môi trường"),
    ("y_te", "Y tế"),
    ("giao_duc", "Giáo dục"),
    ("van_hoa_xa_hoi", "Văn hóa, xã hội"),
    ("dan_toc_ton_giao", "Dân tộc, tôn giáo"),
    ("an_ninh_trat_tu", "An ninh, trật tự"),
    ("quoc_phong", "Quốc phòng"),
    ("xay_dung_dang_chinh_quyen", "Xây dựng Đảng, chính quyền"),
    ("noi_chinh_phong_chong_tham_nhung", "Nội chính, phòng chống tham nhũng"),
    ("khong_gian_mang", "Không gian mạng"),
]

# Treebeard's materialised path: 4 characters per level in this alphabet.
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_STEPLEN = 4


def _encode(number):
    text = ""
    while number:
        number, digit = divmod(number, len(_ALPHABET))
        text = _ALPHABET[digit] + text
    return text.rjust(_STEPLEN, "0")


def _next_child_path(Page, parent):
    # Historical models have no treebeard API, so add the child as add_child would.
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    position = int(last[-_STEPLEN:], len(_ALPHABET)) + 1 if last else 1
    return parent.path + _encode(position)


def _home_page(apps):
    Site = apps.get_model("wagtailcore.Site")
    Page = apps.get_model("wagtailcore.Page")
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        return Page.objects.get(pk=site.root_page_id)
    HomePage = apps.get_model("home.HomePage")
    home = HomePage.objects.order_by("path").first()
    return Page.objects.get(pk=home.pk) if home else None


def _create_index(apps):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    FormsIndexPage = apps.get_model("forms_app.FormsIndexPage")

    existing = FormsIndexPage.objects.order_by("path").first()
    if existing is not None:
        return existing
    home = _home_page(apps)
    if home is None:
        return None
    content_type, _created = ContentType.objects.get_or_create(
        app_label="forms_app", model="formsindexpage"
    )
    now = timezone.now()
    index = FormsIndexPage.objects.create(
        title=INDEX_TITLE,
        draft_title=INDEX_TITLE,
        slug=INDEX_SLUG,
        content_type=content_type,
        path=_next_child_path(Page, home),
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}{INDEX_SLUG}/",
        locale_id=home.locale_id,
        live=True,
        has_unpublished_changes=False,
        first_published_at=now,
        last_published_at=now,
        intro=INDEX_INTRO,
    )
    Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)
    return index


def _page_permissions(apps):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    page_type, _created = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="page"
    )
    # On a new database the permissions are only created after all migrations.
    return {
        codename: Permission.objects.get_or_create(
            content_type=page_type, codename=codename, defaults={"name": name}
        )[0]
        for codename, name in PAGE_PERMISSIONS.items()
    }


def _create_workflow(apps, index, leaders):
    ContentType = apps.get_model("contenttypes.ContentType")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")

    task_type, _created = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=TASK_NAME, content_type=task_type, active=True
        )
    task.groups.add(leaders)
    workflow, _created = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task=task, defaults={"sort_order": 0}
    )
    WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})


def forwards(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    Page = apps.get_model("wagtailcore.Page")
    Sector = apps.get_model("forms_app.Sector")

    for sort_order, (key, name) in enumerate(DEFAULT_SECTORS, start=1):
        if not Sector.objects.filter(key=key).exists() and not (
            Sector.objects.filter(name=name).exists()
        ):
            Sector.objects.create(key=key, name=name, sort_order=sort_order * 10)

    index = _create_index(apps)
    if index is None:
        return
    index_page = Page.objects.get(pk=index.pk)
    permissions = _page_permissions(apps)
    groups = {
        name: Group.objects.get_or_create(name=name)[0]
        for name in GROUP_PAGE_PERMISSIONS
    }
    for name, codenames in GROUP_PAGE_PERMISSIONS.items():
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=groups[name], page=index_page, permission=permissions[codename]
            )
    _create_workflow(apps, index_page, groups[BOARD_LEADER_GROUP])


def backwards(apps, schema_editor):
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    Page = apps.get_model("wagtailcore.Page")
    Sector = apps.get_model("forms_app.Sector")
    Workflow = apps.get_model("wagtailcore.Workflow")

    # Their states, task states and page assignments cascade.
    Workflow.objects.filter(name=WORKFLOW_NAME).delete()
    GroupApprovalTask.objects.filter(name=TASK_NAME).delete()

    index = Page.objects.filter(
        slug=INDEX_SLUG,
        content_type__app_label="forms_app",
        content_type__model="formsindexpage",
    ).first()
    if index is not None:
        parent_path = index.path[:-_STEPLEN]
        # Submissions protect their form: reversing never deletes answers.
        Page.objects.filter(path__startswith=index.path).delete()
        parent = Page.objects.get(path=parent_path)
        Page.objects.filter(pk=parent.pk).update(numchild=max(parent.numchild - 1, 0))

    Sector.objects.filter(key__in=[key for key, _name in DEFAULT_SECTORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("forms_app", "0001_initial"),
        ("home", "0002_create_homepage"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
