"""Creating and updating people: one path for the admin, imports and demo data."""

from django.contrib.auth import get_user_model
from django.db import transaction

from .choices import Role
from .identity import protect
from .models import Membership, UserProfile


@transaction.atomic
def upsert_person(
    *,
    username,
    full_name="",
    email="",
    unit,
    role,
    clearance=None,
    title="",
    phone="",
    password=None,
):
    """Create or update a user, their profile and their membership of `unit`.

    An existing user keeps their password unless one is given; a new user gets
    none (an unusable password) until staff set one or they reset it by email.
    """
    User = get_user_model()
    first_name, last_name = _split_name(full_name)
    protected = role == Role.COLLABORATOR
    if protected:
        # A collaborator's identity is encrypted before anything is stored
        # (Art. 7.1.5): the user row and the profile never hold it in plain.
        user, created = User.objects.get_or_create(username=username)
        protect(user, full_name=full_name, email=email, phone=phone)
        first_name = last_name = email = phone = ""
    else:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": email,
            },
        )
    if not created and not protected:
        changed = False
        for field, value in (
            ("first_name", first_name),
            ("last_name", last_name),
            ("email", email),
        ):
            if value and getattr(user, field) != value:
                setattr(user, field, value)
                changed = True
        if changed:
            user.save()
    if password is not None:
        user.set_password(password)
        user.save(update_fields=["password"])
    elif created:
        user.set_unusable_password()
        user.save(update_fields=["password"])

    profile, _created = UserProfile.objects.get_or_create(user=user)
    profile_changes = {"title": title, "phone": phone}
    if clearance is not None:
        profile_changes["clearance"] = clearance
    for field, value in profile_changes.items():
        if value not in ("", None):
            setattr(profile, field, value)
    profile.save()
    # The profile made by the post_save signal may be cached on the user.
    user.dlxh_profile = profile

    membership, _created = Membership.objects.update_or_create(
        user=user, unit=unit, defaults={"role": role, "is_active": True}
    )
    return user, membership


def _split_name(full_name):
    """Vietnamese names end with the given name: "Nguyễn Văn An" → "An"."""
    parts = (full_name or "").split()
    if not parts:
        return "", ""
    return parts[-1], " ".join(parts[:-1])
