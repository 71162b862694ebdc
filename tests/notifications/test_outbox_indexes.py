"""The outbox's indexes: each query that needs one reads it, and the partial ones hold only
the rows they are for (every index is paid on each of the several rows a change queues)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from notifications import delivery
from notifications.models import ChannelCode, Notification, WebhookEndpoint

from ..plans import index_plan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _plan(queryset) -> str:
    return index_plan(*queryset.query.sql_with_params())


def _index_rows(name: str) -> int:
    """Live entries of index ``name`` (the table analysed first)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE notifications_notification")
        cursor.execute("SELECT reltuples::int FROM pg_class WHERE relname = %s", [name])
        return cursor.fetchone()[0]


@pytest.fixture
def outbox():
    user = get_user_model().objects.create_user("notif_idx_user")
    endpoint = WebhookEndpoint.objects.create(name="省平台", url="http://127.0.0.1:9/hook", secret="s" * 32)
    rows = [
        Notification(key=f"k{i}", recipient=f"user:{user.pk}", channel=ChannelCode.IN_APP, event="urge", user=user)
        for i in range(30)
    ]
    rows.append(Notification(key="sms", recipient="sms:13900000000", channel=ChannelCode.SMS, event="portal_code"))
    rows.append(
        Notification(key="hook", recipient=f"webhook:{endpoint.pk}", channel=ChannelCode.WEBHOOK, event="case.urge",
                     endpoint=endpoint)
    )  # fmt: skip
    Notification.objects.bulk_create(rows)
    return user, endpoint


def test_a_claims_token_is_found_through_its_partial_index(outbox):
    assert "notif_claim" in _plan(Notification.objects.filter(claim_token="0123456789abcdef"))
    # Unclaimed rows (an empty token: all of them until a delivery holds them) are not in it.
    assert _index_rows("notif_claim") == 0
    others, in_app = delivery.claim(100)
    assert in_app == 30 and len(others) == 2
    # The rows the delivery still holds (SMS, webhook) are; the in-app ones were released.
    assert _index_rows("notif_claim") == 2


def test_an_endpoints_rows_and_the_sms_log_have_partial_indexes(outbox):
    _user, endpoint = outbox
    assert "notif_endpoint" in _plan(Notification.objects.filter(endpoint=endpoint))
    assert _index_rows("notif_endpoint") == 1
    sms_log = Notification.objects.filter(channel="sms", event__startswith="portal_").order_by("-created_at")[:50]
    assert "notif_sms_recent" in _plan(sms_log)
    assert _index_rows("notif_sms_recent") == 1
    endpoint.delete()  # its rows go with it
    assert not Notification.objects.filter(channel=ChannelCode.WEBHOOK).exists()


def test_a_users_list_and_unread_count_use_the_user_indexes(outbox):
    user, _endpoint = outbox
    mine = Notification.objects.filter(user=user, channel=ChannelCode.IN_APP)
    for query in (mine.order_by("-created_at", "-id")[:20], mine.filter(read_at__isnull=True)):
        plan = _plan(query)
        assert "notif_user_" in plan and "user_id = " in plan, plan
    # No index of the user's own: the two above begin with it.
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'notifications_notification'")
        definitions = [row[0] for row in cursor.fetchall()]
    assert not [d for d in definitions if d.endswith("(user_id)") or d.endswith("(event)")]
