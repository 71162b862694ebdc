"""Shared fixtures: the demo world's fixed points, and a factory of registered cases."""

from __future__ import annotations

import pytest
from django.db import connection

from casework import services
from casework.demo import build_world

PASSWORD = "test-pass-123"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """SQLite tests use a database file, like the embedded default (WAL, ``BEGIN IMMEDIATE``,
    a busy timeout): an in-memory database shared between threads locks whole tables and
    answers a second writer with an error instead of making it wait, so races could not be
    tested on it."""
    import os
    import tempfile

    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        # In memory-backed /dev/shm where there is one: the same locking, without waiting on the disk.
        shm = "/dev/shm"  # noqa: S108 - mkdtemp makes a private directory there
        folder = tempfile.mkdtemp(dir=shm) if os.path.isdir(shm) else tmp_path_factory.mktemp("db")
        db.setdefault("TEST", {})["NAME"] = os.path.join(folder, "test.sqlite3")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache: rate-limit counts (the API throttles count
    every 401) and cached reads from an earlier test must not decide this one's answers."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _long_lived_tokens(settings):
    """Tests travel months ahead with a token made at the start; API tokens' expiry
    (``API_TOKEN_TTL_DAYS``) has its own tests (tests/trust/test_api_tokens.py)."""
    settings.API_TOKEN_TTL_DAYS = 3650


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    """Units and staff of the demo province (no cases), the default time policies and the
    holiday schedules chinese-calendar seeds (transactional tests flush what the data
    migrations seeded)."""
    from escalation.defaults import ensure_default_policies
    from escalation.holiday_seed import ensure_package_schedules

    ensure_default_policies()
    ensure_package_schedules()
    return build_world(PASSWORD)


@pytest.fixture
def users(world):
    """desk, officer_enterprise, officer_union, officer_government, leader, supervisor,
    officer_elsewhere, admin."""
    return world["fixed"]


def case_input(**overrides) -> services.CaseInput:
    worker = {"name": "王建国", "gender": "female", "phone": "13912345678", "id_number": "11010519491231002X"}
    worker.update(overrides.pop("worker", {}))
    values = dict(
        worker=worker,
        enterprise="DEMO-E1",
        category="wages",
        channel="reception_day",
        summary="企业拖欠工资三个月。",
        request="要求足额支付工资。",
        consent=True,
    )
    values.update(overrides)
    return services.CaseInput(**values)


@pytest.fixture
def client_for(users):
    """``client_for("desk")``: an API client sending that user's token (a demo user, or any
    user by username)."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def _client(name: str) -> APIClient:
        user = users.get(name) or get_user_model().objects.get(username=name)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
        return client

    return _client


@pytest.fixture
def make_case(users):
    def _make(actor=None, accept=True, **overrides):
        return services.case_register(actor=actor or users["desk"], data=case_input(**overrides), accept=accept)

    return _make


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


def database_url() -> str:
    """The test database as a ``DATABASE_URL``, for the processes a test starts (workers, scripts)."""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL); ran on SQLite")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
