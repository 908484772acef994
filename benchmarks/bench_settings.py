"""Production settings plus the benchmark app; only benchmarks use this module.

Everything production reads from the environment still comes from it
(SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL, ...). Two differences:

- the `benchmarks` app (a plain wagtail.contrib.forms page to compare with);
- cookies without the Secure flag: the load generator talks plain HTTP to
  gunicorn on 127.0.0.1 (no nginx, no TLS), and an HTTP client never sends a
  Secure cookie over plain HTTP. The flag changes what the client does, not what
  the server does per request.
"""

from config.settings.production import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]  # noqa: F405

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
