"""The Board's two standing digests (Art. 6.1.2): last week's every Monday at
07:00, last month's on the 1st at 07:00. Staff change or add more in the admin."""

import datetime

from django.db import migrations

DEFAULTS = [
    {
        "name": "Tổng hợp thông tin DLXH tuần trước",
        "kind": "weekly_digest",
        "weekday": 0,
        "day_of_month": 1,
    },
    {
        "name": "Tổng hợp thông tin DLXH tháng trước",
        "kind": "monthly_digest",
        "weekday": 0,
        "day_of_month": 1,
    },
]


def create_defaults(apps, schema_editor):
    DigestSchedule = apps.get_model("exports", "DigestSchedule")
    for values in DEFAULTS:
        DigestSchedule.objects.get_or_create(
            kind=values["kind"],
            name=values["name"],
            defaults={
                "weekday": values["weekday"],
                "day_of_month": values["day_of_month"],
                "at_time": datetime.time(7, 0),
                "target": "previous",
            },
        )


def remove_defaults(apps, schema_editor):
    DigestSchedule = apps.get_model("exports", "DigestSchedule")
    for values in DEFAULTS:
        DigestSchedule.objects.filter(kind=values["kind"], name=values["name"]).delete()


class Migration(migrations.Migration):
    dependencies = [("exports", "0002_digest_schedules")]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
