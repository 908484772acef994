"""The client's address, as the deployment's proxy setting says to take it.

`TRUSTED_PROXY_COUNT` is the number of reverse proxies in front of the app
(0: clients connect directly). Each proxy appends the address it received the
request from to X-Forwarded-For (or, as deploy/nginx/dlxh.conf does, replaces
the header with it), so the client is the entry that many places from the
right; anything further left was written by the client and is not believed.
django-ipware or axes' own settings would do the same, but the access audit,
django-auditlog and axes must agree on one rule, so they all call this.
"""

import ipaddress

from django.conf import settings


def _valid(address):
    address = (address or "").strip()
    if address.startswith("[") and "]" in address:  # [v6]:port
        address = address[1:].split("]", 1)[0]
    elif address.count(":") == 1:  # v4:port
        address = address.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_ip(request):
    """The client's address, or None when it cannot be told."""
    remote = _valid(request.META.get("REMOTE_ADDR"))
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    # With N proxies, the last N-1 entries were added by the inner proxies and
    # the one before them by the outermost proxy: the client it saw.
    if len(forwarded) < proxies:
        # Fewer hops than proxies: the request did not come the documented
        # way (or a proxy is misconfigured); only the socket can be believed.
        return remote
    return _valid(forwarded[-proxies])


def axes_client_ip(request):
    """AXES_CLIENT_IP_CALLABLE: axes wants a string."""
    return client_ip(request) or ""
