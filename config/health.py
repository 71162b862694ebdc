"""``/healthz``: can this process serve, and are the periodic jobs running?

JSON, no login, no session: ``database`` (a ``SELECT 1`` on every configured alias),
``broker`` (a connection to the Celery broker, or ``"not configured"`` in the embedded
default, where the ``serve`` process runs the jobs itself) and ``sweep`` (the age of the
last deadline sweep, from ``escalation.SweepRun``; older than ``HEALTHZ_SWEEP_MAX_AGE``
seconds, default 300, or never run, means clocks are not being watched). 200 when all
are fine, 503 otherwise, so a load balancer or a process manager can act on the code.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connections
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

BROKER_TIMEOUT = 2.0


def _database() -> dict:
    result = {}
    for alias in settings.DATABASES:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
            result[alias] = "ok"
        except Exception as exc:  # any failure is the answer, not a crash
            result[alias] = f"error: {type(exc).__name__}"
    return result


def _broker() -> str:
    url = getattr(settings, "CELERY_BROKER_URL", "")
    if not url:
        return "not configured"
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT)
        return "ok"
    except Exception as exc:
        return f"error: {type(exc).__name__}"


def _sweep() -> dict:
    from escalation.models import SweepRun
    from escalation.sweep import SWEEP_NAME

    max_age = getattr(settings, "HEALTHZ_SWEEP_MAX_AGE", 300)
    run = SweepRun.objects.filter(name=SWEEP_NAME).only("finished_at").first()
    if run is None or run.finished_at is None:
        return {"status": "never run", "age_seconds": None, "max_age_seconds": max_age}
    age = (timezone.now() - run.finished_at).total_seconds()
    return {
        "status": "ok" if age <= max_age else "stale",
        "age_seconds": round(age, 1),
        "max_age_seconds": max_age,
    }


@never_cache
@require_GET
def healthz(request):
    database = _database()
    broker = _broker()
    try:
        sweep = _sweep()
    except Exception as exc:
        sweep = {"status": f"error: {type(exc).__name__}", "age_seconds": None}
    healthy = (
        all(v == "ok" for v in database.values())
        and broker in ("ok", "not configured")
        and sweep["status"] == "ok"
    )
    body = {"status": "ok" if healthy else "unhealthy", "database": database, "broker": broker, "sweep": sweep}
    return JsonResponse(body, status=200 if healthy else 503)
