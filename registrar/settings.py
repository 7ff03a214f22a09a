"""Settings for the registrar system, read from the environment.

Development defaults need nothing: a SQLite file under ``var/`` and tasks run
in-process. Production (``DEBUG`` off) refuses to start without ``SECRET_KEY``.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if not DEBUG else "*")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # The staff pages' theme (issue 10, item 1): before the admin, whose templates it replaces.
    "registrar.admin_site.UnfoldConfig",
    "unfold.contrib.simple_history",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "simple_history",
    "axes",
    "registrar",
    "audit",
    "deadlines",
    "enrollment",
    "annual_registration",
    "diploma",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # Headers, sessions and rate limits (issue 8, item 11): see the block "Headers and sessions" below.
    "csp.middleware.CSPMiddleware",
    "registrar.session_lifetime.SessionLifetimeMiddleware",
    "registrar.ratelimit.RateLimitMiddleware",
    # Every download of personal data is logged in the audit trail (issue 10, item 6; SEC-3, SEC-5).
    "registrar.export_log.ExportLogMiddleware",
]

ROOT_URLCONF = "registrar.urls"
WSGI_APPLICATION = "registrar.wsgi.application"
ASGI_APPLICATION = "registrar.asgi.application"

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
                "registrar.student_links.student_nav",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'registrar.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
# Stale connections (issue 8, item 9): after a PostgreSQL restart a kept connection is dead;
# Django checks a reused connection before the request and opens a fresh one instead.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent requests of the demo server wait for each other instead of failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "registrar.User"
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
LOGOUT_REDIRECT_URL = "login"

# Sign-in lockouts (issue 8, item 7; registrar/lockouts.py): failures count per account and per
# account and address, never per address alone, so made-up names lock nothing real and users behind
# one proxy do not lock each other out; a success resets only its own account's failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_LOCKOUT_PARAMETERS = [["username"], ["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_COOLOFF_MESSAGE = _("登录失败次数过多，该账号已暂时锁定。请一小时后再试，或联系教务处解除锁定。")
AXES_ENABLE_ADMIN = False  # the registrar's 登录锁定 page is registrar/admin_lockouts.py
# The client address: X-Forwarded-For is believed only behind this many reverse proxies of our own.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "registrar.client_ip.client_ip"
# Failure records lock for an hour; they are kept this long for the registrar to look back on.
SIGN_IN_FAILURES_KEEP_DAYS = int(os.environ.get("SIGN_IN_FAILURES_KEEP_DAYS", "30"))

LANGUAGE_CODE = "zh-hans"
# Dates in one format on every page (issue 10, item 1): 2026-09-07 and 2026-09-07 14:30, as the
# templates and the sheets write them, instead of the locale's 2026年9月7日.
FORMAT_MODULE_PATH = ["registrar.formats"]
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
# The English catalog first (makemessages writes there); then the theme's own strings in Chinese
# (django-unfold ships no catalog; theme_locale holds no code, so makemessages leaves it alone).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "theme_locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded sheets of 100,000 rows are larger than Django's 2.5 MB in-memory default.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Uploaded sheets (registrar/sheets/limits.py, issue 8 items 1-2): refused above these, before
# parsing; the parse itself runs in a child process under the memory and CPU limits.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
SHEET_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("SHEET_MAX_UNCOMPRESSED_BYTES", str(256 * 1024 * 1024)))
SHEET_MAX_ROWS = int(os.environ.get("SHEET_MAX_ROWS", "200000"))
SHEET_MAX_COLUMNS = int(os.environ.get("SHEET_MAX_COLUMNS", "100"))
SHEET_CHILD_MAX_MEMORY_BYTES = int(os.environ.get("SHEET_CHILD_MAX_MEMORY_BYTES", str(2 * 1024**3)))
SHEET_CHILD_MAX_CPU_SECONDS = int(os.environ.get("SHEET_CHILD_MAX_CPU_SECONDS", "120"))
# Proof files of an identity change (ANN-8): PDF, JPEG or PNG, each at most this size, a few per request.
IDENTITY_PROOF_MAX_BYTES = int(os.environ.get("IDENTITY_PROOF_MAX_BYTES", str(5 * 1024 * 1024)))
IDENTITY_PROOF_MAX_FILES = int(os.environ.get("IDENTITY_PROOF_MAX_FILES", "5"))
# The agency's zip of graduates' photos (DIP-9): bounded before and while it is read. A photo is
# the platform's 480×640 JPEG (width × height), a few dozen KB; a school's cohort in one zip.
PHOTO_ARCHIVE_MAX_BYTES = int(os.environ.get("PHOTO_ARCHIVE_MAX_BYTES", str(300 * 1024 * 1024)))
PHOTO_ARCHIVE_MAX_FILES = int(os.environ.get("PHOTO_ARCHIVE_MAX_FILES", "20000"))
PHOTO_ARCHIVE_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("PHOTO_ARCHIVE_MAX_UNCOMPRESSED_BYTES", str(1024 * 1024 * 1024))
)
PHOTO_MIN_BYTES = int(os.environ.get("PHOTO_MIN_BYTES", "1024"))
PHOTO_MAX_BYTES = int(os.environ.get("PHOTO_MAX_BYTES", str(2 * 1024 * 1024)))
PHOTO_WIDTH = int(os.environ.get("PHOTO_WIDTH", "480"))
PHOTO_HEIGHT = int(os.environ.get("PHOTO_HEIGHT", "640"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # BasicAuthentication that says so when the account is locked (issue 8, item 7).
        "registrar.authentication.LockoutBasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    # Per-user budgets on uploads and exports (issue 8, item 11; registrar/ratelimit.py).
    "DEFAULT_THROTTLE_CLASSES": ["registrar.ratelimit.UploadExportThrottle"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "学籍学历电子注册 API",
    "DESCRIPTION": "The registrar system's API. Every endpoint is scoped to the signed-in user.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Choice sets whose field names other choice sets share ("level", "kind"): named once each.
    "ENUM_NAME_OVERRIDES": {
        "LevelEnum": "registrar.codes.Level",
        "AwardLevelEnum": "annual_registration.models.records.AwardLevel",
        "PunishmentKindEnum": "annual_registration.models.records.PunishmentKind",
        "CertificateKindEnum": "annual_registration.models.records.CertificateKind",
        "RefusalGroundEnum": "annual_registration.models.identity.RefusalGround",
        "StatusChangeKindEnum": "registrar.codes.StatusChangeKind",
        "ListedKindEnum": "annual_registration.services.change_lists.ListedKind",
    },
}

# API error policy and docs (registrar/api_errors.py): every refusal a 4xx with a Chinese reason
# in one body shape; JSON bodies must be objects; the docs page loads Swagger UI from this server.
REST_FRAMEWORK["EXCEPTION_HANDLER"] = "registrar.api_errors.api_exception_handler"
REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "registrar.api_schema.ErrorDocumentingSchema"
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = [
    "registrar.api_errors.ObjectJSONParser",
    "rest_framework.parsers.FormParser",
    "rest_framework.parsers.MultiPartParser",
]
INSTALLED_APPS.append("drf_spectacular_sidecar")
# NUL bytes in query strings (registrar/query_guard.py): a 400 before any view, never a driver error.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.locale.LocaleMiddleware") + 1,
    "registrar.query_guard.NulQueryMiddleware",
)
# Error pages in Chinese also with DEBUG on (issue 10, item 1; registrar/error_pages.py).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "registrar.error_pages.FriendlyErrorPagesMiddleware",
)
CSRF_FAILURE_VIEW = "registrar.error_pages.csrf_failure"
# ANN-11 (registrar/archive_access.py): a student whose 学籍 was deregistered reads their archive only.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "registrar.archive_access.ArchiveOnlyMiddleware",
)
SPECTACULAR_SETTINGS.update(
    {
        "SWAGGER_UI_DIST": "SIDECAR",
        "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
        "REDOC_DIST": "SIDECAR",
        "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
        "COMPONENT_SPLIT_REQUEST": True,
    }
)

# Celery: without a broker, tasks run in-process so that the demo needs nothing else.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Workers recycle (issue 8, item 1): a child that parsed a large file gives its memory back.
CELERY_WORKER_MAX_TASKS_PER_CHILD = int(os.environ.get("CELERY_WORKER_MAX_TASKS_PER_CHILD", "200"))
# In KB, as Celery counts it.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = int(os.environ.get("CELERY_WORKER_MAX_MEMORY_PER_CHILD", "524288"))
# Daily jobs; apps add theirs here. The hour is a setting.
DEADLINE_SCAN_HOUR = int(os.environ.get("DEADLINE_SCAN_HOUR", "2"))
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # Deferrals past their end become cases the registrar decides (ENR-4) before the scan looks at them.
    "expire-deferrals": {
        "task": "enrollment.tasks.expire_deferrals",
        "schedule": crontab(hour=DEADLINE_SCAN_HOUR, minute=0),
    },
    # A 休学 or 保留学籍 past its end without 复学 becomes a case for the registrar (issue 11, item 4).
    "lapse-status-change-periods": {
        "task": "annual_registration.tasks.lapse_status_change_periods",
        "schedule": crontab(hour=DEADLINE_SCAN_HOUR, minute=5),
    },
    "scan-deadlines": {
        "task": "deadlines.tasks.scan_deadlines",
        "schedule": crontab(hour=DEADLINE_SCAN_HOUR, minute=15),
    },
    "audit-chain-verify": {
        "task": "audit.tasks.verify_audit_chain",
        "schedule": crontab(hour=DEADLINE_SCAN_HOUR, minute=30),
    },
    # Task outbox (issue 8, item 9): follow-up tasks that found no broker at commit time.
    "drain-outbox": {"task": "registrar.tasks.drain_outbox", "schedule": 60.0},
    "forget-old-sign-in-failures": {
        "task": "registrar.tasks.forget_old_sign_in_failures",
        "schedule": crontab(hour=DEADLINE_SCAN_HOUR, minute=45),
    },
}

# Shared cache (upload progress, locks): Redis when configured, else this process's memory.
CACHE_URL = os.environ.get("CACHE_URL") or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else ""
)
# Redis faults (issue 8, item 9; registrar/cache.py): while Redis does not answer, the cache falls back
# to files on this host instead of failing the request; short socket timeouts keep a dead Redis quick.
CACHES = {
    "default": {
        "BACKEND": "registrar.cache.FailoverRedisCache",
        "LOCATION": CACHE_URL,
        "FALLBACK": VAR_DIR / "cache",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
    }
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Deadlines (issue: deadline engine): reminders go N working days before a due date.
DEADLINE_REMINDER_WORKDAYS = int(os.environ.get("DEADLINE_REMINDER_WORKDAYS", "5"))

# Audit chain (issue 8, item 6; SEC-3): events are HMAC-keyed with a secret held outside the
# database, and signed checkpoints of the chain's head are appended to files outside it too.
# AUDIT_CHAIN_PREVIOUS_KEYS (comma-separated) keeps events keyed before a key change verifiable.
AUDIT_CHAIN_KEY = os.environ.get("AUDIT_CHAIN_KEY", "")
if not AUDIT_CHAIN_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("AUDIT_CHAIN_KEY must be set when DEBUG is off.")
    AUDIT_CHAIN_KEY = "dev-only-audit-chain-key-never-use-in-production"
AUDIT_CHAIN_PREVIOUS_KEYS = env_list("AUDIT_CHAIN_PREVIOUS_KEYS", "")
AUDIT_CHECKPOINT_DIR = Path(os.environ.get("AUDIT_CHECKPOINT_DIR", VAR_DIR / "audit-checkpoints"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "registrar@localhost")

# Production hardening: on whenever DEBUG is off (manage.py check --deploy proves it).
# X-Forwarded-Proto is believed, like X-Forwarded-For, only behind a reverse proxy of our own.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_COUNT else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Sessions are kept in the database and read through the shared cache: every request reads its session,
# and a cached read spares the database a query (about a sixth of an API request's time). Writes go to
# both; a flushed or unreachable Redis signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Headers and sessions (issue 8, item 11).
# Content-Security-Policy: scripts only from this site (no inline scripts); inline style attributes
# stay allowed (the pages use them; style injection cannot run code).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# The staff pages' theme (django-unfold; registrar/workbench.py): sidebar per role, a home page per
# role. Its scripts are this site's static files; Alpine.js is the CSP build (no eval), see
# templates/unfold/layouts/skeleton.html and registrar/static/registrar/unfold_csp.js.
UNFOLD = {
    "SITE_TITLE": _("学籍学历电子注册"),
    "SITE_HEADER": _("学籍学历电子注册管理系统"),
    "SITE_SUBHEADER": _("教务处与二级学院工作台"),
    "SITE_SYMBOL": "school",
    "SITE_URL": "/",
    "SITE_FAVICONS": [
        {"rel": "icon", "type": "image/svg+xml", "href": lambda request: static("registrar/favicon.svg")}
    ],
    "THEME": "light",
    "SHOW_HISTORY": True,
    "SHOW_VIEW_ON_SITE": False,
    "SHOW_LANGUAGES": False,
    "BORDER_RADIUS": "6px",
    "COLORS": {
        "primary": {
            "50": "#eef4fa",
            "100": "#d9e6f2",
            "200": "#b3cce5",
            "300": "#85acd3",
            "400": "#5788bd",
            "500": "#356aa3",
            "600": "#275689",
            "700": "#1f4e79",
            "800": "#1a3f61",
            "900": "#15324d",
            "950": "#0d2033",
        },
    },
    "STYLES": [lambda request: static("registrar/staff.css")],
    "DASHBOARD_CALLBACK": "registrar.workbench.dashboard_callback",
    "SIDEBAR": {
        "show_search": False,
        "command_search": False,
        "show_all_applications": False,
        "navigation": "registrar.workbench.sidebar_navigation",
    },
}
# Idle session lifetime by role (registrar/session_lifetime.py): staff work on shared office computers.
STAFF_SESSION_SECONDS = int(os.environ.get("STAFF_SESSION_SECONDS", str(2 * 3600)))
STUDENT_SESSION_SECONDS = int(os.environ.get("STUDENT_SESSION_SECONDS", str(8 * 3600)))
# Per-user budgets (registrar/ratelimit.py): "count/period", the period in s, m or h.
RATE_LIMITS = {
    "upload": os.environ.get("RATE_LIMIT_UPLOADS", "30/10m"),
    "export": os.environ.get("RATE_LIMIT_EXPORTS", "60/10m"),
}
RATE_LIMITED_EXPORTS = [
    "enrollment:registration-file",
    "enrollment:statistics-file",
    "batch-template",
    "deadlines:violations-export",
    "annual_records:annual-file",
    "annual_records:change-file",
    "annual_records:statistics-file",
    "admin:annual_registration_statisticsreport_file",
    "diploma_photos:precheck-file",
    "admin:diploma_photo_retakes_file",
]
