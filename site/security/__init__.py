"""Security infrastructure every app may use (docs/security.md).

- `crypto`: identities encrypted with keys of their own (not SECRET_KEY);
- `client`: the client's address, believing only the deployment's proxies;
- `models`/`audit`: the access audit (views of classified items, downloads,
  reveals, refusals), read-only in the admin;
- `middleware`: django-auditlog's address, refusals, idle sessions;
- `ratelimit`: counters in Django's cache (public surveys);
- `uploads`: the installation-wide allow-list of attachment types.

It knows nothing of units, forms or roles: the apps above pass it what it needs.
"""
