"""Production settings: required variables, and ``check --deploy`` clean with them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings_production",
    "SECRET_KEY": "k3Vt9-production-test-key-that-is-long-and-random-enough-0123456789abcdef",
    "ALLOWED_HOSTS": "casework.example.org",
    "DATABASE_URL": "postgres://casework@db.example.org:5432/casework",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never has it.
    base = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    """No database connection is needed: ``check`` alone does not open one."""
    done = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    output = done.stdout + done.stderr
    # escalation.W001 is true while chinese-calendar ends within 90 days: allowed, nothing else.
    issues = [line for line in output.splitlines() if line.startswith("?:") or ": (" in line]
    assert all("escalation.W001" in line for line in issues), output
    if not issues:
        assert done.returncode == 0, output


def test_production_settings_refuse_to_start_without_their_variables():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    done = manage("check", **env)
    assert done.returncode != 0 and "SECRET_KEY must be set" in done.stderr

    env = {**PRODUCTION_ENV, "DATABASE_URL": "sqlite:///tmp.sqlite3"}
    done = manage("check", **env)
    assert done.returncode != 0 and "PostgreSQL" in done.stderr


def test_production_settings_shape(monkeypatch):
    """Import the module with the variables set and read what it decided."""
    import importlib

    for key, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("REPORTS_DATABASE_URL", "postgres://casework@replica.example.org:5432/casework")
    module = importlib.import_module("config.settings_production")
    module = importlib.reload(module)
    assert module.DEBUG is False
    assert module.ALLOWED_HOSTS == ["casework.example.org"]
    assert module.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert module.CELERY_BROKER_URL == "redis://127.0.0.1:6379/1"
    assert module.SESSION_COOKIE_SECURE and module.CSRF_COOKIE_SECURE and module.SECURE_HSTS_SECONDS > 0
    assert module.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert module.REST_FRAMEWORK["NUM_PROXIES"] == 1  # behind the TLS proxy: the address it saw
    assert module.MIDDLEWARE[1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    assert module.DATABASES["reports"]["HOST"] == "replica.example.org"
    assert module.DATABASE_ROUTERS == ["config.routers.ReportsReplicaRouter"]
    assert module.AUDIT_CHAIN_KEY != "dev-insecure-change-me-casework"
