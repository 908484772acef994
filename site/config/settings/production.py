"""Production: every secret and host from the environment, HTTPS behind a proxy."""

from config.env import env_bool, env_int, env_list, env_str

from .base import *  # noqa: F403

# Refuse to start with the development key.
SECRET_KEY = env_str("SECRET_KEY", required=True)
# No default hosts: the operator names the public host names.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("ALLOWED_HOSTS must name the site's host names.")

# Identities are encrypted with keys of their own, never with SECRET_KEY.
DLXH_IDENTITY_KEYS = env_list("DLXH_IDENTITY_KEYS")
if not DLXH_IDENTITY_KEYS or SECRET_KEY in DLXH_IDENTITY_KEYS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "DLXH_IDENTITY_KEYS must list the Fernet keys that protect identities "
        "(docs/security.md), none of them SECRET_KEY."
    )

# The reverse proxy terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Override of check --deploy's security.W021: the HSTS preload list takes whole
# registrable domains (e.g. daklak.gov.vn), so preloading is the domain owner's
# commitment, not this application's; the site usually runs on a subdomain. An
# operator who owns the domain sets SECURE_HSTS_PRELOAD=1 and the check is back.
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]  # noqa: F405
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sensitive information: sessions end when the browser closes and after 8 hours.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 8 * 60 * 60

# Reuse database connections between requests of one gunicorn worker.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# Errors go to the log, which the service manager collects.
LOGGING["root"]["level"] = env_str("LOG_LEVEL", "WARNING")  # noqa: F405
