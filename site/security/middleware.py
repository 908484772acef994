"""Middleware: django-auditlog's address, refused accesses, idle sessions, CSP."""

import time

from auditlog.middleware import AuditlogMiddleware
from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from . import audit
from .client import client_ip

IDLE_SESSION_KEY = "dlxh_last_seen"
ADMIN_PREFIX = "/admin/"
WAGTAIL_REFUSAL = "Sorry, you do not have permission to access this area."
# Seconds between two writes of the last-seen time: a session is saved at most
# once a minute for it, not on every request of a deadline rush.
IDLE_WRITE_INTERVAL = 60


class DlxhAuditlogMiddleware(AuditlogMiddleware):
    """django-auditlog, with the client's address taken as the deployment's
    proxy setting says (auditlog believes the left-most X-Forwarded-For, which
    any client writes), and none at all for anonymous requests: respondents
    of anonymous surveys leave no address (Art. 4.2)."""

    @staticmethod
    def _get_remote_addr(request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return client_ip(request)

    @staticmethod
    def _get_remote_port(request):
        # X-Forwarded-Port comes from the client as much as the address does.
        return None


class AccessAuditMiddleware:
    """Every refusal an access policy or a permission check raises is recorded
    with the client's address: a policy's 404 when it is raised
    (security.audit.Refused), a PermissionDenied here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = audit.current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            audit.current_request.reset(token)
        if not getattr(request, "_dlxh_refusal", False) and (
            response.status_code == 403 or self._wagtail_refused(request)
        ):
            request._dlxh_refusal = True
            audit.record(request, audit.Kind.REFUSED, status=403)
        return response

    @staticmethod
    def _wagtail_refused(request):
        """Wagtail's admin refuses by redirecting home with its message
        (wagtail.admin.auth.permission_denied), catching PermissionDenied
        before any middleware sees it."""
        queued = getattr(getattr(request, "_messages", None), "_queued_messages", [])
        if not queued:
            return False
        # In the language the message was written in (the user's, for Wagtail).
        refusals = {WAGTAIL_REFUSAL, gettext(WAGTAIL_REFUSAL)}
        for language in {getattr(request, "LANGUAGE_CODE", None), "vi"} - {None}:
            with translation.override(language):
                refusals.add(gettext(WAGTAIL_REFUSAL))
        refusals = {text.strip() for text in refusals}
        return any(str(message.message).strip() in refusals for message in queued)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied) and not getattr(
            request, "_dlxh_refusal", False
        ):
            request._dlxh_refusal = True
            audit.record(request, audit.Kind.REFUSED, status=403)
        return None


class IdleSessionMiddleware:
    """A signed-in session left idle longer than SESSION_IDLE_TIMEOUT seconds
    ends: the next request signs out and goes to the login page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timeout = getattr(settings, "SESSION_IDLE_TIMEOUT", 0)
        user = getattr(request, "user", None)
        if timeout and user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(IDLE_SESSION_KEY)
            if last_seen is not None and now - last_seen > timeout:
                logout(request)
                messages.warning(
                    request,
                    _(
                        "Phiên làm việc đã kết thúc vì không hoạt động quá "
                        "%(minutes)s phút. Vui lòng đăng nhập lại."
                    )
                    % {"minutes": timeout // 60},
                )
                return redirect_to_login(request.get_full_path())
            if last_seen is None or now - last_seen >= IDLE_WRITE_INTERVAL:
                request.session[IDLE_SESSION_KEY] = now
        return self.get_response(request)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp, with one allowance for Wagtail's admin.

    The site's policy (CONTENT_SECURITY_POLICY) lets scripts come only from
    this site. Wagtail 8's admin still writes a few inline scripts of its own
    (the date pickers of its filters: `initDateChooser(...)`), so under
    /admin/ inline scripts are allowed too; everything else of the policy
    (no plugins, no framing by others, forms posting only here, connections
    and images from this site) holds there as well. The public forms and
    receipts keep the strict policy.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith(ADMIN_PREFIX) and parts.update is None:
            parts.update = {"script-src": [UNSAFE_INLINE]}
        return parts
