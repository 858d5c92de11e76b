"""Settings, all read from environment variables (see docs/configuration.md).

Development and tests run with no environment at all (SQLite, an insecure
key). A production start (DEBUG unset) without SECRET_KEY or ALLOWED_HOSTS
stops with a clear message instead of running half-configured.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


from kaohe.conf.env import TESTING, env_bool, env_list  # noqa: E402

# Serving (gunicorn via kaohe.wsgi, or runserver) is where half-configured production must stop.
SERVING = env_bool("KAOHE_SERVING", False) or "runserver" in sys.argv[1:2]
DEBUG = env_bool("DEBUG", False)
DEMO = env_bool("KAOHE_DEMO", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "django-insecure-kaohe-development-only-never-in-production"  # noqa: S105
    elif not SERVING:
        # Offline management commands (migrate, backups…) sign nothing that outlives them.
        import secrets

        SECRET_KEY = secrets.token_urlsafe(64)
    else:
        raise ImproperlyConfigured(
            "生产环境必须设置环境变量 SECRET_KEY（至少 50 个随机字符）。"
            " SECRET_KEY is required when DEBUG is off; "
            'generate one with: python -c "import secrets; print(secrets.token_urlsafe(64))"'
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if (DEBUG or TESTING) else "")
if not ALLOWED_HOSTS and SERVING and not (DEBUG or TESTING):
    raise ImproperlyConfigured(
        "生产环境必须设置环境变量 ALLOWED_HOSTS（逗号分隔的域名或 IP）。"
        " ALLOWED_HOSTS is required when DEBUG is off."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_cas_ng",  # CAS sign-in (its session-ticket tables; off until configured)
    "ninja",  # serves the API documentation page from its vendored Swagger UI (no CDN)
    "kaohe.common",
    "kaohe.background",
    "kaohe.audit",
    "kaohe.accounts",
    "kaohe.orgs",
    "kaohe.notifications",
    "kaohe.schemes",
    "kaohe.scoring",
    "kaohe.transfer",
    "kaohe.tasks",
    "kaohe.onsite",
    "kaohe.exams",
    "kaohe.surveys",
    "kaohe.publishing",
    "kaohe.rectification",
    "kaohe.api",
    "kaohe.home",  # top floor: to-do home page, search, help
    "kaohe.demo",  # top floor: the seeds' demo; no app imports it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "kaohe.audit.context.AuditContextMiddleware",
    "kaohe.common.middleware.ProductErrorPagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kaohe.accounts.middleware.SessionPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kaohe.urls"
WSGI_APPLICATION = "kaohe.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kaohe.accounts.context_processors.navigation",
                "kaohe.notifications.context_processors.bell",
            ],
        },
    },
]

DATA_DIR = Path(os.environ.get("KAOHE_DATA_DIR", BASE_DIR / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'kaohe.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# Hot fixed-shape queries (page stamps, the signed-in user's row) are sent to PostgreSQL as
# prepared statements (kaohe/common/compiled.py). Turn off behind a pooler that cannot carry
# them (PgBouncer in transaction mode before 1.21).
KAOHE_PREPARED_STATEMENTS = env_bool("KAOHE_PREPARED_STATEMENTS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# --- security (owned by the security/audit work, docs/security.md) ------------------------
# Axes first: it refuses locked-out accounts/addresses before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "kaohe.accounts.backends.ModelBackend",  # refuses superusers outside the demo
]
# Single sign-on (LDAP, OIDC, CAS): kaohe/conf/sso.py; each is off until configured.
from kaohe.conf.sso import *  # noqa: E402,F403

AUTHENTICATION_BACKENDS += SSO_BACKENDS  # noqa: F405

# Password policy: "classic" (等保: 8+ chars, 3 of 4 classes, 90-day rotation, last 5 not reused)
# or "asvs" (OWASP ASVS: 12+ chars, no composition rule, no forced rotation).
KAOHE_PASSWORD_POLICY = os.environ.get("KAOHE_PASSWORD_POLICY", "classic").strip().lower()
if KAOHE_PASSWORD_POLICY not in {"classic", "asvs"}:
    raise ImproperlyConfigured("KAOHE_PASSWORD_POLICY 只能是 classic 或 asvs。")
_ASVS = KAOHE_PASSWORD_POLICY == "asvs"  # noqa: S105
KAOHE_PASSWORD_MIN_LENGTH = int(os.environ.get("KAOHE_PASSWORD_MIN_LENGTH", "12" if _ASVS else "8"))
KAOHE_PASSWORD_HISTORY = int(os.environ.get("KAOHE_PASSWORD_HISTORY", "0" if _ASVS else "5"))
# Tests default to no rotation/idle timeout so time-travelling tests elsewhere keep their session.
KAOHE_PASSWORD_MAX_AGE_DAYS = int(
    os.environ.get("KAOHE_PASSWORD_MAX_AGE_DAYS", "0" if (_ASVS or TESTING) else "90")
)
if TESTING:  # a fast hasher keeps the suite quick; production keeps Django's PBKDF2 default
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
_PV = "django.contrib.auth.password_validation."
_KV = "kaohe.accounts.passwords."
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": _PV + "UserAttributeSimilarityValidator"},
    {"NAME": _KV + "MinimumLengthValidator", "OPTIONS": {"min_length": KAOHE_PASSWORD_MIN_LENGTH}},
    {"NAME": _KV + "MaximumLengthValidator"},
    {"NAME": _PV + "CommonPasswordValidator"},
    {"NAME": _PV + "NumericPasswordValidator"},
    {"NAME": _KV + "NotUsernameValidator"},
]
if not _ASVS:
    AUTH_PASSWORD_VALIDATORS.append(
        {"NAME": _KV + "CharacterClassesValidator", "OPTIONS": {"min_classes": 3}}
    )
if KAOHE_PASSWORD_HISTORY > 0:
    AUTH_PASSWORD_VALIDATORS.append(
        {"NAME": _KV + "PasswordHistoryValidator", "OPTIONS": {"count": KAOHE_PASSWORD_HISTORY}}
    )

# Lockout (django-axes): 5 failures within 15 minutes lock the account and, separately, the
# address, for 15 minutes; every lockout goes into the audit chain. No captcha needed.
AXES_ENABLED = env_bool("KAOHE_AXES", not TESTING)  # tests switch it on where they test it
AXES_FAILURE_LIMIT = int(os.environ.get("KAOHE_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("KAOHE_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "kaohe.audit.context.client_ip"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

# Sessions: idle timeout and absolute lifetime (minutes); 0 switches a limit off.
KAOHE_SESSION_IDLE_MINUTES = int(
    os.environ.get("KAOHE_SESSION_IDLE_MINUTES", "0" if TESTING else "30")
)
KAOHE_SESSION_ABSOLUTE_MINUTES = int(os.environ.get("KAOHE_SESSION_ABSOLUTE_MINUTES", "480"))

# Outside the demo (and development/tests) the demo's published password must be changed.
# The demo accounts' published password: printed by `kaohe demo`, refused at login outside it.
KAOHE_DEMO_PASSWORD = "Kaohe@2020"  # noqa: S105 — public by design
KAOHE_REFUSE_DEMO_PASSWORD = env_bool("KAOHE_REFUSE_DEMO_PASSWORD", not (DEMO or DEBUG or TESTING))

# Superusers (Django's all-powerful flag) exist only in the demo, development and tests:
# elsewhere they are refused at sign-in, pass no check, cannot be created, and Django admin
# (/django-admin/) is not mounted. Roles and 三员 do the work instead (docs/security.md).
KAOHE_SUPERUSERS_ALLOWED = DEMO or DEBUG or TESTING

# Second factor (TOTP, django-otp): when on, these roles must verify a code after the password.
KAOHE_OTP_REQUIRED = env_bool("KAOHE_OTP_REQUIRED", False)
KAOHE_OTP_ROLES = env_list(
    "KAOHE_OTP_ROLES", "system_admin,security_admin,audit_admin,office_admin,superuser"
)
OTP_TOTP_ISSUER = os.environ.get("KAOHE_OTP_ISSUER", "kaohe")

# Audit retention: events younger than this many days can never be pruned (≥ 6 months).
KAOHE_AUDIT_RETENTION_DAYS = max(183, int(os.environ.get("KAOHE_AUDIT_RETENTION_DAYS", "183")))

# The audit key (HMAC of the audit chain, its anchors and backup manifests) lives outside the
# database: KAOHE_AUDIT_KEY, or KAOHE_AUDIT_KEY_FILE (current key on the first line, retired
# keys below it); KAOHE_AUDIT_OLD_KEYS lists retired keys still needed for verification.
# Development, tests and the demo derive one from SECRET_KEY; production requires it.
KAOHE_AUDIT_KEY = os.environ.get("KAOHE_AUDIT_KEY", "")
KAOHE_AUDIT_KEY_FILE = os.environ.get("KAOHE_AUDIT_KEY_FILE", "")
KAOHE_AUDIT_OLD_KEYS = env_list("KAOHE_AUDIT_OLD_KEYS")
KAOHE_AUDIT_DEV_KEY = DEBUG or TESTING or DEMO
if SERVING and not (KAOHE_AUDIT_KEY or KAOHE_AUDIT_KEY_FILE or KAOHE_AUDIT_DEV_KEY):
    raise ImproperlyConfigured(
        "生产环境必须设置审计密钥 KAOHE_AUDIT_KEY 或 KAOHE_AUDIT_KEY_FILE（见 docs/configuration.md）。"
        " The audit key is required when DEBUG is off."
    )
# Anchors: signed checkpoint files of the chain head, written outside the database every
# KAOHE_AUDIT_ANCHOR_EVERY events and by verify-audit/backup; verify-audit checks the latest.
KAOHE_AUDIT_ANCHOR_DIR = os.environ.get(
    "KAOHE_AUDIT_ANCHOR_DIR", "" if TESTING else str(DATA_DIR / "audit-anchors")
)
KAOHE_AUDIT_ANCHOR_EVERY = int(os.environ.get("KAOHE_AUDIT_ANCHOR_EVERY", "200"))

# Under DEBUG (make run) a 404 still shows the product's page; 1 shows Django's debug page.
KAOHE_DEBUG_TECHNICAL_404 = env_bool("KAOHE_DEBUG_TECHNICAL_404", False)

# Content Security Policy (django-csp 4): no inline or outside scripts; everything is local.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Bootstrap/ECharts/htmx set style attributes; styles cannot run code.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
    # Sessions read from Redis, written through to the database: any app server answers,
    # and a Redis restart signs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# This process's own memory: template fragments keyed on everything they show (the scheme tabs)
# and, with Redis, a first level in front of it for values cached under a stamp, which never go
# out of date (kaohe/common/cached.py: navigation bars, role lists, rendered tables).
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "kaohe-local",
    "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("KAOHE_LOCAL_CACHE_ENTRIES", "1000"))},
}
KAOHE_LOCAL_CACHE = "local" if os.environ.get("REDIS_URL") else ""

# --- background tasks: kaohe/conf/background.py (django-tasks on huey; periodic jobs) ---------
from kaohe.conf.background import *  # noqa: E402,F403

# REST API (docs/api.md): requests per token (or per signed-in user) per second/minute/hour.
KAOHE_API_RATE = os.environ.get("KAOHE_API_RATE", "600/m")
# Survey rate limits and burst counters must be shared by every app server: Redis when set,
# else a database cache table (created by the surveys migrations / `kaohe createcachetable`).
CACHES["surveys"] = (
    {**CACHES["default"], "KEY_PREFIX": "surveys"}
    if os.environ.get("REDIS_URL")
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kaohe_survey_cache",
        "OPTIONS": {"MAX_ENTRIES": 100000},
    }
)

# Satisfaction surveys (docs/surveys.md): anonymous respondent pages live under /s/; their
# requests never record the client address. Submissions per address per survey per hour
# (counted in the cache only; 0 switches the limit off).
KAOHE_ANONYMOUS_PATHS = ("/s/",)
KAOHE_SURVEY_RATE_PER_HOUR = int(os.environ.get("KAOHE_SURVEY_RATE_PER_HOUR", "30"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# The project-wide assets (vendored Bootstrap, htmx, ECharts; kaohe.css/js) live beside settings.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"  # never served directly: files go through access-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if (DEBUG or TESTING)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if os.environ.get("KAOHE_STORAGE") == "s3":
    # S3-compatible object storage (MinIO, OSS, OBS…) via django-storages; see docs/deployment.md.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("S3_BUCKET", "kaohe"),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL"),
            "access_key": os.environ.get("S3_ACCESS_KEY"),
            "secret_key": os.environ.get("S3_SECRET_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
FILE_UPLOAD_MAX_MB = int(os.environ.get("KAOHE_UPLOAD_MAX_MB", "50"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kaohe@localhost")
# Absolute address of the site, for links in reminder emails (e.g. https://kaohe.example.gov.cn).
KAOHE_BASE_URL = os.environ.get("KAOHE_BASE_URL", "").rstrip("/")

# Transport security. On by default in production; an HTTP-only intranet sets KAOHE_HTTPS=0
# (then `check --deploy` rightly warns).
HTTPS = env_bool("KAOHE_HTTPS", not (DEBUG or TESTING))
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
BEHIND_PROXY = env_bool("KAOHE_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies of ours sit in front of the application (nginx alone: 1; a load balancer
# and nginx: 2). The client address is the X-Forwarded-For entry that many hops from the
# right; 0 uses REMOTE_ADDR. Never more than there really are: the extra hop is the client's.
KAOHE_TRUSTED_PROXIES = int(os.environ.get("KAOHE_TRUSTED_PROXIES", "1" if BEHIND_PROXY else "0"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(
    os.environ.get("KAOHE_SESSION_SECONDS", str(KAOHE_SESSION_ABSOLUTE_MINUTES * 60 or 8 * 3600))
)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
