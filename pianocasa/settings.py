"""Settings of pianocasa: one module, driven by environment variables.

SQLite in ``var/`` by default; PostgreSQL (or any database dj-database-url accepts)
through ``DATABASE_URL``.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PIANOCASA_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "si", "sì"}


DEBUG = env_bool("DJANGO_DEBUG", False)
TESTING = "pytest" in sys.modules or env_bool("PIANOCASA_TESTING")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not TESTING:
        # A missing key in production is a configuration error, not a default.
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Impostare DJANGO_SECRET_KEY (o DJANGO_DEBUG=1).")
    SECRET_KEY = "pianocasa-solo-sviluppo-non-usare-in-produzione"

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip()
    for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",")
    if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_tables2",
    "django_filters",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "bootstrap_italia_template",
    "ambiti",
    "patrimonio",
    "piani",
    "misure",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "pianocasa.urls"
WSGI_APPLICATION = "pianocasa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pianocasa.menu.menu",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'pianocasa.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while a task worker writes; the busy timeout rides
    # out short write locks instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_VALIDATORI = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORI}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORI}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATORI}.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italiano"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))

# Approved plans and imports are kept through the storage API, so a deployment
# can switch to S3-compatible storage by changing STORAGES only.
STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "PIANOCASA_STORAGE_BACKEND",
            "django.core.files.storage.FileSystemStorage",
        ),
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}

# --- Static files served by WhiteNoise (bin/serve) ---
# collectstatic writes hashed, compressed copies with a manifest, so the app servers
# serve them with far-future cache headers and no reverse proxy is needed for them.
# Tests and development (runserver serves static files itself) read the files as
# they are, with no collectstatic run first.
if not DEBUG and not TESTING:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )
    STORAGES["staticfiles"]["BACKEND"] = "pianocasa.archivio_statico.ArchivioStatico"

TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "PIANOCASA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

if TESTING:
    # Tests run tasks at once, in-process; a test that needs the queue overrides it.
    TASKS["default"]["BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    # Hashing test users' passwords with PBKDF2 dominated the view tests' time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover"}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Rent support: management costs above this share of a regional DGR are an anomalia
# (domain.md §5; configurable because DGRs have set different caps).
PIANOCASA_TETTO_SPESE_GESTIONE = int(
    os.environ.get("PIANOCASA_TETTO_SPESE_GESTIONE", "10")
)

# Upload limits: imports refuse larger files with an Italian message before reading.
PIANOCASA_MAX_UPLOAD_BYTES = int(
    os.environ.get("PIANOCASA_MAX_UPLOAD_BYTES", 50 * 2**20)
)
# Web uploads larger than this go to the task queue (a progress bar follows them).
PIANOCASA_IMPORT_SOGLIA_BACKGROUND = int(
    os.environ.get("PIANOCASA_IMPORT_SOGLIA_BACKGROUND", 2**20)
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 2**20
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 2**20

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING"),
    },
    "loggers": {
        # Every view of an applicant's personal data is logged here (misure).
        "pianocasa.accessi": {
            "handlers": ["console"],
            "level": "INFO",
            "propagate": False,
        },
    },
}
