"""Protected identities (Art. 7.1.5): collaborators are known by a pseudonym.

A collaborator's name, e-mail and phone live only in ProtectedIdentity,
encrypted (security.crypto); the user row keeps the pseudonym as its first
name, so Wagtail's own screens (history, workflow, locks, the user filter of
reports) show `CTV-0231` too, and the profile keeps no phone. However a person
becomes a collaborator (import, the admin, a script), the plain values are
moved into the encrypted record before anything else is written
(units.signals).
"""

from django.db import transaction

from security import crypto

from .choices import Role
from .models import Membership, ProtectedIdentity, UserProfile, person_label

__all__ = ["person_label", "protect", "is_protected", "contact_email", "reveal"]


def is_protected(user):
    return (
        user is not None
        and user.pk is not None
        and (ProtectedIdentity.objects.filter(user=user).exists())
    )


def should_protect(user):
    return Membership.objects.filter(user=user, role=Role.COLLABORATOR).exists()


@transaction.atomic
def protect(user, *, full_name="", email="", phone=""):
    """Encrypt `user`'s identity (the given values, else what the rows hold)
    and leave only the pseudonym in plain; idempotent."""
    identity, _created = ProtectedIdentity.objects.get_or_create(user=user)
    plain_name = f"{user.last_name} {user.first_name}".strip()
    if plain_name == identity.pseudonym:
        plain_name = ""
    profile = UserProfile.objects.filter(user=user).first()
    values = {
        "full_name": full_name or plain_name,
        "email": email or user.email,
        "phone": phone or (profile.phone if profile else ""),
    }
    changed = []
    for field, value in values.items():
        if value:
            setattr(identity, field, crypto.encrypt(value))
            changed.append(field)
    if changed:
        identity.save(update_fields=changed)
    user.protected_identity = identity
    if (user.first_name, user.last_name, user.email) != (identity.pseudonym, "", ""):
        user.first_name, user.last_name, user.email = identity.pseudonym, "", ""
        user.save(update_fields=["first_name", "last_name", "email"])
    if profile is not None and profile.phone:
        type(profile).objects.filter(pk=profile.pk).update(phone="")
    return identity


def reveal(identity):
    """The decrypted identity; call only after recording why (units.views)."""
    return {
        "full_name": crypto.decrypt(identity.full_name),
        "email": crypto.decrypt(identity.email),
        "phone": crypto.decrypt(identity.phone),
    }


def contact_email(user):
    """Where to mail `user`: a protected person's address is decrypted only
    for sending, never stored in plain."""
    identity = ProtectedIdentity.objects.filter(user=user).first()
    if identity is None:
        return user.email
    return crypto.decrypt(identity.email)


def rotate_keys():
    """Re-encrypt every identity with the first key; returns how many."""
    count = 0
    for identity in ProtectedIdentity.objects.select_for_update().iterator():
        for field in ("full_name", "email", "phone"):
            setattr(identity, field, crypto.rotate(getattr(identity, field)))
        identity.save(update_fields=["full_name", "email", "phone"])
        count += 1
    return count
