"""Settings shared by every environment; deployment values come from the environment."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str
from config.storage import file_storages

SITE_DIR = Path(__file__).resolve().parents[2]
BASE_DIR = SITE_DIR.parent

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "security",
    "home",
    "units",
    "forms_app",
    "workflows",
    "exports",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_rq",
    "auditlog",
    "formtools",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    # Django's admin without autodiscovery, for django-rq's dashboard only.
    "security.apps.OperatorsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # django-csp, allowing Wagtail's admin its inline scripts (security.middleware).
    "security.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: it tells the user why they were signed out.
    "security.middleware.IdleSessionMiddleware",
    # django-otp's middleware, and the two-factor step for the people whose
    # role requires it (security.require_two_factor, units.roles).
    "django_otp.middleware.OTPMiddleware",
    "security.two_factor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "security.middleware.DlxhAuditlogMiddleware",
    "security.middleware.AccessAuditMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it answers a locked-out login.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, as django-axes asks: it refuses a locked-out login before the
    # password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# The embedded default is a SQLite file beside the checkout; tests, CI and
# production point DATABASE_URL at PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# Each admin user may switch to English in their account preferences.
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static_src"]

# Uploads and exports are private: MEDIA_ROOT is never served under a public URL;
# files leave through permission-checked views only. They are kept there, on this
# machine, unless the environment names a bucket (config/storage.py): uploads
# ("default"), drafts' uploads ("drafts") and workbooks ("exports") alike.
MEDIA_ROOT = Path(env_str("PRIVATE_FILES_ROOT", str(BASE_DIR / "var" / "private")))
MEDIA_URL = "/private/"
STORAGES = {
    **file_storages(),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Long questionnaires post hundreds of inputs; the page editor does too.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Jobs: with REDIS_URL set they go to RQ workers; unset, they run synchronously in
# the request through the same code path (the embedded default).
REDIS_URL = env_str("REDIS_URL")
RQ_QUEUES = {
    name: {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 900}
    for name in ("default", "exports")
}
JOBS_RUN_SYNCHRONOUSLY = not REDIS_URL

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "dlxh@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGIN_URL = "wagtailadmin_login"
# A unit's own people land on their page; the admin's login decides by role
# (workflows.unit_page.LoginView).
LOGIN_REDIRECT_URL = "workflows:unit_page"

WAGTAIL_SITE_NAME = _("Hệ thống thông tin dư luận xã hội")
WAGTAILADMIN_BASE_URL = env_str("BASE_URL", "http://127.0.0.1:8000")
# Submissions approved through their workflow publish without the approver's
# own publish permission; pages keep Wagtail's rule (workflows/finishing.py).
WAGTAIL_FINISH_WORKFLOW_ACTION = "workflows.finishing.publish_approved"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx"]
# Wagtail's documents stream through its permission-checked view, as the
# platform's own files do; with files in a bucket Wagtail would otherwise
# redirect to a signed URL of the bucket (docs/operations.md says why not).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Never SVG: an image a browser would run scripts in.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# An installation on a closed network does not call Wagtail's servers, nor
# send people's e-mail hashes to Gravatar for their avatars.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# The province this installation serves (official code from vietnam-provinces).
DLXH_PROVINCE_CODE = env_int("DLXH_PROVINCE_CODE", 66)

# A form begun and never sent is deleted, with its uploads, after this many days
# untouched (forms_app.housekeeping, daily).
DRAFT_RETENTION_DAYS = env_int("DRAFT_RETENTION_DAYS", 90)

AUDITLOG_INCLUDE_ALL_MODELS = False

# Security (docs/security.md).

# Reverse proxies in front of the app: 0 when clients connect directly, 1
# behind deploy/nginx/dlxh.conf. The client's address in the access audit,
# django-auditlog and django-axes is taken as this says (security.client).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Keys that encrypt protected identities (collaborators, respondents), newest
# first; separate from SECRET_KEY. Production requires them; development and
# tests use a fixed key of their own (dev.py, test.py).
DLXH_IDENTITY_KEYS = env_list("DLXH_IDENTITY_KEYS")

# The highest classification this installation may hold (0 Thường, 1 Mật,
# 2 Tối mật, 3 Tuyệt mật): anything above is refused with a message.
DLXH_MAX_CLASSIFICATION = env_int("DLXH_MAX_CLASSIFICATION", 2)

# Attachment types the installation accepts; a question may narrow the list,
# never widen it; SVG and HTML are refused always (security.uploads).
DLXH_UPLOAD_EXTENSIONS = env_list("DLXH_UPLOAD_EXTENSIONS")

# Anonymous surveys: answers per client and survey per hour, and per survey
# per minute (all clients together).
SURVEY_RATE_PER_CLIENT = env_int("SURVEY_RATE_PER_CLIENT", 10)
SURVEY_RATE_PER_SURVEY = env_int("SURVEY_RATE_PER_SURVEY", 300)

# Counters of rate limits (and anything else cached) are shared by every
# process through Redis; without Redis, by the one process that runs.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "dlxh",
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# A signed-in session ends after this many idle seconds.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)

# django-axes: an account is locked for AXES_COOLOFF_MINUTES after this many
# failed logins in a row (whatever the address: an office shares one).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks to lock addresses too: commune offices share one address, and
# five mistakes in an office would lock everyone in it out; accounts are locked.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "security.client.axes_client_ip"
AXES_LOCKOUT_CALLABLE = "security.views.lockout"
AXES_VERBOSE = False

# Two-factor sign-in (django-otp TOTP, security.two_factor): required of
# whoever holds security.require_two_factor (Board and reviewer roles,
# units.roles) and of superusers.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "DLXH")

# Content Security Policy (django-csp): scripts, styles, fonts and images from
# this site only. Wagtail's admin still sets style attributes from its
# scripts and templates, hence 'unsafe-inline' for styles; its few inline
# scripts are allowed under /admin/ only (security.middleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Wagtail 8 runs its reference-index updates as django-tasks and logs each one.
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
        # django-axes logs every successful login at INFO.
        "axes": {"level": "WARNING"},
    },
}
