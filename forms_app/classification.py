"""Classification levels (Art. 3.2, 6.2.2): the installation's ceiling and who
may change a submission's level.

Levels are those of the Law on Protection of State Secrets (units.choices.
Clearance): Thường, Mật, Tối mật, Tuyệt mật. `DLXH_MAX_CLASSIFICATION` is the
highest an installation may hold; a template, a submission or a change above it
is refused with the message below.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from forms_app.vocabularies import Classification


def max_classification():
    return int(getattr(settings, "DLXH_MAX_CLASSIFICATION", Classification.TOP_SECRET))


def above_ceiling_message(level):
    """Why `level` cannot be held here, or None when it can."""
    ceiling = max_classification()
    if int(level) <= ceiling:
        return None
    return _(
        "Hệ thống này chỉ được lưu thông tin có độ mật đến “%(max)s”; thông tin "
        "“%(level)s” phải được xử lý ngoài hệ thống theo quy định bảo vệ bí mật "
        "nhà nước."
    ) % {
        "max": Classification(ceiling).label,
        "level": Classification(int(level)).label,
    }


def marking(level):
    """The mark a classified screen or printout carries ("" for Thường)."""
    level = int(level or 0)
    return Classification(level).label.upper() if level else ""
