"""Settings of pianocasa: the production settings, driven by environment variables.

SQLite in ``var/`` by default; PostgreSQL (or any database dj-database-url accepts)
through ``DATABASE_URL``. The test suite runs on ``pianocasa.settings_test``, which
imports this module and overrides what tests need: nothing here depends on being
under test.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PIANOCASA_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "si", "sì"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # A missing key in production is a configuration error, not a default.
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Impostare DJANGO_SECRET_KEY (o DJANGO_DEBUG=1).")
    # Development only (DJANGO_DEBUG=1 is never a production setting, and
    # check --deploy refuses it): a fixed key keeps the sessions across the
    # restarts of runserver.
    SECRET_KEY = "pianocasa-solo-sviluppo-non-usare-in-produzione"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

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
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "pianocasa.sicurezza",
    "ambiti",
    "patrimonio",
    "piani",
    "misure",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check, which would read the whole body looking for the token.
    "pianocasa.caricamenti.LimiteCaricamentoMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "pianocasa.sicurezza.middleware.InattivitaMiddleware",
    "pianocasa.sicurezza.middleware.SecondoFattoreMiddleware",
    "pianocasa.sicurezza.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its page.
    "axes.middleware.AxesMiddleware",
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
                "pianocasa.piede.piede",
            ],
            # pianocasa is not an app: its template libraries are listed here.
            "libraries": {
                "elisione": "pianocasa.elisione",
                "tabelle": "pianocasa.ui.tabelle",
            },
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

# Failed logins are counted per username and client address (django-axes): after
# PIANOCASA_ACCESSI_TENTATIVI wrong passwords that pair is locked out for
# PIANOCASA_ACCESSI_BLOCCO_MINUTI, and every further attempt restarts the wait.
# Per pair, not per username alone, so that a stranger cannot lock a colleague
# out, nor an office behind one NAT address lock itself out by typos. Unlock:
# `manage.py axes_reset_username NAME`, the Django admin, or a password reset.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("PIANOCASA_ACCESSI_TENTATIVI", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("PIANOCASA_ACCESSI_BLOCCO_MINUTI", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "pianocasa.sicurezza.views.accesso_bloccato"
# The client's address: REMOTE_ADDR, or behind PIANOCASA_PROXY_NUMERO reverse
# proxies the address the outermost of them saw (see indirizzo_client).
PIANOCASA_PROXY_NUMERO = env_int("PIANOCASA_PROXY_NUMERO", 0)
AXES_CLIENT_IP_CALLABLE = "pianocasa.sicurezza.services.indirizzo_client"

# Second factor (TOTP, django-otp): required for administrators
# (pianocasa.sicurezza.middleware), optional for everyone else.
OTP_TOTP_ISSUER = os.environ.get("PIANOCASA_OTP_EMITTENTE", "pianocasa")

# Inactivity timeout: the session ends this many minutes after the last request
# (the expiry is renewed at most once a minute, see InattivitaMiddleware) and
# when the browser closes.
SESSION_COOKIE_AGE = 60 * env_int("PIANOCASA_INATTIVITA_MINUTI", 30)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
PIANOCASA_SESSIONE_RINNOVO_SECONDI = 60

# Password reset by e-mail. Development prints the messages on the console.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "pianocasa <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

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
# Development (runserver serves static files itself) and the tests
# (settings_test) read the files as they are, with no collectstatic run first.
if not DEBUG:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )
    STORAGES["staticfiles"]["BACKEND"] = "pianocasa.archivio_statico.ArchivioStatico"

# The per-address limit of public endpoints counts in "limiti" (pianocasa.pubblico):
# a database table shared by every app server in production (bin/serve creates
# it), the process's memory otherwise. "default" stays per process.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "limiti": (
        {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "pianocasa_limiti",
        }
        if env_bool("PIANOCASA_LIMITI_NEL_DATABASE", False)
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "limiti",
        }
    ),
}
# Requests per address on the public pages: "<requests>/<seconds>" (0/… is off).
PIANOCASA_LIMITE_PUBBLICO = os.environ.get("PIANOCASA_LIMITE_PUBBLICO", "120/60")
# How long browsers and proxies keep a published page or file before asking again.
PIANOCASA_CACHE_PUBBLICO = env_int("PIANOCASA_CACHE_PUBBLICO", 300)

TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "PIANOCASA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}
# Above this many rows the office's PDF of a graduatoria changed since publication
# is composed in background (about 5 ms a row), not within the request.
PIANOCASA_PDF_GRADUATORIA_RIGHE = env_int("PIANOCASA_PDF_GRADUATORIA_RIGHE", 2000)
# After each change of a plan's data its PDF is rendered again in background
# (piani/documento_cache.py), ready for the next download.
PIANOCASA_DOCUMENTO_IN_BACKGROUND = True

# Bootstrap 5's table template, its rows rendered by pianocasa.ui.tabelle.
DJANGO_TABLES2_TEMPLATE = "django_tables2/pianocasa.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover"}

# HTTPS. Production (DEBUG off) redirects plain HTTP, sends HSTS and secure-only
# cookies, so that `check --deploy` has nothing to report. Behind a proxy that
# terminates TLS, DJANGO_SECURE_PROXY_SSL_HEADER names the header through which
# the proxy tells Django the request came over HTTPS (e.g. X-Forwarded-Proto: the
# proxy must set it and drop the client's own).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
_INTESTAZIONE_TLS = os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "").strip()
if _INTESTAZIONE_TLS:
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _INTESTAZIONE_TLS.upper().replace("-", "_"),
        "https",
    )
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp 4). Scripts: our own files, inline scripts
# carrying the request's nonce ({{ request.csp_nonce }}), and the two inline
# scripts of design-django-theme's base template, which no block can override
# (their SHA-256; tests/sicurezza/test_csp.py fails if the theme changes them).
# Styles may be inline: Bootstrap Italia's font loader writes a <style> element
# at run time, and the plan document carries its own stylesheet.
# The site's accessibility statement (AGID form), linked in every footer; an
# ambito's public pages link the ambito's own when it has one.
PIANOCASA_URL_ACCESSIBILITA = os.environ.get("PIANOCASA_URL_ACCESSIBILITA", "")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [
            SELF,
            NONCE,
            # <script>window.__PUBLIC_PATH__ = "/static/fonts"</script>
            "'sha256-YKjPg/VSIGZenc1wilnEAu0vYApTcdOjdf8wI6GlLVw='",
            # <script>bootstrap.loadFonts('/bootstrap-italia/dist/fonts');</script>
            "'sha256-kVEsM2EETCcdowEzD/ZpmQ4n0p2IW4W2GIF3R/g3ce4='",
        ],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

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
# Bodies over PIANOCASA_MAX_UPLOAD_BYTES are refused before they are read: by their
# Content-Length, or as soon as the streamed file bytes pass it
# (pianocasa/caricamenti.py).
FILE_UPLOAD_HANDLERS = [
    "pianocasa.caricamenti.LimiteCaricamentoHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Every uploaded spreadsheet is parsed by calamine in a child process with these
# limits (pianocasa/lettori/xlsx.py): address space, wall-clock time, cells of the
# first sheet's rectangle. The 166.000-row registry export peaks at ~0,3 GB there.
PIANOCASA_LETTURA_MAX_MEMORIA = (
    int(os.environ.get("PIANOCASA_LETTURA_MAX_MEMORIA_MB", "2048")) * 2**20
)
PIANOCASA_LETTURA_MAX_SECONDI = int(
    os.environ.get("PIANOCASA_LETTURA_MAX_SECONDI", "120")
)
PIANOCASA_LETTURA_MAX_CELLE = int(
    os.environ.get("PIANOCASA_LETTURA_MAX_CELLE", "20000000")
)

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
