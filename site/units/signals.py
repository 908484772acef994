from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save
from django.dispatch import receiver

from security import crypto

from .choices import Role
from .identity import protect, should_protect
from .models import Membership, ProtectedIdentity, UserProfile
from .roles import sync_role_groups, sync_user_groups


@receiver(post_migrate)
def create_role_groups(sender, **kwargs):
    # Wait for the last app: by then every app's permissions exist (post_migrate is
    # sent per app with models; ours may run before auth's for the same app).
    with_models = [c for c in apps.get_app_configs() if c.models_module is not None]
    if sender.name == with_models[-1].name:
        sync_role_groups()


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def follow_membership(sender, instance, **kwargs):
    sync_user_groups(instance.user)


@receiver(pre_save, sender=Membership)
def protect_new_collaborator(sender, instance, **kwargs):
    """Becoming a collaborator encrypts the identity before the row is saved."""
    if instance.role == Role.COLLABORATOR and instance.user_id:
        protect(instance.user)


@receiver(pre_save, sender=get_user_model())
def keep_protected_user_plain_free(sender, instance, **kwargs):
    """A name or address typed into a protected person's user row (Wagtail's
    user editor) is moved into the encrypted record, not stored."""
    if instance.pk is None:
        return
    identity = ProtectedIdentity.objects.filter(user_id=instance.pk).first()
    if identity is None and not should_protect(instance):
        return
    pseudonym = identity.pseudonym if identity else None
    typed_name = f"{instance.last_name} {instance.first_name}".strip()
    if identity is None or typed_name != pseudonym or instance.email:
        identity = identity or ProtectedIdentity.objects.create(user_id=instance.pk)
        if typed_name and typed_name != identity.pseudonym:
            identity.full_name = crypto.encrypt(typed_name)
        if instance.email:
            identity.email = crypto.encrypt(instance.email)
        identity.save()
        instance.first_name, instance.last_name, instance.email = (
            identity.pseudonym,
            "",
            "",
        )


@receiver(pre_save, sender=UserProfile)
def keep_protected_phone_encrypted(sender, instance, **kwargs):
    if instance.phone and (
        ProtectedIdentity.objects.filter(user_id=instance.user_id).exists()
        or should_protect(instance.user)
    ):
        identity, _created = ProtectedIdentity.objects.get_or_create(
            user_id=instance.user_id
        )
        identity.phone = crypto.encrypt(instance.phone)
        identity.save(update_fields=["phone"])
        instance.phone = ""


@receiver(post_save, sender=get_user_model())
def create_profile(sender, instance, created, **kwargs):
    if created:
        UserProfile.objects.get_or_create(user=instance)
