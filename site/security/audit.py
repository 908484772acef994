"""Writing the access audit, and the refusal the access policies raise."""

from django.http import Http404

from .client import client_ip
from .models import AccessEvent

Kind = AccessEvent.Kind


class Refused(Http404):
    """A 404 raised by an access policy (not a missing URL): recorded as a
    refused access by security.middleware.AccessAuditMiddleware, then shown as
    an ordinary 404, so ids leak nothing."""


def record(request, kind, obj=None, *, classification=0, reason="", status=None):
    """One access audit entry for `request`'s user reaching `obj` (or a path)."""
    user = getattr(request, "user", None)
    return AccessEvent.objects.create(
        kind=kind,
        user=user if user is not None and user.is_authenticated else None,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        classification=classification or int(getattr(obj, "classification", 0) or 0),
        path=request.path[:300],
        method=request.method[:8],
        client_address=client_ip(request),
        reason=reason,
        status=status,
    )


def record_view_once(request, obj):
    """A classified object's screen, once per request however often it is
    looked up (Wagtail's views fetch their object several times)."""
    if not int(getattr(obj, "classification", 0) or 0):
        return
    seen = request.__dict__.setdefault("_dlxh_audited_views", set())
    key = (obj._meta.label_lower, obj.pk)
    if key in seen:
        return
    seen.add(key)
    record(request, Kind.VIEW, obj)
