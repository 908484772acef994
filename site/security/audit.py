"""Writing the access audit, and the refusal the access policies raise."""

from contextvars import ContextVar

from django.http import Http404

from .client import client_ip
from .models import AccessEvent

Kind = AccessEvent.Kind

# The request being served (set by security.middleware.AccessAuditMiddleware),
# so that a policy deep in a queryset helper can record whom it refused.
current_request = ContextVar("dlxh_current_request", default=None)


class Refused(Http404):
    """A 404 raised by an access policy (not a missing URL), shown as an
    ordinary 404 so ids leak nothing, and recorded as a refused access when
    raised: Wagtail's admin turns 404s into its own page before any
    middleware would see them."""

    def __init__(self, *args):
        super().__init__(*args)
        request = current_request.get()
        if request is not None and not getattr(request, "_dlxh_refusal", False):
            request._dlxh_refusal = True
            record(request, Kind.REFUSED, status=404)


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
