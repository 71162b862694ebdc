"""Settings, read from the environment (12-factor).

The embedded default is SQLite with no broker; set ``DATABASE_URL`` for PostgreSQL.
"""

import datetime as dt
from pathlib import Path

import environ
from csp.constants import NONCE

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    SECRET_KEY=(str, "dev-insecure-change-me-casework"),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost", "testserver"]),
    DATABASE_URL=(str, f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
    DEMO_PASSWORD=(str, "casework-demo"),
)

DEBUG = env("DEBUG")
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "config.apps.AdminConfig",  # django.contrib.admin, signed in through the two-step login
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "viewflow",
    "viewflow.workflow",
    "simple_history",
    "config.apps.AxesConfig",  # axes, django_otp, otp_totp and captcha with Chinese names
    "config.apps.OTPConfig",
    "config.apps.TOTPConfig",
    "csp",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "config.apps.CaptchaConfig",
    "notifications",
    "casework",
    "visits",
    "reception",
    "voices",
    "reporting",
    "campaign",
    "escalation",
    "reports",
    "audit",
    "portal",
    "idempotency",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.input_guard.InputGuardMiddleware",  # NUL, huge numbers and dates, oversized bodies: refused first
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "config.twofactor.TwoFactorMiddleware",
    "config.security.IdleTimeoutMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the Chinese 429 page
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
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "casework.context_processors.shell",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A connection the database dropped (restart, failover) is replaced, not reused (config/errors.py).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the scheduler loop and the web process share the file.
    # ``BEGIN IMMEDIATE``: a transaction takes the write lock when it starts, so two officers
    # changing one case queue up as they do behind PostgreSQL's row lock (the second sees
    # the first one's change: 409), instead of one failing with "database is locked" when
    # its read lock cannot be upgraded.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- trust: login, sessions, headers (docs/architecture.md "Trust") -------------------
AUTHENTICATION_BACKENDS = ["config.security.AxesBackend", "django.contrib.auth.backends.ModelBackend"]
# Lockout after failed logins, per username and address (a shared desk computer has one
# address for many staff: locking the address alone would lock the whole desk out).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.security.lockout"
# The client's address behind AXES_PROXY_COUNT reverse proxies, by the rule the API
# throttles use (REST_FRAMEWORK["NUM_PROXIES"] below): without it axes would key on the
# proxy's address, and five bad passwords from anywhere would lock a user out everywhere.
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"
# Two-factor (config/twofactor.py): roles that must sign in with a TOTP code; a user of
# such a role without a device enrols at the next login. Comma-separated, e.g.
# "supervisor,admin" (the production default); empty here so the demo logins stay simple.
TOTP_REQUIRED_ROLES = env.list("TOTP_REQUIRED_ROLES", default=[])
# Shared desk computers: the session ends when the browser closes, and after
# SESSION_IDLE_MINUTES without a request (config.security.IdleTimeoutMiddleware).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # viewflow's scripts read the token from the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# CSP (django-csp 4): scripts only from our origin or with the per-request nonce; the one
# inline handler the printable pages use (onclick="window.print()") by its hash. Styles
# allow inline: the Material shell and our templates set style attributes (see docs).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": [
            "'self'",
            NONCE,
            "'unsafe-hashes'",
            "'sha256-MguIPR6qNR8D3B+eAlK+bIRTZe8t3wkOY4B/56Me9FU='",
        ],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Our catalogues first; then our Chinese for viewflow, whose own zh_Hans catalogue is empty.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

LOGIN_URL = "login"
OTP_TOTP_ISSUER = "职工诉求办理"
LOGIN_REDIRECT_URL = "casework:inbox"
LOGOUT_REDIRECT_URL = "login"

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# History is append-only (audit/): no "revert" through the admin's history pages.
SIMPLE_HISTORY_REVERT_DISABLED = True
# The key of the per-case audit chain's HMAC (audit/chain.py); keep it with the backups.
AUDIT_CHAIN_KEY = env("AUDIT_CHAIN_KEY", default="") or SECRET_KEY
# The key of the worker's phone and ID number lookup hashes (casework.models.worker.lookup_hash:
# the search box finds a worker by them). Changing it (or SECRET_KEY while this is unset)
# leaves the stored hashes stale until ``manage.py rehash_workers`` runs.
SEARCH_HASH_KEY = env("SEARCH_HASH_KEY", default="") or SECRET_KEY

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="127.0.0.1")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="casework@localhost")

DEMO_PASSWORD = env("DEMO_PASSWORD")

# 条条有回音 (voices/): a voice with no answer after this many days is on the unanswered list
# and in the supervisors' digest; VOICE_SOURCES are the functions that list voices (an app
# added later appends its own).
VOICES_UNANSWERED_DAYS = env.int("VOICES_UNANSWERED_DAYS", default=7)
# 定期上报: periods due longer ago than this get no deadline warnings (reporting.deadlines).
REPORTING_LATE_WINDOW_DAYS = env.int("REPORTING_LATE_WINDOW_DAYS", default=30)
VOICE_SOURCES = [
    "voices.selectors.recorded_voices",
    "voices.selectors.interview_voices",
    "reception.voices.reception_voices",
    "campaign.voices.overdue_voices",
]

# Case numbers look like GH-2026-000123.
CASEWORK_NUMBER_PREFIX = env("CASEWORK_NUMBER_PREFIX", default="GH")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    # The audit anchors' digests go to the log as well as the database (audit.ledger).
    "loggers": {"audit.anchor": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# Request sizes (docs/operations.md: the proxy in front refuses larger bodies first).
# A whole request: at most the attachments one upload may carry (10 files of 10 MB) and the form.
REQUEST_MAX_BODY_BYTES = env.int("REQUEST_MAX_BODY_BYTES", default=105 * 1024 * 1024)
# Form fields (not files) of one request; above it Django answers 400 (RequestDataTooBig).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
# An uploaded file above this goes to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# One recording attached to an interview (visits: 访谈录音, MP3/M4A/WAV/OGG/FLAC/AMR); images
# and PDFs keep the 10 MB of case attachments. A request stays under REQUEST_MAX_BODY_BYTES.
VISITS_AUDIO_MAX_BYTES = env.int("VISITS_AUDIO_MAX_BYTES", default=50 * 1024 * 1024)

# Idempotency-Key on the API's POSTs: how long a key and its first answer are kept (idempotency/).
API_IDEMPOTENCY_TTL_HOURS = env.int("API_IDEMPOTENCY_TTL_HOURS", default=24)

# The REST API under /api/v1/ (casework/api): JSON only, token or session auth,
# one exception handler so every error is JSON with a Chinese message and a code.
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=256 * 1024)
# An API token lives this many days from its issue; a password change, a deactivation or
# DELETE /api/v1/auth/token/ ends it at once (casework/api/auth.py).
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=30)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "casework.api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["casework.api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "casework.api.schema.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["casework.api.throttling.AnonThrottle", "casework.api.throttling.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="60/min"),
        "user": env("API_THROTTLE_USER", default="1200/min"),
        "auth": env("API_THROTTLE_AUTH", default="20/min"),
        # The worker portal's API (portal/api.py), per client address.
        "portal": env("API_THROTTLE_PORTAL", default="30/min"),
        "portal_submit": env("API_THROTTLE_PORTAL_SUBMIT", default="5/hour"),
    },
    "EXCEPTION_HANDLER": "casework.api.errors.exception_handler",
    # The throttles key anonymous callers (the token endpoint) on their address: REMOTE_ADDR,
    # or behind N reverse proxies the address the outermost one saw. Left unset, DRF would
    # take the whole X-Forwarded-For header as sent by the client, and a password guesser
    # could dodge the auth throttle by sending a new one with every attempt.
    "NUM_PROXIES": env.int("AXES_PROXY_COUNT", default=0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "职工诉求案件办理 API",
    "DESCRIPTION": "Worker petitions (职工诉求) case-management API. Errors: JSON with `code` and a Chinese `message`.",
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name per choice set (a unit's kind and a portal item's kind are both "kind").
    "ENUM_NAME_OVERRIDES": {"UnitKindEnum": "casework.models.org.UnitKind"},
}

# The worker portal (portal/): a local image captcha on submissions (django-simple-captcha,
# no external service), rate limits per address and per phone (Django's cache), one-time
# SMS codes through the notifications outbox. Limits are "count/seconds".
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.math_challenge"
CAPTCHA_TIMEOUT = 10  # minutes
CAPTCHA_IMAGE_SIZE = (120, 44)
CAPTCHA_FONT_SIZE = 28
PORTAL_LIMITS = {
    "submit_ip": env("PORTAL_LIMIT_SUBMIT_IP", default="10/3600"),  # attempts, good or bad
    "submit_phone": env("PORTAL_LIMIT_SUBMIT_PHONE", default="3/86400"),
    "code_ip": env("PORTAL_LIMIT_CODE_IP", default="20/3600"),
    "code_phone": env("PORTAL_LIMIT_CODE_PHONE", default="5/3600"),
    "verify_ip": env("PORTAL_LIMIT_VERIFY_IP", default="30/3600"),
}
PORTAL_UPLOAD_ROOT = env.path("PORTAL_UPLOAD_ROOT", default=BASE_DIR / "var" / "portal")
