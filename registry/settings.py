"""Settings from the environment (12-factor), one block per concern.

Without DATABASE_URL the registry runs on an SQLite file in the project folder, and without a broker URL
Celery runs tasks eagerly in-process: the embedded default that needs no server. Only that embedded
default gets a development SECRET_KEY; anything pointed at real services must provide its own.

Blocks: environment · core and security · apps, middleware, templates · database · outages · cache ·
people and language · static files · Celery · outbox relay · validation · REST API and its documentation ·
public browser · admin · seeds and imports · logging · operations (health, metrics, request ids).
"""

from pathlib import Path
import os

import dj_database_url

from registry.replicas import replica_databases

BASE_DIR = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------------------------------------- environment


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATABASE_URL = os.environ.get("DATABASE_URL", "")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or ""
EMBEDDED = not DATABASE_URL and not CELERY_BROKER_URL


# ---------------------------------------------------------------------------------------------- core, security

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    # pytest sets PYTEST_VERSION: a test run gets the development key too, never a deployment.
    if EMBEDDED or DEBUG or env_bool("PACTA_TESTING") or os.environ.get("PYTEST_VERSION"):
        SECRET_KEY = "pacta-embedded-development-key-not-for-production"
    else:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DATABASE_URL or a broker URL is set.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG and not EMBEDDED:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024


# ---------------------------------------------------------------------------------------------- apps, middleware

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "simple_history",
    "registry.eventstore",
    "registry.outbox",
    "sources",
    "agreements",
    "django.contrib.sitemaps",  # the browser's sitemap.xml
    "django.contrib.postgres",  # full-text search (used on PostgreSQL only)
    "drf_spectacular_sidecar",  # Swagger UI and Redoc assets, no CDN needed
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "registry.input_guard.RefuseUnstorableInput",
    # An anonymous conditional GET the API answered before, with nothing written since: its 304 at the door.
    "registry.revalidation.RevalidationMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface's language: the reader's choice (cookie, set by /i18n/setlang/), else the browser's
    # Accept-Language; `?hl=` for one page (registry/languages.py). Never part of an address.
    "django.middleware.locale.LocaleMiddleware",
    "registry.languages.LanguageOfThisPage",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "registry.statement_timeout.StatementTimeoutMiddleware",
    "registry.replicas.ReplicaReadsMiddleware",
]

ROOT_URLCONF = "registry.urls"
# Where a login lands when its `next` is missing or unsafe (another host, a scheme): the admin's index, not
# Django's default /accounts/profile/, which this site does not have (a 404).
LOGIN_REDIRECT_URL = "admin:index"
LOGIN_URL = "admin:login"
WSGI_APPLICATION = "registry.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "registry.replicas.position_context",
                "django.template.context_processors.i18n",
                "registry.languages.language_context",
            ],
        },
    },
]


# ---------------------------------------------------------------------------------------------- database

if DATABASE_URL:
    # Persistent connections are checked before a request reuses them (CONN_HEALTH_CHECKS): after PostgreSQL
    # restarts, a worker reconnects instead of failing its first request on the dead connection.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("PACTA_SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
# Tests on a shared PostgreSQL server can run side by side with distinct test database names.
if os.environ.get("PACTA_TEST_DB_NAME"):
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ["PACTA_TEST_DB_NAME"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The public's reads on PostgreSQL streaming replicas (registry/replicas.py), comma-separated URLs.
DATABASES.update(replica_databases(env_list("DATABASE_REPLICA_URLS")))
DATABASE_ROUTERS = ["registry.replicas.ReplicaRouter"]
# Session settings every PostgreSQL connection starts with (libpq's `options`, sent as it connects: no round
# trip). JIT compilation is off: PostgreSQL compiles a query whose estimated cost passes jit_above_cost, and
# estimates grow with the corpus while the registry's reads stay short. At a million agreements it compiled the
# index reads behind a search for a word in no text (0.08 ms of execution, 9.6 ms of compiling) and added 8-24 ms
# to the home page, the search and the timeline read after an emptied cache, while the corpus summary, a count
# over every row, took 2.6 s with it or without (measured on bench.scale's million). Behind a pooler that refuses
# the `options` parameter (PgBouncer without `ignore_startup_parameters = options`), set this to "" and turn JIT
# off in the database instead: `ALTER DATABASE pacta SET jit = off`.
PACTA_DATABASE_SESSION_OPTIONS = os.environ.get("PACTA_DATABASE_SESSION_OPTIONS", "-c jit=off").strip()
for _database in DATABASES.values():
    if "postgresql" in _database["ENGINE"] and PACTA_DATABASE_SESSION_OPTIONS:
        _options = _database.setdefault("OPTIONS", {})
        _options["options"] = " ".join(filter(None, [_options.get("options", ""), PACTA_DATABASE_SESSION_OPTIONS]))


# ---------------------------------------------------------------------------------------------- outages

# An outage (database or Redis down or busy) answers 503 with this Retry-After (registry/outage.py).
PACTA_RETRY_AFTER_SECONDS = int(os.environ.get("PACTA_RETRY_AFTER_SECONDS", "30"))
# A write arriving during `rebuild_projections` waits this long, then is refused with a 503.
PACTA_REBUILD_WAIT_SECONDS = float(os.environ.get("PACTA_REBUILD_WAIT_SECONDS", "10"))
# Every web request bounded in time (registry/statement_timeout.py), answered 503; 0 switches a limit off.
PACTA_ANON_STATEMENT_TIMEOUT_MS = int(os.environ.get("PACTA_ANON_STATEMENT_TIMEOUT_MS", "3000"))
PACTA_STAFF_STATEMENT_TIMEOUT_MS = int(os.environ.get("PACTA_STAFF_STATEMENT_TIMEOUT_MS", "30000"))
PACTA_TIMEOUT_RETRY_AFTER = int(os.environ.get("PACTA_TIMEOUT_RETRY_AFTER", "30"))


# ---------------------------------------------------------------------------------------------- cache

# The cache (DRF's anonymous throttle counts live in it): with a Redis URL configured it is Redis, shared by
# every gunicorn worker and machine, so the documented rate is the rate; else each process has its own.
REDIS_CACHE_URL = os.environ.get("PACTA_CACHE_URL") or os.environ.get("REDIS_URL") or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else "")
if REDIS_CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "registry.redis_cache.RedisCache",  # one Redis client per pool (registry/redis_cache.py)
            "LOCATION": REDIS_CACHE_URL,
            "KEY_PREFIX": os.environ.get("PACTA_CACHE_KEY_PREFIX", "pacta"),
            # A Redis that does not answer must not hold a request: fail fast (the throttle then lets it pass).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


# ---------------------------------------------------------------------------------------------- people, language

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LANGUAGE_CODE = "en"
# The interface's languages (issue 22): the registry's readers write these. Azerbaijani in Latin script.
LANGUAGES = [("en", "English"), ("tr", "Türkçe"), ("az", "Azərbaycanca"), ("ru", "Русский")]
# One catalogue for the whole project (the registry and reference data write to it too): `make messages`.
LOCALE_PATHS = [BASE_DIR / "agreements" / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True


# ---------------------------------------------------------------------------------------------- static files

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# WhiteNoise serves static files with DEBUG off too; from the apps' folders unless collectstatic was run.
WHITENOISE_USE_FINDERS = True
try:
    STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request when collectstatic has not run yet
except OSError:  # a read-only code folder (the image runs as an unprivileged user; collectstatic ran at build)
    pass


# ---------------------------------------------------------------------------------------------- Celery

# Eager in-process without a broker (the embedded default).
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("PACTA_CELERY_QUEUE", "pacta")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A crashed worker's job is delivered again after this many seconds (Redis visibility timeout).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("PACTA_BROKER_VISIBILITY_TIMEOUT", "300")),
}
# Beat runs the periodic relay (jobs left unsent while the broker was down) and the full validation sweep.
PACTA_RELAY_INTERVAL = float(os.environ.get("PACTA_RELAY_INTERVAL", "30"))
PACTA_SWEEP_INTERVAL = float(os.environ.get("PACTA_SWEEP_INTERVAL", str(24 * 3600)))
CELERY_BEAT_SCHEDULE = {
    "outbox-relay": {"task": "pacta.outbox.relay", "schedule": PACTA_RELAY_INTERVAL},
    "validation-sweep": {"task": "pacta.validation.sweep", "schedule": PACTA_SWEEP_INTERVAL},
    "idempotency-key-purge": {"task": "pacta.idempotency.purge", "schedule": 3600.0},
}


# ---------------------------------------------------------------------------------------------- outbox relay

# The relay's send never waits long on a broker that is down (see registry/outbox/outbox.py).
PACTA_OUTBOX_CONNECT_TIMEOUT = float(os.environ.get("PACTA_OUTBOX_CONNECT_TIMEOUT", "1"))
PACTA_OUTBOX_SOCKET_TIMEOUT = float(os.environ.get("PACTA_OUTBOX_SOCKET_TIMEOUT", "2"))
PACTA_OUTBOX_BREAKER_SECONDS = float(os.environ.get("PACTA_OUTBOX_BREAKER_SECONDS", "5"))
PACTA_OUTBOX_BACKLOG_PER_COMMIT = int(os.environ.get("PACTA_OUTBOX_BACKLOG_PER_COMMIT", "100"))
PACTA_OUTBOX_RETENTION_DAYS = float(os.environ.get("PACTA_OUTBOX_RETENTION_DAYS", "7"))


# ---------------------------------------------------------------------------------------------- validation

PACTA_VALIDATION_RUN_RETENTION_DAYS = float(os.environ.get("PACTA_VALIDATION_RUN_RETENTION_DAYS", "30"))
# Source URL checks are opt-in: they need the internet, which CI and many installs do not have.
PACTA_CHECK_URLS = env_bool("PACTA_CHECK_URLS", False)
PACTA_URL_CONNECT_TIMEOUT = float(os.environ.get("PACTA_URL_CONNECT_TIMEOUT", "5"))
PACTA_URL_READ_TIMEOUT = float(os.environ.get("PACTA_URL_READ_TIMEOUT", "10"))
PACTA_URL_MAX_REDIRECTS = int(os.environ.get("PACTA_URL_MAX_REDIRECTS", "5"))
# Test-only: every validation job sleeps this long after starting (to kill a worker while it holds one).
PACTA_VALIDATION_TEST_DELAY = float(os.environ.get("PACTA_VALIDATION_TEST_DELAY", "0"))


# ---------------------------------------------------------------------------------------------- REST API, docs

# Anonymous callers are throttled (DRF rate syntax, e.g. "120/minute"; empty disables); logged-in callers are not.
PACTA_API_ANON_RATE = os.environ.get("PACTA_API_ANON_RATE", "120/minute")
# The HTML error page (400, 403, 404, 500, 503) of registry/error_views.py: a function (request, *, status, heading,
# message) -> response. The project's door knows no app; the public browser draws it.
PACTA_ERROR_PAGE = "agreements.browser.pages.error_page"
PACTA_API_CACHE_SECONDS = int(os.environ.get("PACTA_API_CACHE_SECONDS", "60"))
# How long a process trusts the read generation it last read before asking the cache again (registry/generation.py).
PACTA_READ_GENERATION_SECONDS = float(os.environ.get("PACTA_READ_GENERATION_SECONDS", "1"))
# How many reverse proxies in front of the app append to X-Forwarded-For. 0 (the default): the header is ignored
# and a caller is its connection's address, so a client cannot pick a new identity per request by sending the
# header. N: the N-th address from the right is the caller's (what the N trusted proxies saw).
PACTA_NUM_PROXIES = int(os.environ.get("PACTA_NUM_PROXIES", "0"))
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "agreements.api.authentication.TokenAuthentication",
        "agreements.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_RATES": {"anon": PACTA_API_ANON_RATE or None},
    "URL_FORMAT_OVERRIDE": "format",
    "NUM_PROXIES": PACTA_NUM_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Pacta API",
    "DESCRIPTION": "An event-sourced registry of treaties and agreements.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "OAS_VERSION": "3.1.0",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "agreements.api.schema.postprocess"],
}
# Idempotency-Key: a key answers its first response again for this many hours, then is purged (Celery beat).
PACTA_IDEMPOTENCY_KEY_HOURS = float(os.environ.get("PACTA_IDEMPOTENCY_KEY_HOURS", "24"))


# ---------------------------------------------------------------------------------------------- public browser

PACTA_CSP = os.environ.get(
    "PACTA_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
)
PACTA_CSP_EXEMPT_PREFIXES = ("/admin/", "/api/")
# Sitemaps: at most this many addresses each (sitemaps.org allows 50,000), cached whole for this long.
PACTA_SITEMAP_SIZE = int(os.environ.get("PACTA_SITEMAP_SIZE", "10000"))
PACTA_SITEMAP_CACHE_SECONDS = int(os.environ.get("PACTA_SITEMAP_CACHE_SECONDS", "3600"))
# Counts over the whole corpus (home page, timeline) are computed at most this often while it changes.
PACTA_SUMMARY_MAX_AGE = float(os.environ.get("PACTA_SUMMARY_MAX_AGE", "60"))


# ---------------------------------------------------------------------------------------------- admin

# The agreement change form sends about ten fields per clause row (a page of 60 clauses plus up to 200 new
# clause rows); Django's default of 1000 fields would refuse such a save with a 400.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000


# ---------------------------------------------------------------------------------------------- seeds, imports

# The shared source texts the seed citations quote; read at load time, never copied into the project.
PACTA_SOURCE_TEXTS = Path(os.environ.get("PACTA_SOURCE_TEXTS", BASE_DIR.parent / "shared" / "sources"))
# `import_agreements` and the seed loader read YAML files of at most this size (and never YAML aliases).
PACTA_IMPORT_MAX_BYTES = int(os.environ.get("PACTA_IMPORT_MAX_BYTES", str(2 * 1024 * 1024)))
# Akoma Ntoso files: the largest `import_akn` reads, and the largest an admin upload takes (an upload is imported
# within the request: past a few MB it would outlast the web server's worker timeout; use import_akn instead).
PACTA_AKN_MAX_BYTES = int(os.environ.get("PACTA_AKN_MAX_BYTES", str(64 * 1024 * 1024)))
PACTA_AKN_UPLOAD_MAX_BYTES = int(os.environ.get("PACTA_AKN_UPLOAD_MAX_BYTES", str(4 * 1024 * 1024)))
# Clauses an agreement's API detail and public page show whole; past it they are paged by as many.
PACTA_CLAUSES_INLINE = int(os.environ.get("PACTA_CLAUSES_INLINE", "1000"))


# ---------------------------------------------------------------------------------------------- transparency log
# The signed checkpoints of the RFC 6962 tree over the events (registry/eventstore/checkpoints.py, docs/log.md).
# The log's identity (the checkpoint's first line) and its signing key: the key line itself, or a file holding
# it (`manage.py make_log_key` makes one), never a file of the repository. With neither, the embedded default
# (no DATABASE_URL) and the tests generate a key into PACTA_LOG_DEFAULT_KEY_FILE, outside the repository.
PACTA_LOG_ORIGIN = os.environ.get("PACTA_LOG_ORIGIN", "")  # default: the signing key's name
PACTA_LOG_SIGNING_KEY = os.environ.get("PACTA_LOG_SIGNING_KEY", "")
PACTA_LOG_SIGNING_KEY_FILE = os.environ.get("PACTA_LOG_SIGNING_KEY_FILE", "")
PACTA_LOG_DEFAULT_KEY_FILE = Path(os.environ.get(
    "PACTA_LOG_DEFAULT_KEY_FILE",
    Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "pacta" / "log-signing.key"))
PACTA_LOG_GENERATE_KEY = env_bool("PACTA_LOG_GENERATE_KEY", not DATABASE_URL or env_bool("PACTA_TESTING")
                                  or bool(os.environ.get("PYTEST_VERSION")))
# A new checkpoint is signed at most this often (seconds) while the log grows, when one is read.
PACTA_LOG_CHECKPOINT_INTERVAL = float(os.environ.get("PACTA_LOG_CHECKPOINT_INTERVAL", "5"))
# The witnesses whose cosignatures this log accepts and publishes: their verifier key lines (type 0x04).
PACTA_LOG_WITNESSES = env_list("PACTA_LOG_WITNESSES")
# When this instance follows another as a witness (`follow --witness`): its own cosigning key.
PACTA_WITNESS_SIGNING_KEY = os.environ.get("PACTA_WITNESS_SIGNING_KEY", "")
PACTA_WITNESS_SIGNING_KEY_FILE = os.environ.get("PACTA_WITNESS_SIGNING_KEY_FILE", "")


# ---------------------------------------------------------------------------------------------- logging

# JSON lines with the request id, scrubbed of secrets (registry/ops/logs.py); `text` for people at a terminal.
PACTA_LOG_FORMAT = os.environ.get("PACTA_LOG_FORMAT", "text" if EMBEDDED or DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "registry.ops.request_id.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "registry.ops.logs.JsonFormatter"},
        "text": {"()": "registry.ops.logs.TextFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": "json" if PACTA_LOG_FORMAT == "json" else "text"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PACTA_LOG_LEVEL", "WARNING")},
    # One line per request (method, route, status, duration): PACTA_ACCESS_LOG=0 turns it off.
    "loggers": {"pacta.access": {"level": "INFO" if env_bool("PACTA_ACCESS_LOG", not EMBEDDED) else "WARNING"}},
}
# A worker's lines go through LOGGING too (JSON, with the job's request id) instead of Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = PACTA_LOG_FORMAT != "json"


# ---------------------------------------------------------------------------------------------- operations

# Health, readiness, request ids, metrics (registry/ops, docs/operations.md). Kept in one block of its own.
INSTALLED_APPS += ["registry.ops"]
# The request id first (every answer carries it, even a refusal), the access log right after it.
MIDDLEWARE = ["registry.ops.request_id.RequestIdMiddleware", "registry.ops.request_metrics.MetricsMiddleware",
              "registry.ops.logs.AccessLogMiddleware", *MIDDLEWARE]
# Readiness (/readyz) is computed at most once per this many seconds per process.
PACTA_READY_CACHE_SECONDS = float(os.environ.get("PACTA_READY_CACHE_SECONDS", "1"))
# Bounds of readiness, in seconds (0: reported, never gating): the oldest job still waiting for the broker,
# the oldest validation job handed to the broker and not finished, a read-only copy's time since it last
# caught up with its primary.
PACTA_READY_OUTBOX_MAX_AGE = float(os.environ.get("PACTA_READY_OUTBOX_MAX_AGE", "600"))
PACTA_READY_VALIDATION_MAX_AGE = float(os.environ.get("PACTA_READY_VALIDATION_MAX_AGE", "900"))
PACTA_READY_COPY_MAX_LAG = float(os.environ.get("PACTA_READY_COPY_MAX_LAG", "300"))
# /metrics answers only when this is set, and only to `Authorization: Bearer <PACTA_METRICS_TOKEN>` (else 404).
# Under gunicorn and Celery, PROMETHEUS_MULTIPROC_DIR (an empty folder shared by a host's processes) adds up
# every process's counts (registry/ops/metrics.py).
PACTA_METRICS_TOKEN = os.environ.get("PACTA_METRICS_TOKEN", "")
# Dead letters (registry/ops/jobs.py): readiness fails once this many jobs wait in the table (0: never).
PACTA_READY_MAX_DEAD_LETTERS = int(os.environ.get("PACTA_READY_MAX_DEAD_LETTERS", "100"))
# Time limits on every Celery task, in seconds (soft: the task is told and may clean up; hard: its process is
# killed; 0: none). Keep the hard limit below PACTA_BROKER_VISIBILITY_TIMEOUT, or Redis hands a job that is
# still running to a second worker. The full sweep has a pair of its own.
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("PACTA_TASK_SOFT_TIME_LIMIT", "240")) or None
CELERY_TASK_TIME_LIMIT = int(os.environ.get("PACTA_TASK_TIME_LIMIT", "270")) or None
CELERY_TASK_ANNOTATIONS = {
    "pacta.validation.sweep": {
        "soft_time_limit": int(os.environ.get("PACTA_SWEEP_SOFT_TIME_LIMIT", "3300")) or None,
        "time_limit": int(os.environ.get("PACTA_SWEEP_TIME_LIMIT", "3600")) or None,
    },
}
# Beat saves its schedule after every job it sends: the file's age is beat's healthcheck (registry/ops/probe.py).
CELERY_BEAT_SYNC_EVERY = 1
