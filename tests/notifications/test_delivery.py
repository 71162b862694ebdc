"""The delivery worker: in-app, retries with backoff, failure after N, every attempt recorded."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from config import scheduler
from notifications import recipients as to
from notifications.channels.sms import LocmemGateway
from notifications.delivery import backoff, deliver_due
from notifications.models import DeliveryAttempt, Notification, WebhookEndpoint
from notifications.services import notification_retry, notify

pytestmark = pytest.mark.django_db

CTX = {"case_number": "GH-2026-000007", "action_label": "受理", "url": "/cases/GH-2026-000007/"}


@pytest.fixture
def bob():
    return get_user_model().objects.create_user("bob", email="bob@example.cn")


def test_backoff_doubles_up_to_the_ceiling(settings):
    settings.NOTIFICATIONS_BACKOFF_BASE = 30
    settings.NOTIFICATIONS_BACKOFF_CEILING = 3600
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(20) == dt.timedelta(hours=1)


def test_drain_delivers_in_app_email_and_sms_once(bob):
    notify(event="deadline_breach", recipients=[bob, to.sms("13912345678")], context=CTX, key="d1")
    report = deliver_due()
    assert report.sent == 3 and report.failed == 0
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["bob@example.cn"]
    assert [m["phone"] for m in LocmemGateway.outbox] == ["13912345678"]
    assert DeliveryAttempt.objects.filter(ok=True).count() == 3
    assert deliver_due().total == 0  # nothing is sent twice
    assert len(mail.outbox) == 1 and len(LocmemGateway.outbox) == 1


def test_failing_endpoint_is_retried_then_marked_failed_and_retry_requeues(settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    WebhookEndpoint.objects.create(name="down", url="http://127.0.0.1:1/hook", secret="k")
    notify(event="case.accept", recipients=[to.WEBHOOKS], context={"case": "GH-1"}, key="w1")
    report = deliver_due()
    n = Notification.objects.get()
    assert n.status == "failed" and n.attempts == 3 and report.failed == 1 and report.retried == 2
    attempts = list(n.attempt_log.all())
    assert len(attempts) == 3 and not any(a.ok for a in attempts) and all(a.error for a in attempts)
    assert notification_retry(ids=[n.pk]) == 1
    n.refresh_from_db()
    assert n.status == "pending" and n.attempts == 0


def test_backoff_waits_before_the_next_attempt(settings):
    settings.NOTIFICATIONS_BACKOFF_BASE = 60
    WebhookEndpoint.objects.create(name="down", url="http://127.0.0.1:1/hook", secret="k")
    notify(event="case.accept", recipients=[to.WEBHOOKS], context={}, key="w2")
    assert deliver_due().retried == 1
    n = Notification.objects.get()
    assert n.status == "pending" and n.attempts == 1
    assert (n.next_attempt_at - n.attempt_log.get().at).total_seconds() == pytest.approx(60, abs=1)
    assert deliver_due().total == 0  # not due yet


def test_permanent_errors_fail_at_once():
    endpoint = WebhookEndpoint.objects.create(name="gone", url="ftp://example.cn/x", secret="k")
    notify(event="case.accept", recipients=[to.WEBHOOKS], context={}, key="w3")
    endpoint.save()
    assert deliver_due().failed == 1
    assert Notification.objects.get().attempts == 1


def test_command_scheduler_and_celery_task_drain(bob):
    notify(event="case_claimed", recipients=[bob], context=CTX, key="c1")
    call_command("deliver_notifications")
    assert Notification.objects.get().status == "sent"
    assert "deliver_notifications" in {job.name for job in scheduler.jobs()}
    assert "supervisor_digest" in {job.name for job in scheduler.jobs()}
    notify(event="case_claimed", recipients=[bob], context=CTX, key="c2")
    from notifications.tasks import deliver_notifications

    assert "sent=1" in deliver_notifications.apply().get()


def test_failed_rows_are_listed_for_admins(client, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 1
    WebhookEndpoint.objects.create(name="down", url="http://127.0.0.1:1/hook", secret="k")
    notify(event="case.accept", recipients=[to.WEBHOOKS], context={}, key="w4")
    deliver_due()
    admin = get_user_model().objects.create_superuser("root", password="pw-123456")
    client.force_login(admin)
    page = client.get("/admin/notifications/notification/?status__exact=failed")
    assert page.status_code == 200
    assert "case.accept" in page.content.decode()
