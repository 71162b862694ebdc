"""notify(): rows in the caller's transaction, idempotency, channels per event and user."""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from notifications import recipients as to
from notifications.exceptions import NotificationError
from notifications.models import ChannelPreference, Notification, WebhookEndpoint
from notifications.services import notify, preference_set

pytestmark = pytest.mark.django_db

CTX = {"case_number": "GH-2026-000001", "action_label": "受理", "url": "/cases/GH-2026-000001/"}


@pytest.fixture
def alice():
    return get_user_model().objects.create_user("alice", email="alice@example.cn")


def test_rows_for_user_sms_and_webhooks(alice):
    WebhookEndpoint.objects.create(name="12351", url="http://127.0.0.1:9/hook", secret="k")
    WebhookEndpoint.objects.create(name="off", url="http://127.0.0.1:9/x", secret="k", active=False)
    WebhookEndpoint.objects.create(name="other", url="http://127.0.0.1:9/y", secret="k", events="case.close")
    count = notify(
        event="case_registered", recipients=[alice, to.sms("139-1234-5678"), to.WEBHOOKS], context=CTX, key="k1"
    )
    rows = {(n.recipient, n.channel) for n in Notification.objects.all()}
    assert count == 3
    assert rows == {(f"user:{alice.pk}", "inapp"), ("sms:13912345678", "sms"), (rows_webhook(), "webhook")}
    inapp = Notification.objects.get(channel="inapp")
    assert "GH-2026-000001" in inapp.subject and inapp.link == "/cases/GH-2026-000001/"
    assert inapp.status == "pending" and inapp.read_at is None


def rows_webhook():
    return f"webhook:{WebhookEndpoint.objects.get(name='12351').pk}"


def test_same_key_twice_queues_once(alice):
    assert notify(event="case_claimed", recipients=[alice], context=CTX, key="same") == 1
    assert notify(event="case_claimed", recipients=[alice, alice], context=CTX, key="same") == 0
    assert Notification.objects.count() == 1


def test_rollback_leaves_no_notification(alice):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(event="case_claimed", recipients=[alice, to.sms("13912345678")], context=CTX, key="rb")
        assert Notification.objects.count() == 2
        raise RuntimeError("the case change failed")
    assert Notification.objects.count() == 0


def test_preferences_choose_channels_for_optional_events(alice):
    preference_set(user=alice, event="case_claimed", channels=["inapp", "email"])
    notify(event="case_claimed", recipients=[alice], context=CTX, key="p1")
    assert set(Notification.objects.values_list("channel", flat=True)) == {"inapp", "email"}
    email_row = Notification.objects.get(channel="email")
    assert email_row.address == "alice@example.cn"
    preference_set(user=alice, event="case_claimed", channels=[])
    assert notify(event="case_claimed", recipients=[alice], context=CTX, key="p2") == 0


def test_mandatory_events_ignore_preferences(alice):
    ChannelPreference.objects.create(user=alice, event="deadline_breach", channels=[])
    notify(event="deadline_breach", recipients=[alice], context=CTX, key="m1")
    assert set(Notification.objects.values_list("channel", flat=True)) == {"inapp", "email"}
    with pytest.raises(NotificationError) as exc:
        preference_set(user=alice, event="deadline_breach", channels=[])
    assert "必收" in str(exc.value)
    with pytest.raises(NotificationError):
        preference_set(user=alice, event="case_claimed", channels=["sms"])


def test_inactive_users_and_empty_addresses_get_nothing(alice):
    alice.is_active = False
    alice.save()
    assert notify(event="case_claimed", recipients=[alice, to.sms("")], context=CTX, key="x") == 0


def test_bad_key_is_refused(alice):
    with pytest.raises(ValueError):
        notify(event="case_claimed", recipients=[alice], context=CTX, key="")
