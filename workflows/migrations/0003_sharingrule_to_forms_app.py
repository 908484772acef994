"""SharingRule now belongs to forms_app (its 0006 migration renamed the table
and kept the rows): only the state is removed here."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0002_default_review_workflow"),
        ("forms_app", "0006_sharingrule_from_workflows"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SharingRule")],
            database_operations=[],
        ),
    ]
