"""Settings shared by every environment.

Every value that differs between machines is read from the environment through
``env`` so that dev, test and prod differ only in the few lines of their own
modules. The default database is SQLite (zero set-up); ``DATABASE_URL`` selects
PostgreSQL, which then uses psycopg 3's connection pool.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from ptp_portal.settings import SettingsEnvironmentError

BASE_DIR = Path(__file__).resolve().parent.parent.parent

_MISSING = object()
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def env(name: str, default: object = _MISSING, *, cast: type = str) -> object:
    """Return the environment variable ``name`` cast to ``cast`` (bool, int, list or str).

    A variable set to nothing (``DJANGO_SECRET_KEY=``, an unexpanded ``$SECRET``)
    counts as unset: a required one is missing. A value the cast refuses names its
    variable. Either stops the process with one clear line, not a bare ``ValueError``.
    """
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        if default is _MISSING:
            raise SettingsEnvironmentError(f"Set the environment variable {name}.")
        return default
    if cast is bool:
        value = raw.strip().lower()
        if value not in TRUE_WORDS | FALSE_WORDS:  # "ture" must not mean False
            raise SettingsEnvironmentError(
                f"The environment variable {name} must be true or false, not {raw!r}."
            )
        return value in TRUE_WORDS
    if cast is list:
        return [item.strip() for item in raw.split(",") if item.strip()]
    try:
        return cast(raw)
    except ValueError:
        raise SettingsEnvironmentError(
            f"The environment variable {name} must be {cast.__name__}, not {raw!r}."
        ) from None


SECRET_KEY = env("DJANGO_SECRET_KEY", "insecure-dev-key-only-for-local-use")
DEBUG = env("DJANGO_DEBUG", False, cast=bool)
ALLOWED_HOSTS = env("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"], cast=list)
CSRF_TRUSTED_ORIGINS = env("DJANGO_CSRF_TRUSTED_ORIGINS", [], cast=list)

INSTALLED_APPS = [
    "ptp_portal.apps.PortalAdminConfig",  # django.contrib.admin on the portal's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap_italia_template",
    "django_filters",
    "localflavor",
    "axes",
    "ptp_portal.apps.TasksDatabaseConfig",  # django_tasks_db, named in Italian
    "networks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside every middleware that may refuse the request (CommonMiddleware's host check),
    # so that a refusal page carries the policy and the framing ban too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ptp_portal.middleware.SlidingSessionMiddleware",
    "ptp_portal.middleware.ItalianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ptp_portal.middleware.PrivatePagesNotCachedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
    "ptp_portal.middleware.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "ptp_portal.urls"
WSGI_APPLICATION = "ptp_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "networks.context_processors.portal",
            ],
        },
    },
]

try:
    DATABASES = {
        "default": dj_database_url.parse(
            env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=0
        )
    }
except ValueError as error:  # dj_database_url's UnknownSchemeError and malformed URLs
    raise SettingsEnvironmentError(
        f"The environment variable DATABASE_URL is not a valid database URL: {error}"
    ) from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    from psycopg_pool import ConnectionPool

    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env("DATABASE_POOL_MIN", 2, cast=int),
        "max_size": env("DATABASE_POOL_MAX", 10, cast=int),
        "timeout": 10,
        # Test a connection before lending it: after a PostgreSQL restart the
        # stale ones are replaced instead of failing one request each.
        "check": ConnectionPool.check_connection,
    }
else:
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Brute-force protection: lock a username from one IP after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = env("AXES_FAILURE_LIMIT", 5, cast=int)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
# Behind load balancers the client's address is in X-Forwarded-For (ptp_portal/client_ip.py).
PORTAL_PROXY_COUNT = env("PORTAL_PROXY_COUNT", 0, cast=int)
AXES_CLIENT_IP_CALLABLE = "ptp_portal.client_ip.client_ip"

SESSION_COOKIE_AGE = env("SESSION_COOKIE_AGE", 60 * 60 * 2, cast=int)
# An idle timeout: each use pushes the expiry forward, with a write at most every 5 minutes
# (ptp_portal.middleware.SlidingSessionMiddleware) instead of one per request.
SESSION_REFRESH_SECONDS = env("SESSION_REFRESH_SECONDS", 300, cast=int)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italiano")), ("en", _("Inglese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["ptp_portal.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded documents live outside the web root and are served only by views that check access.
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Files over every limit of the portal are counted, not written to the temporary directory.
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "networks.uploads.CappedTemporaryFileUploadHandler",
]

_EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKEND,
        "OPTIONS": (
            {
                "host": env("EMAIL_HOST", "localhost"),
                "port": env("EMAIL_PORT", 25, cast=int),
                "username": env("EMAIL_HOST_USER", ""),
                "password": env("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env("EMAIL_USE_TLS", False, cast=bool),
                "timeout": 20,
            }
            if _EMAIL_BACKEND.endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Poli Tecnici Professionali <noreply@example.org>")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Immediate in dev and tests (tasks run at commit); the database-backed worker in
# production (docs/decisions/0001-background-tasks.md).
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend"),
    }
}

# No inline script anywhere: scripts carry the per-request nonce. Bootstrap
# Italia's bundle injects <style> elements and data: fonts at run time, so
# styles allow inline (docs/decisions/0002-content-security-policy.md).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Portal identity, shown in the header and on documents.
PORTAL_REGION_NAME = env("PORTAL_REGION_NAME", "Regione Lombardia")
PORTAL_DIRECTORATE = env("PORTAL_DIRECTORATE", "Direzione Generale Istruzione, Formazione e Lavoro")
PORTAL_IPA_CODE = env("PORTAL_IPA_CODE", "r_lombar")
PORTAL_BASE_URL = env("PORTAL_BASE_URL", "http://127.0.0.1:8000")
# Who the public writes to, shown in the footer and on the accessibility and privacy
# pages: the office that handles the procedure, the data protection officer (RPD, art. 37
# GDPR) and the address for accessibility feedback (L. 4/2004; the office's by default).
PORTAL_CONTACT_EMAIL = env("PORTAL_CONTACT_EMAIL", "ptp@example.org")
PORTAL_DPO_EMAIL = env("PORTAL_DPO_EMAIL", "rpd@example.org")
PORTAL_ACCESSIBILITY_EMAIL = env("PORTAL_ACCESSIBILITY_EMAIL", "") or PORTAL_CONTACT_EMAIL

# The Region's electronic seal on decrees (networks.sealing, decision 0007): a PKCS#12
# file with the key and the certificate, and its password. Unset: decrees are not sealed.
DECREE_SEAL_PKCS12 = env("DECREE_SEAL_PKCS12", "")
DECREE_SEAL_PASSWORD = env("DECREE_SEAL_PASSWORD", "")
# Development only: the demo's self-signed seal, made on first use (networks.sealing).
DEMO_DECREE_SEAL = None

LOG_LEVEL = str(env("DJANGO_LOG_LEVEL", "INFO")).strip().upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise SettingsEnvironmentError(
        "The environment variable DJANGO_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or "
        f"CRITICAL, not {LOG_LEVEL!r}."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "ptp_portal.logformat.PortalTimeFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        name: {"level": "WARNING"} for name in ("axes", "django.tasks", "weasyprint", "fontTools")
    },
}
PORTAL_DECREE_PLACE = env("PORTAL_DECREE_PLACE", "Milano")
# The office town's patron day, a holiday there for the applicants' deadlines
# (networks.holidays): "MM-DD name", several separated by ";", empty for none.
PORTAL_LOCAL_HOLIDAYS = env("PORTAL_LOCAL_HOLIDAYS", "12-07 Sant'Ambrogio, patrono di Milano")
# seed_demo may load its accounts (with a published password) and sample data; never in production.
PORTAL_DEMO_DATA = True
# /salute/ answers 503 when the media disk has less free space than this: uploads
# (up to a call's limit each), receipts and decrees would start failing.
PORTAL_HEALTH_MIN_FREE_MB = env("PORTAL_HEALTH_MIN_FREE_MB", 256, cast=int)
