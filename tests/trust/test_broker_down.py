"""The broker (Redis) down: case changes still commit, notifications wait in the outbox,
and go out once the broker answers again.

The outbox is the source of truth: no request path talks to the broker (nothing is
enqueued from a view or an ``on_commit`` hook); beat (or the embedded scheduler) asks a
worker to drain the outbox. "Down" is a Redis URL on a local port nobody listens on — the
shared Redis is never stopped. "Back" is the real 127.0.0.1:6379 (skipped when it does not
answer) with a queue of this test's own; the task that beat would send goes through it and
is run as a worker would run it.
"""

from __future__ import annotations

import socket
import uuid

import pytest
from celery.app.base import Celery
from kombu.exceptions import OperationalError

from casework.models import Case
from config.celery import app
from notifications.models import DeliveryStatus, Notification
from notifications.tasks import deliver_notifications

from ..conftest import PASSWORD

REAL_REDIS = "redis://127.0.0.1:6379/0"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again on exit: nothing answers there


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _use_broker(settings, url: str) -> None:
    settings.CELERY_BROKER_URL = url
    app.conf.broker_url = url
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None  # connections and producers to the old URL are dropped
    app.amqp._producer_pool = None


@pytest.fixture
def broker(settings, monkeypatch):
    """Point the Celery app at ``url``; record every task sent."""
    sent: list[str] = []
    send_task = Celery.send_task

    def spy(self, name, *args, **kwargs):
        sent.append(name)
        return send_task(self, name, *args, **kwargs)

    monkeypatch.setattr(Celery, "send_task", spy)
    saved = app.conf.broker_url
    down = f"redis://127.0.0.1:{_closed_port()}/0"
    _use_broker(settings, down)
    yield {"sent": sent, "use": lambda url: _use_broker(settings, url)}
    _use_broker(settings, saved)
    settings.CELERY_BROKER_URL = saved


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_changes_commit_while_the_broker_is_down_and_go_out_when_it_returns(client, users, broker):
    health = client.get("/healthz")
    assert health.status_code == 503 and health.json()["broker"].startswith("error"), health.content
    with pytest.raises(OperationalError):  # the broker really is down
        deliver_notifications.apply_async(retry=False)
    broker["sent"].clear()

    # Requests: register, claim, note, escalate — every one commits.
    _login(client, users["desk"])
    response = client.post(
        "/cases/new/",
        {
            "name": "李四", "gender": "male", "phone": "13800138000", "enterprise": "DEMO-E1",
            "category": "wages", "channel": "reception_day", "summary": "拖欠两个月工资。",
            "request": "要求补发工资。", "workers_involved": "3", "consent": "on", "accept": "on",
        },
    )  # fmt: skip
    assert response.status_code == 302
    case = Case.objects.get()
    client.logout()
    _login(client, users["officer_enterprise"])
    steps = (("claim", {}), ("note", {"content": "已约谈企业。"}), ("escalate", {"reason": "企业拒不支付"}))
    for action, data in steps:
        case.refresh_from_db()
        response = client.post(f"/cases/{case.number}/act/{action}/", {"version": case.version, **data})
        assert response.status_code == 302, (action, response.status_code)
    case.refresh_from_db()
    assert case.status == "union"
    assert broker["sent"] == [], "a request path talked to the broker"

    waiting = Notification.objects.exclude(status=DeliveryStatus.SENT).exclude(channel="inapp")
    assert Notification.objects.filter(status=DeliveryStatus.PENDING).exists()
    pending = set(Notification.objects.filter(status=DeliveryStatus.PENDING).values_list("pk", flat=True))

    # The broker returns: beat's delivery task goes through it and a worker runs it.
    if not _redis_up():
        pytest.skip("Redis is not reachable at 127.0.0.1:6379: the 'broker returns' half needs it")
    broker["use"](REAL_REDIS)
    assert client.get("/healthz").json()["broker"] == "ok"
    queue = f"casework-test-{uuid.uuid4().hex[:12]}"  # never another worker's tasks
    deliver_notifications.apply_async(queue=queue, routing_key=queue)
    with app.connection_for_read() as conn:
        inbox = conn.SimpleQueue(queue)
        try:
            message = inbox.get(timeout=10)
            name = message.headers["task"]
            message.ack()
        finally:
            inbox.close()
            conn.default_channel.queue_delete(queue)
    assert name == "notifications.deliver_notifications"
    app.tasks[name].apply().get()  # what the worker does with it

    assert not Notification.objects.filter(pk__in=pending).exclude(status=DeliveryStatus.SENT).exists(), list(
        waiting.values_list("event", "channel", "status", "last_error")
    )
