"""Production settings: the base settings plus what a deployment must provide.

``DJANGO_SETTINGS_MODULE=config.settings_production``. Required from the environment:
``SECRET_KEY``, ``ALLOWED_HOSTS``, ``DATABASE_URL`` (PostgreSQL) and ``REDIS_URL`` (cache
and Celery broker). Optional: ``REPORTS_DATABASE_URL`` (a read replica the reports read
from, see ``config.routers``), ``CSRF_TRUSTED_ORIGINS``, ``SECURE_HSTS_SECONDS``,
``SECURE_SSL_REDIRECT``. The app is meant to sit behind a reverse proxy that terminates
TLS and sets ``X-Forwarded-Proto``.

The escalation app's ``escalation.W001`` warning (this year's holiday schedule, or from
1 November next year's, is not loaded) stays visible here too: it is true, and the fix is
loading the State Council's notice (docs/operations.md, Holiday schedule), not silence.
It is never an error: working-day deadlines past the loaded schedules are provisional.
"""

from django.core.exceptions import ImproperlyConfigured

from .settings import *  # noqa: F403
from .settings import env


def _required(name: str) -> str:
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production (config.settings_production).")
    return value


DEBUG = False
SECRET_KEY = _required("SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in _required("ALLOWED_HOSTS").split(",") if h.strip()]
# The base settings derive these from the development key when unset: derive them again.
AUDIT_CHAIN_KEY = env.str("AUDIT_CHAIN_KEY", default="") or SECRET_KEY
SEARCH_HASH_KEY = env.str("SEARCH_HASH_KEY", default="") or SECRET_KEY
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[f"https://{h}" for h in ALLOWED_HOSTS])

DATABASES = {"default": env.db_url_config(_required("DATABASE_URL"))}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL in production.")
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections with a health check: gunicorn workers reuse them across requests.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if env.str("REPORTS_DATABASE_URL", default=""):
    DATABASES["reports"] = env.db_url_config(env.str("REPORTS_DATABASE_URL"))
    DATABASES["reports"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["reports"]["CONN_HEALTH_CHECKS"] = True
    # Tests never create a second database for the replica: it mirrors default.
    DATABASES["reports"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["config.routers.ReportsReplicaRouter"]
    MIDDLEWARE = [*MIDDLEWARE, "config.routers.ReportsReplicaMiddleware"]  # noqa: F405

REDIS_URL = _required("REDIS_URL")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)

# Static files from the gunicorn processes themselves (collectstatic at deploy time):
# compressed copies (gzip, brotli). Not the manifest storage: viewflow's vendored Roboto CSS
# names font files it does not ship, and the manifest post-processing refuses that.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# HTTPS: the proxy terminates TLS and says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The API throttles key on the client address the proxy saw (the last X-Forwarded-For
# entry), not on the proxy's own address; AXES_PROXY_COUNT=2 behind two proxies.
REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": env.int("AXES_PROXY_COUNT", default=1)}  # noqa: F405
# Supervisors and admins sign in with a TOTP code (config/twofactor.py); "" turns it off.
TOTP_REQUIRED_ROLES = env.list("TOTP_REQUIRED_ROLES", default=["supervisor", "admin"])
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# /healthz is probed over plain HTTP by load balancers and process managers.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a decision for the operator of the domain, not for the code.
    "security.W021",
]

LOGGING["root"]["level"] = env("LOG_LEVEL", default="INFO")  # noqa: F405
