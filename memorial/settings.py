"""Settings for Memories.

Everything is read from the environment, and nothing is required: without any variable the
archive runs on its embedded defaults (SQLite, local folders in var/, database search, the
database task queue). See README.md for the switches to PostgreSQL, S3, Elasticsearch, Redis and
mail. Variables are read through django-environ (URLs for the cache and mail included).
"""

import re
from email.utils import getaddresses
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from memorial.logging import logging_config
from memorial.storage_settings import public_and_private

env = environ.Env()


# Nothing is required for `make run`: every variable has an embedded default.
def env_str(name: str, default: str = "") -> str:
    return env.str(name, default=default)


def env_bool(name: str, default: bool = False) -> bool:
    return env.bool(name, default=default)


def env_int(name: str, default: int) -> int:
    return env.int(name, default=default)


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """Comma-separated, blanks around items ignored ("a, b" is two hosts)."""
    return [part.strip() for part in env.list(name, default=default or []) if part.strip()]


BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MEMORIES_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)
_DEV_SECRET = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else [])

if not DEBUG:
    # Production refuses to start on development defaults.
    if not SECRET_KEY or SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("Set SECRET_KEY to a random value of at least 50 characters when DEBUG is off.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma-separated) when DEBUG is off.")
    if not env_str("SITE_URL", ""):
        # The public base ends up in IIIF ids, media URLs, receipts' links and feeds: never guessed.
        raise ImproperlyConfigured("Set SITE_URL (the public base, e.g. https://memories.example.org) "
                                   "when DEBUG is off.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "media_pipeline",
    "archive",
    "exhibitions",
    "memorial",  # project wiring; an app for its commands (run_worker, seed_demo) and the generation row
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "memorial.private_links.PrivateLinkHeadersMiddleware",  # token URLs: no-referrer, no-store, noindex
    "memorial.security.SecurityHeadersMiddleware",  # CSP nonce, Permissions-Policy
    "memorial.observability.RequestObservabilityMiddleware",  # X-Request-ID, per-view metrics
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "memorial.ratelimit.RateLimitMiddleware",  # after Locale: the 429 speaks the visitor's language
    "memorial.auth.LoginLockoutMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Anonymous public pages (memorial/pagecache.py): after Session/Locale (key uses the language),
    # inside SecurityHeaders (fresh CSP nonce on a hit), before CSRF/Auth (a hit skips them).
    "archive.middleware.ContentWarningLinkMiddleware",  # before the cache: no replay skips a warning
    "memorial.pagecache.PageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "memorial.auth.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "memorial.security.DatabaseBusyMiddleware",  # a lock held past the busy timeout: 503, not 500
]

ROOT_URLCONF = "memorial.urls"
WSGI_APPLICATION = "memorial.wsgi.application"
ASGI_APPLICATION = "memorial.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "memorial.security.csp_nonce",
            ],
        },
    },
]

# --- Database: SQLite in var/ by default, DATABASE_URL for PostgreSQL -------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'memories.sqlite3'}",
        # Persistent connections, checked before reuse: a new connection per request costs more
        # than the page (README "Serving in production").
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout so that the web process and the worker can write side by side.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),  # seconds a writer waits for the lock
        "transaction_mode": "IMMEDIATE",
        # secure_delete zeroes freed content, so an erasure leaves no old bytes in the file's free
        # pages; journal_size_limit makes a checkpoint shrink the WAL instead of keeping old frames.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON; "
                        f"PRAGMA journal_size_limit={env_int('SQLITE_JOURNAL_SIZE_LIMIT', 8 * 1024 * 1024)};",
    }
# How long backups and archived database logs are kept: what an erasure cannot reach at once is
# gone after this many days (docs/security.md; said on the receipt).
BACKUP_RETENTION_DAYS = env_int("BACKUP_RETENTION_DAYS", 30)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages: the six UN languages -------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Files: public and private storage, local folders or S3 -----------------------------------
STATIC_URL = "/static/"
# The image collects static files at build time, outside the data volume (Containerfile).
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static_root")))
STATICFILES_DIRS = [BASE_DIR / "static"]
NODE_MODULES_DIR = BASE_DIR / "node_modules"
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # The viewers' few files from node_modules, as static/vendor/... (exhibitions/staticfiles.py).
    "exhibitions.staticfiles.NodeModulesFinder",
]
MEDIA_PUBLIC_URL = env_str("MEDIA_PUBLIC_URL", "/media/")

# S3_PUBLIC_BUCKET and S3_PRIVATE_BUCKET (with S3_ENDPOINT_URL, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY,
# S3_REGION, S3_PUBLIC_DOMAIN, S3_CACHE_CONTROL) switch both to S3 (memorial/storage_settings.py).
PUBLIC_STORAGE, PRIVATE_STORAGE = public_and_private(env_str, VAR_DIR, MEDIA_PUBLIC_URL)
STORAGES = {
    # Anything not told otherwise is private: a forgotten `storage=` never publishes a file.
    "default": PRIVATE_STORAGE,
    "private": PRIVATE_STORAGE,
    "public": PUBLIC_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve the local public folder from Django when no web server or CDN does it (embedded mode).
SERVE_PUBLIC_MEDIA = env_bool("SERVE_PUBLIC_MEDIA", PUBLIC_STORAGE["BACKEND"].endswith("FileSystemStorage"))
# A CDN purge called with the public prefixes closed by a consent change (docs/security.md). When a
# proxy serves the local public folder (SERVE_PUBLIC_MEDIA=0), no published-state gate stands in
# front of it: closed files are deleted right after the closing commit, as on S3.
MEDIA_PIPELINE = {"PURGE_HOOK": env_str("MEDIA_PURGE_HOOK"), "REMOVE_CLOSED_AT_ONCE": not SERVE_PUBLIC_MEDIA,
                  # "" (default): beside dzsave when a core is idle; "1"/"0" forces it (docs/performance.md)
                  "DERIVATIVES_BESIDE_TILES": (env_bool("MEDIA_DERIVATIVES_BESIDE_TILES")
                                               if env_str("MEDIA_DERIVATIVES_BESIDE_TILES") else None)}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Tasks: Django's Tasks API, the database queue by default ---------------------------------
# Named queues: consent changes and search updates are apart from heavy media work, so a worker
# per queue (`run_worker --queue consent --queue search`) keeps them prompt; their tasks also
# carry a higher priority, so a worker taking every queue (the default) runs them first.
TASK_QUEUES = ["default", "consent", "search", "media"]
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": TASK_QUEUES,
    }
}
# A worker counts as alive for /readyz while its heartbeat is younger than this (seconds).
WORKER_HEARTBEAT_STALE = env_int("WORKER_HEARTBEAT_STALE", 180)
# /readyz answers 503 without a live worker only when asked (memorial/health.py).
READYZ_REQUIRE_WORKER = env_bool("READYZ_REQUIRE_WORKER", False)

# --- Search: database backend by default, Elasticsearch when configured -----------------------
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL")
SEARCH_BACKENDS = {
    "default": {
        "BACKEND": "archive.search.elasticsearch.ElasticsearchBackend"
        if ELASTICSEARCH_URL
        else "archive.search.database.DatabaseSearchBackend",
        "OPTIONS": {"url": ELASTICSEARCH_URL, "index_prefix": env_str("ELASTICSEARCH_INDEX_PREFIX", "memories"),
                    "api_key": env_str("ELASTICSEARCH_API_KEY", "") or None,
                    "ca_certs": env_str("ELASTICSEARCH_CA_CERTS", "") or None,
                    "shards": env_int("ELASTICSEARCH_SHARDS", 1), "replicas": env_int("ELASTICSEARCH_REPLICAS", 0),
                    # Database backend: facet counts of larger result sets come from a sample ("about").
                    "facet_sample": env_int("SEARCH_FACET_SAMPLE", 2_000),
                    # ... and the hits of a very large one are the best of a sample of its matches.
                    "rank_sample": env_int("SEARCH_RANK_SAMPLE", 5_000),
                    # ... and on PostgreSQL no search holds a connection longer than this (0: no limit).
                    "time_limit_ms": env_int("SEARCH_TIME_LIMIT_MS", 3_000)},
    }
}

# --- Caches ---------------------------------------------------------------------------------
# CACHE_URL=redis://host:6379/0 shares rate limits and lockouts across processes and hosts
# (Django's RedisCache; atomic increments). Without it, per-process memory.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://memories")}
# The shared generation token (archive/generation.py), read on every cacheable request, is kept in
# the shared cache too when there is one (a Redis GET instead of a database round trip); never in
# per-process memory, which other processes could not see change.
_SHARED_CACHES = ("RedisCache", "PyMemcacheCache", "PyLibMCCache")
GENERATION_CACHE = env_str("GENERATION_CACHE", "default" if CACHES["default"]["BACKEND"].endswith(_SHARED_CACHES) else "")
# Rendered anonymous public pages (memorial/pagecache.py). Per process is enough: a shared
# database token decides what is current, so no process can serve a page another has outdated.
CACHES["pages"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "memories-pages",
                   "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_MAX_ENTRIES", 1000)}}
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_ALIAS = "pages"
PAGE_CACHE_TIMEOUT = env_int("PAGE_CACHE_TIMEOUT", 600)  # seconds; time boundaries cut it shorter
# A folder where built IIIF manifests and collections are written for nginx to send from disk
# (memorial/document_files.py, deploy/nginx.conf). Every web and worker process and nginx must see
# the same folder; empty: off.
IIIF_DOCUMENT_ROOT = env_str("IIIF_DOCUMENT_ROOT", "")

# Exhibition kiosks (exhibitions/kit/kiosk.py): how often a kiosk re-confirms consent when online,
# after how long without a touch it goes back to its start screen, and how long each picture of
# the attract loop stays. The limit past which an unconfirmed entry is hidden is the curator's,
# per exhibition.
KIOSK_RESYNC_SECONDS = env_int("KIOSK_RESYNC_SECONDS", 120)
KIOSK_IDLE_SECONDS = env_int("KIOSK_IDLE_SECONDS", 90)
KIOSK_ATTRACT_SECONDS = env_int("KIOSK_ATTRACT_SECONDS", 7)

# --- Page sizes: no public or curator document grows with the archive (docs/performance.md) ---
IIIF_COLLECTION_PAGE_SIZE = env_int("IIIF_COLLECTION_PAGE_SIZE", 500)  # manifest refs per page (~90 KB, cold < 100 ms)
CHANGE_DISCOVERY_PAGE_SIZE = env_int("CHANGE_DISCOVERY_PAGE_SIZE", 100)  # activities per page
SITEMAP_PAGE_SIZE = env_int("SITEMAP_PAGE_SIZE", 1000)  # items per sitemap (x6 languages: 6,000 URLs, ~60 ms)
WALL_PAGE_SIZE = env_int("WALL_PAGE_SIZE", 500)  # items whose names one page of the memorial wall shows
CURATOR_PAGE_SIZE = env_int("CURATOR_PAGE_SIZE", 50)  # queue entries and audit events per page

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "memorial.api_tokens.StaffTokenAuthentication",  # two-factor accounts only, expiring
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 20,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Memories API",
    "DESCRIPTION": "Public read, contributor submission and consent management, curator moderation.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The error statuses middleware and DRF add to every operation (429, 503, 403...): documented.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "memorial.security.openapi_error_responses",
    ],
}

# --- Site identity (used in IIIF provider, receipts) ---------------------------------------
# In DEBUG the base follows the server's address (`make run HOST=... PORT=...` exports SITE_URL).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env_str("SITE_NAME", "Memories")

# --- OAI-PMH (/oai/, docs/interoperability.md) ------------------------------------------------
# The repository identifier in oai:<id>:item/<uuid> must be a domain name: SITE_URL's host when it
# is one, else OAI_REPOSITORY_ID (set it in production: identifiers must never change).
_site_host = urlsplit(SITE_URL).hostname or ""
OAI_REPOSITORY_ID = env_str("OAI_REPOSITORY_ID", "") or (
    _site_host if re.fullmatch(r"[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z][a-zA-Z0-9-]*)+", _site_host)
    else "memories.localhost")
OAI_PAGE_SIZE = env_int("OAI_PAGE_SIZE", 100)  # records or headers per list response
OAI_TOKEN_SECONDS = env_int("OAI_TOKEN_SECONDS", 24 * 3600)  # how long a resumption token lasts
# Key for contributor contact details at rest (Fernet). Derived from SECRET_KEY when unset in DEBUG.
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY")
# Key rotation: FIELD_ENCRYPTION_KEYS="newest,older,..." (all read, the first one writes).
FIELD_ENCRYPTION_KEYS = env_str("FIELD_ENCRYPTION_KEYS")
if not DEBUG and not (FIELD_ENCRYPTION_KEY or FIELD_ENCRYPTION_KEYS):
    raise ImproperlyConfigured("Set FIELD_ENCRYPTION_KEY (a Fernet key) when DEBUG is off.")

# The workspace's own sign-in page, in the visitor's language (memorial/accounts.py).
LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "curator:dashboard"
# Staff and curators' sessions end this many seconds after signing in, active or not (memorial/auth.py).
STAFF_SESSION_AGE = env_int("STAFF_SESSION_AGE", 8 * 3600)

# Mail (the contributor's private link, when they give an address): printed to the console in
# development, SMTP in production: EMAIL_URL=smtp+tls://user:password@host:587 (or EMAIL_HOST).
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "memorial.mail.RedactingConsoleEmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
if env_str("EMAIL_URL", ""):
    vars().update({k: v for k, v in env.email_url("EMAIL_URL").items() if v != ""})
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "memories@localhost")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Who gets error mail: ADMINS="Ops <ops@example.org>, other@example.org".
ADMINS = [(name or addr, addr) for name, addr in getaddresses([env_str("ADMINS", "")]) if addr]

# --- Security (production) -------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Probes from the orchestrator speak plain HTTP to the process itself.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    # The proxy must set X-Forwarded-Proto (and drop a client's own); gunicorn needs
    # --forwarded-allow-ips for the proxy's address (README "Serving in production").
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# CSP and Permissions-Policy come from memorial/security.py (DEFAULT_CSP). The public media origin
# (MEDIA_PUBLIC_URL, or the public bucket's own address) is added by itself; other origins:
# CSP_EXTRA_MEDIA_ORIGINS=https://cdn.example.org
CSP_EXTRA_MEDIA_ORIGINS = env_list("CSP_EXTRA_MEDIA_ORIGINS", [])
CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", False)
# IIIF documents, tiles and public media are embedded by other institutions' viewers.
CROSS_ORIGIN_RESOURCE_PREFIXES = ["/iiif/", MEDIA_PUBLIC_URL, STATIC_URL]

# Rate limits (memorial/ratelimit.py): per client address and per management token. Counters
# live in the cache; with several server processes use a shared cache (CACHES) for exact counts.
RATE_LIMIT_ENABLED = env_bool("RATE_LIMIT_ENABLED", True)
RATE_LIMIT_TRUSTED_PROXIES = env_int("RATE_LIMIT_TRUSTED_PROXIES", 0)  # proxies in front (X-Forwarded-For)
RATE_LIMITS = {
    # Submissions (the API, and the web journey's final step) per address; the journey's other steps
    # (text, files, choices: one person posts several) get a looser cap against upload floods.
    "contribution": {
        "pattern": [r"^/api/contributions/?$", r"^/[\w-]+/contribute/review/"],
        "methods": ["POST"],
        "per_ip": env_str("RATE_LIMIT_CONTRIBUTION", "20/h"),
    },
    "contribution_steps": {
        "pattern": r"^/[\w-]+/contribute/",
        "methods": ["POST"],
        "per_ip": env_str("RATE_LIMIT_CONTRIBUTION_STEPS", "200/h"),
    },
    "consent_token": {
        "pattern": [r"^/api/consent/(?P<token>[^/]+)/", r"^/[\w-]+/(?:manage|receipt)/(?P<token>[^/]+)/"],
        "per_ip": env_str("RATE_LIMIT_CONSENT_IP", "60/10m"),
        "per_token": env_str("RATE_LIMIT_CONSENT_TOKEN", "30/10m"),
    },
    # Kiosks sync every KIOSK_RESYNC_SECONDS without a cookie; a room may hold many behind one address.
    "kiosk_sync": {
        "pattern": r"^/[\w-]+/kiosk/[\w-]+/sync$",
        "methods": ["POST"],
        "per_ip": env_str("RATE_LIMIT_KIOSK_SYNC", "1200/h"),
    },
    "login": {
        "pattern": r"^/admin/login/|^/[\w-]+/account/sign-in/|^/[\w-]+/curator/login/|^/[\w-]+/curator/research/sign-in/|^/account/two-factor/|^/api/auth/",
        "methods": ["POST"],
        "per_ip": env_str("RATE_LIMIT_LOGIN", "20/10m"),
    },
}
# Lockout after repeated failed sign-ins (memorial/auth.py), per username.
LOGIN_LOCKOUT = {"attempts": env_int("LOGIN_LOCKOUT_ATTEMPTS", 5), "window": 15 * 60, "lockout": 15 * 60}
AUTHENTICATION_BACKENDS = ["memorial.auth.LockoutModelBackend"]
# Two-factor (TOTP, django-otp): required for staff and curators when DEBUG is off.
OTP_REQUIRED_FOR_STAFF = env_bool("OTP_REQUIRED_FOR_STAFF", not DEBUG)
OTP_TOTP_ISSUER = SITE_NAME

# Console logs through the redaction filter, with time, level, logger and request id;
# LOG_FORMAT=json for one JSON object per line (memorial/logging.py).
LOGGING = logging_config(env_str("LOG_FORMAT", "text"), env_str("LOG_LEVEL", "INFO"))

# Staff API tokens (memorial/api_tokens.py): only for accounts with two-factor, and they expire.
API_TOKEN_MAX_AGE_DAYS = env_int("API_TOKEN_MAX_AGE_DAYS", 30)
# /metrics (Prometheus): a staff session, loopback, or "Authorization: Bearer <METRICS_TOKEN>".
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
