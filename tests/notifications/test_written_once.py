"""The outbox's hot-path statements written once give what the ORM gives."""

import pytest
from django.contrib.auth import get_user_model

from notifications import recipients as to
from notifications.models import ChannelPreference, Notification, WebhookEndpoint
from notifications.services import active_endpoints, channel_preferences, outbox_rows, queue

pytestmark = pytest.mark.django_db


def _fields(instances) -> list[dict]:
    return [{k: v for k, v in obj.__dict__.items() if k != "_state"} for obj in instances]


def test_active_endpoints_as_the_orm_reads_them():
    WebhookEndpoint.objects.create(name="b", url="http://127.0.0.1:9/b", secret="k", events="case.close")
    WebhookEndpoint.objects.create(name="a", url="http://127.0.0.1:9/a", secret="k")
    WebhookEndpoint.objects.create(name="c", url="http://127.0.0.1:9/c", secret="k", active=False)
    read = active_endpoints()
    assert _fields(read) == _fields(WebhookEndpoint.objects.filter(active=True))
    assert [e.name for e in read] == ["a", "b"]
    assert all(not e._state.adding for e in read)


def test_channel_preferences_as_the_orm_reads_them():
    users = [get_user_model().objects.create_user(f"u{i}") for i in range(3)]
    ChannelPreference.objects.create(user=users[0], event="case_escalated", channels=["email", "in_app"])
    ChannelPreference.objects.create(user=users[1], event="case_escalated", channels=[])
    ChannelPreference.objects.create(user=users[2], event="case_closed", channels=["sms"])
    ids = [u.pk for u in users]
    assert channel_preferences("case_escalated", ids) == {users[0].pk: ["email", "in_app"], users[1].pk: []}
    assert channel_preferences("case_escalated", ids + ids) == channel_preferences("case_escalated", ids)
    assert channel_preferences("case_escalated", []) == {}
    many = list(range(10_000, 10_100)) + [users[0].pk]  # past the written-once sizes: the ORM
    assert channel_preferences("case_escalated", many) == {users[0].pk: ["email", "in_app"]}


def test_queue_writes_the_rows_and_ignores_repeats():
    user = get_user_model().objects.create_user("alice", email="alice@example.cn")
    WebhookEndpoint.objects.create(name="12351", url="http://127.0.0.1:9/hook", secret="k")
    ctx = {"case_number": "GH-2026-000001", "action_label": "受理", "url": "/cases/GH-2026-000001/"}
    rows = outbox_rows(event="case_registered", recipients=[user, to.WEBHOOKS], context=ctx, key="k1")
    queue(rows)
    stored = {(n.recipient, n.channel): n for n in Notification.objects.all()}
    assert len(stored) == len(rows)
    for row in rows:
        got = stored[(row.recipient, row.channel)]
        for f in Notification._meta.concrete_fields:
            if not f.primary_key:
                assert getattr(got, f.attname) == getattr(row, f.attname), f.name
    queue(outbox_rows(event="case_registered", recipients=[user, to.WEBHOOKS], context=ctx, key="k1"))
    assert Notification.objects.count() == len(rows)
