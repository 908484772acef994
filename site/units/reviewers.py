"""Who reviews which unit's submissions (Art. 6.1.1).

A commune's submissions are reviewed by its Ban Xây dựng Đảng; provincial units
report to the Board directly, so Board staff review them.
"""

from django.contrib.auth import get_user_model

from units.choices import Level, Role, UnitKind
from units.models import Membership, Unit
from units.roles import BOARD_ROLES


def reviewers_of(unit):
    """The active users who review `unit`'s submissions at the first level."""
    if unit.level == Level.COMMUNE:
        units = Unit.objects.filter(
            commune_id=unit.commune_id, kind=UnitKind.PARTY_BUILDING, is_active=True
        )
        roles = [Role.COMMUNE_REVIEWER]
    else:
        units = Unit.objects.board()
        roles = list(BOARD_ROLES)
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__unit__in=units,
            memberships__role__in=roles,
            memberships__is_active=True,
        )
        .distinct()
    )


def units_reviewed_by(user):
    """The units whose submissions `user` reviews at the first level."""
    memberships = Membership.objects.for_user(user)
    communes = [
        m.unit.commune_id for m in memberships if m.role == Role.COMMUNE_REVIEWER
    ]
    units = Unit.objects.filter(commune_id__in=communes)
    if any(m.role in BOARD_ROLES for m in memberships):
        units = units | Unit.objects.filter(level=Level.PROVINCE)
    return units


def is_board_member(user):
    return user.is_superuser or (
        Membership.objects.for_user(user).filter(role__in=BOARD_ROLES).exists()
    )
