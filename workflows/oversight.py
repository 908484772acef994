"""Whose reporting a person follows: their own units, and the units they oversee.

The Board and leadership viewers oversee every unit; a commune reviewer the
units of their commune (Art. 6.1.1); others oversee none. The reporting
calendar (forms_app.obligations) takes these as sets of unit ids.
"""

from forms_app.access import PROVINCE_READERS
from units.choices import Role
from units.models import Membership, Unit
from units.reviewers import units_reviewed_by

ALL = None


def memberships(user):
    if not user.is_authenticated:
        return []
    return list(Membership.objects.for_user(user))


def own_units(user):
    """The user's active units, in name order."""
    return sorted({m.unit for m in memberships(user)}, key=lambda unit: unit.name)


def overseen_scope(user):
    """ALL (None), or the ids of the units `user` oversees (maybe empty)."""
    if user.is_superuser:
        return ALL
    roles = {m.role for m in memberships(user)}
    if roles & PROVINCE_READERS:
        return ALL
    if Role.COMMUNE_REVIEWER in roles:
        return set(
            units_reviewed_by(user).filter(is_active=True).values_list("pk", flat=True)
        )
    return set()


def compliance_scope(user):
    """Units whose calendar `user` may see: what they oversee, and their own."""
    scope = overseen_scope(user)
    if scope is ALL:
        return ALL
    return scope | {m.unit_id for m in memberships(user)}


def is_overseer(user):
    return overseen_scope(user) != set()


def may_see_unit(user, unit):
    scope = compliance_scope(user)
    return scope is ALL or unit.pk in scope


def visible_units(user):
    """Units whose page `user` may open: own and overseen, active."""
    scope = compliance_scope(user)
    units = Unit.objects.active().select_related("commune")
    return units if scope is ALL else units.filter(pk__in=scope)
