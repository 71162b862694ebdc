"""A delivery worker killed mid-batch (SIGKILL) loses nothing and doubles nothing.

Runs the real ``deliver_notifications`` command in a subprocess against the committed
test database, kills it while it is sending, lets its lease run out, and restarts it.

Where it dies is fixed, not timed: the receiver accepts the ``HELD_AT``-th webhook and
does not answer it, and the worker is killed while it waits for that answer (its HTTP
timeout is an hour, so it cannot give up and go on first).
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from notifications import conf
from notifications import recipients as to
from notifications.models import DeliveryAttempt, Notification, WebhookEndpoint
from notifications.services import notify

from ..conftest import database_url

ROOT = Path(__file__).resolve().parents[2]
N = 120
HELD_AT = N // 3  # the worker is killed while this webhook waits for its answer


def _worker() -> subprocess.Popen:
    env = dict(
        os.environ, DATABASE_URL=database_url(), NOTIFICATIONS_BACKOFF_BASE="0", NOTIFICATIONS_HTTP_TIMEOUT="3600"
    )
    return subprocess.Popen(
        [sys.executable, "manage.py", "deliver_notifications", "--batch-size", "50"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_killed_worker_loses_nothing_and_doubles_nothing(receiver_factory):
    assert settings.DATABASES["default"]["NAME"].startswith("test_")
    receiver = receiver_factory(secret="crash", hold_at=HELD_AT)
    WebhookEndpoint.objects.create(name="hotline", url=receiver.url, secret="crash")
    user = get_user_model().objects.create_user("eve")
    for i in range(N):
        notify(event="case_claimed", recipients=[user, to.WEBHOOKS], context={"case_number": f"C{i}"}, key=f"e{i}")
    assert Notification.objects.count() == 2 * N

    worker = _worker()
    # Bounded only so that a broken worker fails the test instead of hanging it.
    assert receiver.held.wait(300), f"the worker never reached send {HELD_AT}: {worker.poll()}"
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    receiver.release.set()
    assert worker.returncode == -signal.SIGKILL
    assert len(receiver.requests) == HELD_AT  # it died mid-batch, in that send
    webhooks = Notification.objects.filter(channel="webhook")
    sent_before = webhooks.filter(status="sent").count()
    assert 0 < sent_before < HELD_AT  # earlier groups committed; the held send's group did not

    # The dead worker's lease runs out (default 5 minutes): move it into the past.
    Notification.objects.filter(locked_until__isnull=False).update(locked_until=timezone.now())
    restarted = _worker()
    out, err = restarted.communicate(timeout=120)
    assert restarted.returncode == 0, err.decode()

    rows = Notification.objects.all()
    assert rows.count() == 2 * N  # no row lost or added
    assert set(rows.values_list("status", flat=True)) == {"sent"}
    deliveries = [r["delivery"] for r in receiver.accepted()]
    assert len(set(deliveries)) == N  # every webhook arrived
    # At-least-once: exactly the sends of the group whose results were not yet committed at
    # the kill arrive twice, with the same delivery id, so the receiver drops them.
    assert len(deliveries) - N == HELD_AT - sent_before
    assert 0 < HELD_AT - sent_before <= conf.get("NOTIFICATIONS_RECORD_EVERY")
    assert DeliveryAttempt.objects.filter(ok=True).count() == 2 * N  # one recorded success per row
