"""Deactivating an account ends its sessions at once.

Django already refuses an inactive user on their next request; this deletes
the sessions themselves (whatever the session engine), so nothing of them
stays usable, through a table of who holds which session, kept on login.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from .models import UserSession


@receiver(user_logged_in)
def remember_session(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is None:
        return
    if session.session_key is None:
        session.save()
    UserSession.objects.get_or_create(user=user, session_key=session.session_key)


@receiver(user_logged_out)
def forget_session(sender, request, user, **kwargs):
    key = getattr(getattr(request, "session", None), "session_key", None)
    if user is not None and key:
        UserSession.objects.filter(user=user, session_key=key).delete()


def end_sessions(user):
    """Delete every session `user` holds; returns how many."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(
        UserSession.objects.filter(user=user).values_list("session_key", flat=True)
    )
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


@receiver(pre_save, sender=get_user_model())
def note_deactivation(sender, instance, **kwargs):
    if instance.pk is None or instance.is_active:
        return
    was_active = (
        sender.objects.filter(pk=instance.pk, is_active=True).values("pk").exists()
    )
    instance._dlxh_deactivated = was_active


@receiver(post_save, sender=get_user_model())
def end_sessions_of_deactivated(sender, instance, **kwargs):
    if getattr(instance, "_dlxh_deactivated", False):
        instance._dlxh_deactivated = False
        end_sessions(instance)
