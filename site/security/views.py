"""Views of the security app: django-axes' lockout page."""

from axes.helpers import get_cool_off
from django.shortcuts import render


def lockout(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the lockout page, in Vietnamese, with minutes."""
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else 0
    # Rendered now: django-axes returns it from its middleware.
    return render(
        request,
        "security/lockout.html",
        {"cooloff_minutes": minutes},
        status=429,
    )
