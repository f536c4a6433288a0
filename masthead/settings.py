"""Masthead's one settings module, driven by environment variables.

Every variable is read through ``masthead.env`` and documented in README.md. Defaults are
safe for a single machine (SQLite, a server-less job broker, console email); production
sets DATABASE_URL, MASTHEAD_BROKER_URL, MASTHEAD_CACHE_URL, EMAIL_HOST and MASTHEAD_HTTPS.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from django.utils.csp import CSP

from masthead.env import env_bool, env_bytes, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MASTHEAD_VAR_DIR", str(BASE_DIR / "var")))

# --- Core -------------------------------------------------------------------------------
DEBUG = env_bool("MASTHEAD_DEBUG", False)
SECRET_KEY = env_secret("MASTHEAD_SECRET_KEY", debug=DEBUG, dev_value="insecure-dev-only-key")
ALLOWED_HOSTS = env_list("MASTHEAD_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
SITE_URL = env_str("MASTHEAD_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env_str("MASTHEAD_SITE_NAME", "Masthead")
SITE_DESCRIPTION = env_str(
    "MASTHEAD_SITE_DESCRIPTION", "AI, tech and marketing, explained by people who build them."
)
HTTPS = env_bool("MASTHEAD_HTTPS", False)
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "masthead.core",
    "masthead.blog",
    "masthead.members",
    "masthead.newsletter",
    "masthead.tools",
    "masthead.exchange",
    "masthead.newsroom",
    "masthead.comments",
]

MIDDLEWARE = [
    "masthead.core.middleware.SiteHeadersMiddleware",  # first: sees every response
    "masthead.core.compression.CompressionMiddleware",  # compresses the final body (0024)
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Above CsrfViewMiddleware: its process_view checks an upload's size before the CSRF
    # check reads the body (ADR 0404).
    "masthead.tools.middleware.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "masthead.core.middleware.StoreUnavailableMiddleware",  # before the sign-in guard
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "masthead.members.middleware.AuthPagesMiddleware",
    "masthead.members.middleware.StaffTwoFactorMiddleware",
    # Old addresses of an imported site answer 301 (only WordPress queries and 404s look).
    "masthead.exchange.middleware.PathRedirectMiddleware",
]

ROOT_URLCONF = "masthead.urls"
WSGI_APPLICATION = "masthead.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "masthead" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "masthead.core.context_processors.site",
            ],
        },
    }
]

# --- Database ---------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'masthead.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
# The ASGI web process (masthead.asgi) serves requests on this many long-lived threads:
# more lets requests that wait (a locked database, a slow mail server) overlap (0037).
WEB_THREADS = env_int("MASTHEAD_WEB_THREADS", 4)
_WEB_PROCESS = env_bool("MASTHEAD_WEB_PROCESS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL, immediate transactions and a busy timeout let web and worker write at once.
    # The web process's request threads keep their connection (opening one, with its
    # pragmas, cost as much as a cached page); other processes open one per task.
    DATABASES["default"]["CONN_MAX_AGE"] = 600 if _WEB_PROCESS else 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# Under ASGI (masthead.asgi, the Procfile's web) Django runs each request in a thread of its
# own: a persistent connection per thread would outlive its request, and they piled up past
# PostgreSQL's max_connections. Those processes share a pool of this many connections each
# instead; 0 (other processes: Celery, manage.py) keeps persistent connections (0037).
MASTHEAD_DB_POOL_SIZE = env_int("MASTHEAD_DB_POOL_SIZE", 0)
if MASTHEAD_DB_POOL_SIZE and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": MASTHEAD_DB_POOL_SIZE,
        "timeout": 10,  # waiting longer for a connection only queues more requests
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits, page cache) ----------------------------------------------------
# Two stores with their own eviction (ADR 0022): "default" holds what must not be lost to
# traffic (rate-limit counters, locks, the page-cache version), "pages" holds cached pages
# and nothing else, so filling it can never evict a counter.
CACHE_URL = env_str("MASTHEAD_CACHE_URL", "")
PAGE_CACHE_URL = env_str("MASTHEAD_PAGE_CACHE_URL", "")
# Short socket timeouts: a cache that hangs must fail fast (pages then go uncached).
_REDIS_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2}
if CACHE_URL.startswith("redis"):
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": _REDIS_OPTIONS,
        }
    }
else:
    # The database cache is shared by every process, so rate limits add up across them.
    # Its cull (a third of the rows once MAX_ENTRIES is passed) only ever meets counters.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "masthead_cache",
            "OPTIONS": {"MAX_ENTRIES": env_int("MASTHEAD_CACHE_MAX_ENTRIES", 200_000)},
        }
    }
PAGE_CACHE_SECONDS = env_int("MASTHEAD_PAGE_CACHE_SECONDS", 60)
# Pieces of pages that are the same for every reader (a post's article, its related posts),
# kept until the next content change or this long; 0 renders them every time (ADR 0025).
FRAGMENT_CACHE_SECONDS = env_int("MASTHEAD_FRAGMENT_CACHE_SECONDS", 3600)
# The page store is bounded by size: at most PAGE_CACHE_ENTRIES pages of at most
# PAGE_CACHE_ENTRY_BYTES each (bigger pages are served, never stored), and each process's
# own copies by PAGE_CACHE_LOCAL_BYTES.
PAGE_CACHE_ENTRIES = env_int("MASTHEAD_PAGE_CACHE_ENTRIES", 2000)
PAGE_CACHE_ENTRY_BYTES = env_bytes("MASTHEAD_PAGE_CACHE_ENTRY_BYTES", 128_000)
PAGE_CACHE_LOCAL_BYTES = env_bytes("MASTHEAD_PAGE_CACHE_LOCAL_BYTES", 16_000_000)
if PAGE_CACHE_URL.startswith("redis"):
    # A Redis of its own (maxmemory + allkeys-lru): a database number of the counters'
    # Redis would share its memory limit and eviction (docs/operations.md).
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": PAGE_CACHE_URL,
        "OPTIONS": _REDIS_OPTIONS,
    }
else:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "masthead_page_cache",
        "OPTIONS": {"MAX_ENTRIES": PAGE_CACHE_ENTRIES, "CULL_FREQUENCY": 4},
    }

# --- Auth -------------------------------------------------------------------------------
# allauth's backend extends ModelBackend (permissions) and signs in by email; keeping
# ModelBackend too would hash every failed sign-in twice.
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# --- Accounts (members app; django-allauth) ----------------------------------------------
# Argon2 first; PBKDF2 stays for old hashes and is upgraded on the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
ACCOUNT_ADAPTER = "masthead.members.adapter.MembersAccountAdapter"
ACCOUNT_FORMS = {"signup": "masthead.members.forms.SignupForm"}  # same work for taken emails
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1"]  # password optional: codes work without
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_TIMEOUT = 600  # decision 1: at most 10 minutes
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # a GET never consumes anything
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 600
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_TIMEOUT = 600
ACCOUNT_PASSWORD_RESET_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True  # notices to the old address on email/password change
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False  # the changing session stays; the others end
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",  # decision 6: account and IP, time windows
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "request_login_code": "20/m/ip,3/m/key,5/h/key",  # A10: at most 5 code mails/h
    "reset_password": "20/m/ip,5/m/key,5/h/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/10s/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
# Read by masthead.core.clientip.client_ip, which every limit uses (allauth's through the
# adapter); allauth's own setting is kept equal for any code of its that reads it directly.
MASTHEAD_TRUSTED_PROXY_COUNT = env_int("MASTHEAD_TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = MASTHEAD_TRUSTED_PROXY_COUNT
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# A code typed as its 30-second step runs out is still taken: one step either side, as
# RFC 6238 advises for the delay between phone and server; allauth refuses a code used twice.
MFA_TOTP_TOLERANCE = 1
# Logo, icon and default social image set in the newsroom (masthead/core/brand_images.py).
MASTHEAD_BRAND_IMAGE_MAX_BYTES = env_bytes("MASTHEAD_BRAND_IMAGE_MAX_BYTES", 5_000_000)
# How long an emailed staff invitation can be used (masthead/members/invitations.py).
MASTHEAD_INVITATION_HOURS = env_int("MASTHEAD_INVITATION_HOURS", 72)
MASTHEAD_AVATAR_MAX_BYTES = env_bytes("MASTHEAD_AVATAR_MAX_BYTES", 2_000_000)
MASTHEAD_STAFF_SESSION_AGE = env_int("MASTHEAD_STAFF_SESSION_AGE", 60 * 60 * 12)

# --- Blog ------------------------------------------------------------------------------
# Post bodies are rendered inside the request that saves or previews them (decision 0106).
MASTHEAD_POST_MAX_BYTES = env_bytes("MASTHEAD_POST_MAX_BYTES", 1_000_000)
MASTHEAD_POST_RENDER_SECONDS = env_int("MASTHEAD_POST_RENDER_SECONDS", 5)
# Images placed in a post body: bytes and pixels checked before decoding (as OCR uploads).
MASTHEAD_BODY_IMAGE_MAX_BYTES = env_bytes("MASTHEAD_BODY_IMAGE_MAX_BYTES", 10_000_000)
MASTHEAD_BODY_IMAGE_MAX_PIXELS = env_int("MASTHEAD_BODY_IMAGE_MAX_PIXELS", 40_000_000)
MASTHEAD_PREVIEW_LINK_DAYS = env_int("MASTHEAD_PREVIEW_LINK_DAYS", 7)

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = env_str("MASTHEAD_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "masthead" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MASTHEAD_MEDIA_ROOT", str(VAR_DIR / "media")))
FILE_UPLOAD_TEMP_DIR = env_str("MASTHEAD_UPLOAD_TEMP_DIR", "") or None
# OCR uploads and page previews are private: outside MEDIA_ROOT, which /media/ serves.
MASTHEAD_OCR_FILES_ROOT = Path(env_str("MASTHEAD_OCR_FILES_ROOT", str(VAR_DIR / "ocr-files")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "ocr": {"BACKEND": "masthead.tools.storage.OcrFileStorage"},
    "exchange": {"BACKEND": "masthead.exchange.storage.ExchangeFileStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_NUMBER_FILES = 10
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# --- Email ------------------------------------------------------------------------------
# The variables keep Django's classic names (EMAIL_HOST, ...); Django 6.1 takes them through
# MAILERS, its replacement for the deprecated EMAIL_* settings.
_EMAIL_HOST = env_str("EMAIL_HOST", "")
_SMTP_OPTIONS = {
    "host": _EMAIL_HOST,
    "port": env_int("EMAIL_PORT", 25),
    "username": env_str("EMAIL_HOST_USER", ""),
    "password": env_str("EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("EMAIL_USE_TLS", False),
    "timeout": env_int("EMAIL_TIMEOUT", 20),
}
MAILERS = {
    "default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": _SMTP_OPTIONS}
    if _EMAIL_HOST
    else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security headers -------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    # Video embeds start only when a reader presses play (masthead/blog/markdown.py).
    "frame-src": [CSP.SELF, "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_ENGINE = "masthead.core.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("MASTHEAD_SESSION_AGE", 60 * 60 * 24 * 30)
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("MASTHEAD_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("MASTHEAD_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("MASTHEAD_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    CSRF_TRUSTED_ORIGINS = [SITE_URL]
if env_bool("MASTHEAD_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Jobs (Celery) ----------------------------------------------------------------------
CELERY_BROKER_URL = env_str("MASTHEAD_BROKER_URL", f"sqla+sqlite:///{VAR_DIR / 'broker.sqlite3'}")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("MASTHEAD_TASK_SOFT_TIME_LIMIT", 300)
CELERY_TASK_TIME_LIMIT = env_int("MASTHEAD_TASK_TIME_LIMIT", 360)
MASTHEAD_BROKER_IS_REDIS = CELERY_BROKER_URL.startswith(("redis://", "rediss://"))
# Redis needs a visibility timeout longer than the longest task and short socket timeouts
# (a down broker must not hang a request); the SQLAlchemy transport passes its options to
# create_engine(), which rejects them.
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = (
    {"visibility_timeout": 3600, "socket_connect_timeout": 1, "socket_timeout": 5}
    if MASTHEAD_BROKER_IS_REDIS
    else {}
)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env_bool("MASTHEAD_TASKS_EAGER", False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "sessions-delete-expired": {
        "task": "masthead.core.tasks.sessions_delete_expired",
        "schedule": crontab(minute=23),
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- OCR --------------------------------------------------------------------------------
MASTHEAD_OCR_MAX_BYTES = env_bytes("MASTHEAD_OCR_MAX_BYTES", 20_000_000)
MASTHEAD_OCR_MAX_BYTES_MEMBER = env_bytes("MASTHEAD_OCR_MAX_BYTES_MEMBER", 50_000_000)
MASTHEAD_OCR_MAX_PAGES = env_int("MASTHEAD_OCR_MAX_PAGES", 20)
MASTHEAD_OCR_MAX_PAGES_MEMBER = env_int("MASTHEAD_OCR_MAX_PAGES_MEMBER", 100)
MASTHEAD_OCR_MAX_PIXELS = env_int("MASTHEAD_OCR_MAX_PIXELS", 40_000_000)
MASTHEAD_OCR_THREADS = env_int("MASTHEAD_OCR_THREADS", 1)
# A process that has read no page for this long gives its engine's models back (ADR 0041).
MASTHEAD_OCR_RELEASE_SECONDS = env_int("MASTHEAD_OCR_RELEASE_SECONDS", 60)
MASTHEAD_OCR_RETENTION_DAYS = env_int("MASTHEAD_OCR_RETENTION_DAYS", 30)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Tools (OCR page, JSON API, jobs) ----------------------------------------------------
# Read only by masthead/tools/services.py. See README "Settings" and docs/operations.md.
INSTALLED_APPS.append("ninja")  # /api/docs from local static files, not a CDN (CSP, privacy)
MASTHEAD_OCR_ENGINE = env_str("MASTHEAD_OCR_ENGINE", "auto")
MASTHEAD_OCR_ENGINE_FACTORY = env_str("MASTHEAD_OCR_ENGINE_FACTORY", "")
MASTHEAD_OCR_SYNC_MAX_BYTES = env_bytes("MASTHEAD_OCR_SYNC_MAX_BYTES", 512_000)
MASTHEAD_OCR_SYNC_SLOTS = env_int("MASTHEAD_OCR_SYNC_SLOTS", 1)  # per web process (ADR 0408)
# CPU threads for a read inside the upload request, where someone waits for it (ADR 0414).
MASTHEAD_OCR_SYNC_THREADS = max(1, env_int("MASTHEAD_OCR_SYNC_THREADS", 1))
MASTHEAD_OCR_QUEUE_CAP = env_int("MASTHEAD_OCR_QUEUE_CAP", 200)
# Files per batch (the page's several files at once, the API's /ocr/batch, one zip); each
# file still counts against the visitor's rate limit, and a batch's total size against
# the caller's upload limit.
MASTHEAD_OCR_BATCH_MAX_FILES = env_int("MASTHEAD_OCR_BATCH_MAX_FILES", 10)
MASTHEAD_OCR_RATE_WINDOW = env_int("MASTHEAD_OCR_RATE_WINDOW", 3600)
MASTHEAD_OCR_RATE_ANON = env_int("MASTHEAD_OCR_RATE_ANON", 30)
MASTHEAD_OCR_RATE_MEMBER = env_int("MASTHEAD_OCR_RATE_MEMBER", 200)
MASTHEAD_OCR_RATE_KEY = env_int("MASTHEAD_OCR_RATE_KEY", 1000)
MASTHEAD_OCR_LEASE_SECONDS = env_int("MASTHEAD_OCR_LEASE_SECONDS", CELERY_TASK_TIME_LIMIT + 60)
MASTHEAD_OCR_MAX_ATTEMPTS = env_int("MASTHEAD_OCR_MAX_ATTEMPTS", 3)
MASTHEAD_OCR_SHARE_DAYS = env_int("MASTHEAD_OCR_SHARE_DAYS", 7)
MASTHEAD_OCR_ANON_RETENTION_HOURS = env_int("MASTHEAD_OCR_ANON_RETENTION_HOURS", 24)
MASTHEAD_OCR_SWEEP_SECONDS = env_int("MASTHEAD_OCR_SWEEP_SECONDS", 60)
# A broker that is down must fail a submission fast (503 queue_unavailable), not hang it.
CELERY_BROKER_CONNECTION_TIMEOUT = 1.0
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.3,
}
CELERY_BEAT_SCHEDULE["ocr-sweep"] = {
    "task": "masthead.tools.tasks.ocr_sweep",
    "schedule": float(MASTHEAD_OCR_SWEEP_SECONDS),
}
CELERY_BEAT_SCHEDULE["blog-posts-went-live"] = {
    "task": "masthead.blog.tasks.posts_went_live",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["ocr-purge"] = {"task": "masthead.tools.tasks.ocr_purge", "schedule": 3600.0}

# --- Moving in and out (masthead.exchange) ----------------------------------------------
# The Content API's largest page (`limit=all` is served as this many).
MASTHEAD_CONTENT_API_MAX_LIMIT = env_int("MASTHEAD_CONTENT_API_MAX_LIMIT", 100)
# Imports: the most an export archive (zip) may unpack to, and the most one member may.
MASTHEAD_IMPORT_MAX_UNPACKED = env_bytes("MASTHEAD_IMPORT_MAX_UNPACKED", 4_000_000_000)
MASTHEAD_IMPORT_MAX_FILE = env_bytes("MASTHEAD_IMPORT_MAX_FILE", 512_000_000)
# Webhooks (ADR 0604): seconds per call, attempts per event and the backoff between them.
MASTHEAD_WEBHOOK_TIMEOUT = env_int("MASTHEAD_WEBHOOK_TIMEOUT", 10)
MASTHEAD_WEBHOOK_MAX_ATTEMPTS = env_int("MASTHEAD_WEBHOOK_MAX_ATTEMPTS", 6)
MASTHEAD_WEBHOOK_RETRY_BASE_MS = env_int("MASTHEAD_WEBHOOK_RETRY_BASE_MS", 30_000)
MASTHEAD_WEBHOOK_RETRY_CAP = env_int("MASTHEAD_WEBHOOK_RETRY_CAP", 3600)
# Development only: allow http:// and private or loopback addresses (off: https, public only).
MASTHEAD_WEBHOOK_ALLOW_LOCAL = env_bool("MASTHEAD_WEBHOOK_ALLOW_LOCAL", False)
CELERY_BEAT_SCHEDULE["exchange-webhooks-sweep"] = {
    "task": "masthead.exchange.tasks.webhook_deliveries_sweep",
    "schedule": 60.0,
}
# The newsroom's Import & export page: the largest file an admin may upload, and the
# private folder (no URL; shared by web and workers) holding uploads and full exports.
MASTHEAD_IMPORT_UPLOAD_MAX_BYTES = env_bytes("MASTHEAD_IMPORT_UPLOAD_MAX_BYTES", 200_000_000)
MASTHEAD_EXCHANGE_FILES_ROOT = Path(
    env_str("MASTHEAD_EXCHANGE_FILES_ROOT", str(VAR_DIR / "exchange-files"))
)

# --- Newsletter -------------------------------------------------------------------------
# The weekly digest goes out on MASTHEAD_NEWSLETTER_DAY at _HOUR in TIME_ZONE (beat below).
MASTHEAD_NEWSLETTER_DAY = env_str("MASTHEAD_NEWSLETTER_DAY", "fri").lower()
MASTHEAD_NEWSLETTER_HOUR = env_int("MASTHEAD_NEWSLETTER_HOUR", 8)
MASTHEAD_NEWSLETTER_SKIP_EMPTY = env_bool("MASTHEAD_NEWSLETTER_SKIP_EMPTY", True)
MASTHEAD_NEWSLETTER_RATE = env_int("MASTHEAD_NEWSLETTER_RATE", 10)  # msgs/s per worker; 0: no cap
MASTHEAD_NEWSLETTER_BATCH = env_int("MASTHEAD_NEWSLETTER_BATCH", 100)  # msgs per SMTP connection
MASTHEAD_NEWSLETTER_CONCURRENCY = env_int("MASTHEAD_NEWSLETTER_CONCURRENCY", 2)
MASTHEAD_NEWSLETTER_FROM = env_str(
    "MASTHEAD_NEWSLETTER_FROM", f"{SITE_NAME} Weekly <newsletter@localhost>"
)
MASTHEAD_NEWSLETTER_REMINDER_HOURS = env_int("MASTHEAD_NEWSLETTER_REMINDER_HOURS", 48)
MASTHEAD_NEWSLETTER_MAX_ATTEMPTS = env_int("MASTHEAD_NEWSLETTER_MAX_ATTEMPTS", 6)
MASTHEAD_NEWSLETTER_RETRY_BASE_MS = env_int("MASTHEAD_NEWSLETTER_RETRY_BASE_MS", 30_000)
MASTHEAD_NEWSLETTER_RETRY_CAP = env_int("MASTHEAD_NEWSLETTER_RETRY_CAP", 600)
MASTHEAD_NEWSLETTER_LEASE = env_int("MASTHEAD_NEWSLETTER_LEASE", 300)  # > EMAIL_TIMEOUT
MASTHEAD_NEWSLETTER_BOUNCE_LIMIT = env_int("MASTHEAD_NEWSLETTER_BOUNCE_LIMIT", 3)
# Per-issue open and click counts (totals only, no per-reader tracking); 0 turns either off.
MASTHEAD_NEWSLETTER_COUNT_OPENS = env_bool("MASTHEAD_NEWSLETTER_COUNT_OPENS", True)
MASTHEAD_NEWSLETTER_COUNT_CLICKS = env_bool("MASTHEAD_NEWSLETTER_COUNT_CLICKS", True)
MASTHEAD_NEWSLETTER_SUBSCRIBE_LIMIT = env_int("MASTHEAD_NEWSLETTER_SUBSCRIBE_LIMIT", 10)  # /IP/h
CELERY_BEAT_SCHEDULE["newsletter-weekly-digest"] = {
    "task": "masthead.newsletter.tasks.issue_send_weekly",
    "schedule": crontab(
        minute=0, hour=MASTHEAD_NEWSLETTER_HOUR, day_of_week=MASTHEAD_NEWSLETTER_DAY
    ),
}
CELERY_BEAT_SCHEDULE["newsletter-sweep"] = {
    "task": "masthead.newsletter.tasks.deliveries_sweep",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["newsletter-reminders"] = {
    "task": "masthead.newsletter.tasks.subscribers_remind",
    "schedule": crontab(minute=17),
}
# --- end Newsletter ---------------------------------------------------------------------

# --- Comments (masthead.comments) -------------------------------------------------------
MASTHEAD_COMMENT_MAX_CHARS = env_int("MASTHEAD_COMMENT_MAX_CHARS", 5000)
MASTHEAD_COMMENT_MAX_LINKS = env_int("MASTHEAD_COMMENT_MAX_LINKS", 10)
MASTHEAD_COMMENT_EDIT_MINUTES = env_int("MASTHEAD_COMMENT_EDIT_MINUTES", 15)
MASTHEAD_COMMENT_RATE_WINDOW = env_int("MASTHEAD_COMMENT_RATE_WINDOW", 600)  # seconds
MASTHEAD_COMMENT_RATE_MEMBER = env_int("MASTHEAD_COMMENT_RATE_MEMBER", 10)  # per window
MASTHEAD_COMMENT_RATE_IP = env_int("MASTHEAD_COMMENT_RATE_IP", 30)  # per window, IPv4 or /64
# --- end Comments -----------------------------------------------------------------------

# --- Logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("MASTHEAD_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
