"""A real Celery worker with beat embedded (``celery -A config worker -B``) on the local Redis.

The beat-scheduled sweep must find the breach, escalate the case, and the delivery task
must deliver its notifications. The worker is another process, so the test's data must be
committed (``transaction=True``) in a database it can reach: PostgreSQL, whose test
database's name goes to the worker through ``DATABASE_URL``. Every wait is bounded.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.utils import timezone

from casework.models import Case
from escalation.models import BreachOutcome, DeadlineClock
from notifications.models import DeliveryStatus, Notification

from ..conftest import database_url

ROOT = Path(__file__).resolve().parents[2]
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
WAIT_SECONDS = 90

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis(host=REDIS_HOST, port=REDIS_PORT, socket_connect_timeout=1).ping())
    except Exception:
        return False



def _wait_for(predicate, worker: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if predicate():
            return
        if worker.poll() is not None:
            pytest.fail(f"the Celery worker exited ({worker.returncode}) before {what}")
        time.sleep(0.5)
    pytest.fail(f"no {what} within {WAIT_SECONDS} s")


@pytest.fixture
def celery_worker(tmp_path):
    if not _redis_up():
        pytest.skip(f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT} (.ci/run starts it)")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/0",
        "CELERY_QUEUE": f"casework-test-{uuid.uuid4().hex[:12]}",  # never another worker's tasks
        "CASEWORK_SWEEP_EVERY": "2",
        "CASEWORK_DELIVER_EVERY": "1",
    }
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(  # noqa: S603 - the venv's celery, fixed arguments
        [
            sys.executable, "-m", "celery", "-A", "config", "worker", "-B",
            "--pool", "solo", "--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
            "--schedule", str(tmp_path / "beat-schedule"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=5)
        log.close()
        print((tmp_path / "worker.log").read_text()[-4000:])  # shown when the test fails


def test_beat_sweep_escalates_a_breached_case_and_delivers_its_notifications(make_case, users, celery_worker):
    case = make_case()
    assert case.status == "enterprise"
    past = timezone.now() - dt.timedelta(minutes=5)
    DeadlineClock.objects.filter(case=case, stopped_at__isnull=True).update(warn_at=past, due_at=past)
    Case.objects.filter(pk=case.pk).update(warn_at=past, due_at=past)
    Notification.objects.update(status=DeliveryStatus.SENT)  # only the breach's rows are watched

    _wait_for(lambda: Case.objects.get(pk=case.pk).status == "union", celery_worker, "escalation by the sweep")
    clock = DeadlineClock.objects.get(case=case, stage="enterprise")
    assert clock.breach_outcome == BreachOutcome.ESCALATED
    assert Case.objects.get(pk=case.pk).history.latest("history_id").history_user.username == "system"

    watched = Notification.objects.filter(event__in=["deadline_breach", "case_escalated", "task_queued"])
    assert watched.exists()
    _wait_for(
        lambda: not watched.exclude(status=DeliveryStatus.SENT).exists(), celery_worker, "delivery of the outbox"
    )
    delivered = watched.filter(status=DeliveryStatus.SENT, user=users["officer_union"])
    assert delivered.exists(), list(watched.values_list("event", "channel", "status", "user__username"))
