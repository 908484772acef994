"""SharingRule leaves the workflows app for forms_app, beside the access policy
that reads it. Its rows stay: the table is renamed, not recreated, and its
content type is relabelled, so its permissions (and the role groups holding
them) and its django-auditlog history follow it."""

from django.db import migrations, models

UNIT_LEVELS = [("province", "Cấp tỉnh"), ("commune", "Cấp xã")]
UNIT_KINDS = [
    ("board", "Ban Tuyên giáo và Dân vận"),
    ("party_committee", "Đảng ủy"),
    ("advisory", "Cơ quan tham mưu, giúp việc cấp ủy"),
    ("peoples_committee", "Ủy ban nhân dân"),
    ("police", "Công an"),
    ("military", "Quân sự"),
    ("peoples_council", "Hội đồng nhân dân"),
    ("fatherland_front", "Mặt trận Tổ quốc"),
    ("socio_political", "Tổ chức chính trị - xã hội"),
    ("specialised_agency", "Cơ quan chuyên môn"),
    ("press", "Báo chí, phát thanh, truyền hình"),
    ("party_building", "Ban Xây dựng Đảng"),
    ("party_office", "Văn phòng đảng ủy"),
    ("collaborators", "Cộng tác viên dư luận xã hội"),
    ("other", "Cơ quan, đơn vị khác"),
]


def relabel_content_type(apps, schema_editor, old="workflows", new="forms_app"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model="sharingrule").exists():
        ContentType.objects.filter(app_label=old, model="sharingrule").update(
            app_label=new
        )


def relabel_back(apps, schema_editor):
    relabel_content_type(apps, schema_editor, old="forms_app", new="workflows")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("forms_app", "0005_plain_filter_indexes"),
        ("workflows", "0002_default_review_workflow"),
    ]

    operations = [
        # The model as workflows created it, on its table as it is...
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SharingRule",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "name",
                            models.CharField(max_length=200, verbose_name="tên quy tắc"),
                        ),
                        (
                            "target_level",
                            models.CharField(
                                blank=True,
                                choices=UNIT_LEVELS,
                                max_length=10,
                                verbose_name="đơn vị được xem: cấp",
                            ),
                        ),
                        (
                            "target_kind",
                            models.CharField(
                                blank=True,
                                choices=UNIT_KINDS,
                                max_length=30,
                                verbose_name="đơn vị được xem: loại",
                            ),
                        ),
                        (
                            "source_level",
                            models.CharField(
                                blank=True,
                                choices=UNIT_LEVELS,
                                max_length=10,
                                verbose_name="báo cáo của đơn vị: cấp",
                            ),
                        ),
                        (
                            "source_kind",
                            models.CharField(
                                blank=True,
                                choices=UNIT_KINDS,
                                max_length=30,
                                verbose_name="báo cáo của đơn vị: loại",
                            ),
                        ),
                        (
                            "same_commune_only",
                            models.BooleanField(
                                default=True,
                                help_text="Với đơn vị cấp xã: chỉ xem báo cáo của các đơn vị cùng địa bàn.",
                                verbose_name="chỉ trong cùng xã, phường",
                            ),
                        ),
                        (
                            "max_classification",
                            models.PositiveSmallIntegerField(
                                choices=[(0, "Thường"), (1, "Mật"), (2, "Tối mật")],
                                default=0,
                                verbose_name="độ mật tối đa được chia sẻ",
                            ),
                        ),
                        (
                            "is_active",
                            models.BooleanField(default=True, verbose_name="đang áp dụng"),
                        ),
                    ],
                    options={
                        "verbose_name": "quy tắc chia sẻ",
                        "verbose_name_plural": "quy tắc chia sẻ",
                        "db_table": "workflows_sharingrule",
                    },
                ),
            ],
            database_operations=[],
        ),
        # ...then renamed to this app's own table name, rows and all.
        migrations.AlterModelTable(name="sharingrule", table=None),
        migrations.RunPython(relabel_content_type, relabel_back),
    ]
