"""``/healthz``: database, broker, age of the last sweep; 200 or 503."""

import datetime as dt

import pytest
from django.utils import timezone

from config import routers
from escalation.models import SweepRun
from escalation.sweep import sweep

pytestmark = pytest.mark.django_db


def test_unhealthy_before_the_first_sweep(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == {"default": "ok"}
    assert body["broker"] == "not configured"  # embedded default: the serve process runs the jobs
    assert body["sweep"]["status"] == "never run"


def test_healthy_after_a_sweep_and_stale_later(client, settings):
    sweep()
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["sweep"]["status"] == "ok"
    assert 0 <= body["sweep"]["age_seconds"] < 60

    SweepRun.objects.update(finished_at=timezone.now() - dt.timedelta(minutes=10))
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["sweep"]["status"] == "stale"
    settings.HEALTHZ_SWEEP_MAX_AGE = 3600
    assert client.get("/healthz").status_code == 200


def test_broker_down_is_unhealthy(client, settings, monkeypatch):
    sweep()
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    from config.celery import app

    monkeypatch.setattr(app.conf, "broker_url", settings.CELERY_BROKER_URL)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["broker"].startswith("error")


def test_no_login_no_cache_and_get_only(client):
    sweep()
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"]
    assert client.post("/healthz").status_code == 405


def test_replica_router_reads_reports_from_the_replica_only_inside_a_report(monkeypatch):
    from django.conf import settings

    monkeypatch.setitem(settings.DATABASES, "reports", settings.DATABASES["default"])
    router = routers.ReportsReplicaRouter()
    assert router.db_for_read(SweepRun) is None
    with routers.reading_reports():
        assert router.db_for_read(SweepRun) == "reports"
        assert router.db_for_write(SweepRun) == "default"
    assert router.allow_migrate("reports", "escalation") is False
