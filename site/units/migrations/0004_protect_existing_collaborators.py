"""Collaborators stored before identities were protected get their pseudonym
now: name, e-mail and phone move into the encrypted record, and the audit log
forgets the phone numbers and answers it had copied (Art. 7.1.5)."""

import json

from django.db import migrations

from security import crypto


def protect_existing(apps, schema_editor):
    Membership = apps.get_model("units", "Membership")
    ProtectedIdentity = apps.get_model("units", "ProtectedIdentity")
    UserProfile = apps.get_model("units", "UserProfile")
    User = apps.get_model("auth", "User")
    user_ids = (
        Membership.objects.filter(role="collaborator")
        .exclude(user__protected_identity__isnull=False)
        .values_list("user_id", flat=True)
        .distinct()
    )
    for user in User.objects.filter(pk__in=list(user_ids)):
        profile = UserProfile.objects.filter(user=user).first()
        full_name = f"{user.last_name} {user.first_name}".strip()
        identity = ProtectedIdentity.objects.create(
            user=user,
            full_name=crypto.encrypt(full_name),
            email=crypto.encrypt(user.email),
            phone=crypto.encrypt(profile.phone if profile else ""),
        )
        User.objects.filter(pk=user.pk).update(
            first_name=f"CTV-{identity.pk:04d}", last_name="", email=""
        )
        if profile is not None:
            UserProfile.objects.filter(pk=profile.pk).update(phone="")


def forget_copied_values(apps, schema_editor):
    if not apps.is_installed("auditlog"):
        return
    LogEntry = apps.get_model("auditlog", "LogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, field in (("userprofile", "phone"), ("formsubmission", "answers")):
        app_label = "units" if model == "userprofile" else "forms_app"
        content_type = ContentType.objects.filter(
            app_label=app_label, model=model
        ).first()
        if content_type is None:
            continue
        entries = LogEntry.objects.filter(
            content_type=content_type, changes__has_key=field
        )
        for entry in entries.iterator():
            changes = entry.changes
            if isinstance(changes, str):
                changes = json.loads(changes or "{}")
            if isinstance(changes, dict) and field in changes:
                changes.pop(field)
                LogEntry.objects.filter(pk=entry.pk).update(changes=changes)


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0003_protected_identities"),
        ("auditlog", "__latest__"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(protect_existing, migrations.RunPython.noop),
        migrations.RunPython(forget_copied_values, migrations.RunPython.noop),
    ]
