from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from .models import Membership, UserProfile
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


@receiver(post_save, sender=get_user_model())
def create_profile(sender, instance, created, **kwargs):
    if created:
        UserProfile.objects.get_or_create(user=instance)
