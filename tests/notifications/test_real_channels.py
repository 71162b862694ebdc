"""E-mail through a real SMTP server, webhooks to a real HTTP server (both on 127.0.0.1)."""

import pytest
from django.contrib.auth import get_user_model

from notifications import recipients as to
from notifications.delivery import deliver_due
from notifications.models import Notification, WebhookEndpoint
from notifications.services import notify

pytestmark = pytest.mark.django_db

CTX = {
    "case_number": "GH-2026-000042",
    "action_label": "红色预警",
    "reason": "企业层面办理已超期",
    "url": "/cases/GH-2026-000042/",
}


def test_email_arrives_over_smtp_with_recipient_subject_and_body(smtp_server, settings):
    settings.NOTIFICATIONS_SITE_URL = "https://gh.example.cn"
    u1 = get_user_model().objects.create_user("u1", email="zhang@example.cn")
    u2 = get_user_model().objects.create_user("u2", email="li@example.cn")
    notify(event="deadline_breach", recipients=[u1, u2], context=CTX, key="mail-1")
    report = deliver_due()
    assert report.sent == 4 and report.failed == 0  # two in-app, two e-mails
    assert sorted(m["rcpt"][0] for m in smtp_server.messages) == ["li@example.cn", "zhang@example.cn"]
    msg = smtp_server.messages[0]["message"]
    assert msg["Subject"].strip() == "红色预警：案件 GH-2026-000042 已超过办理期限"
    body = msg.get_content()
    assert "请立即办理" in body and "企业层面办理已超期" in body
    assert "https://gh.example.cn/cases/GH-2026-000042/" in body
    assert smtp_server.messages[0]["from"] == settings.DEFAULT_FROM_EMAIL


def test_email_to_a_dead_smtp_server_is_retried(settings):
    from .conftest import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    settings.NOTIFICATIONS_BACKOFF_BASE = 60
    u = get_user_model().objects.create_user("u3", email="wang@example.cn")
    notify(event="supervise", recipients=[u], context=CTX, key="mail-2")
    deliver_due()
    row = Notification.objects.get(channel="email")
    assert row.status == "pending" and row.attempts == 1 and "Connection" in row.last_error


def test_webhook_is_signed_and_three_failures_then_success_deliver_exactly_once(receiver_factory):
    receiver = receiver_factory(secret="hotline-secret", fail_first=3)
    WebhookEndpoint.objects.create(name="12351", url=receiver.url, secret="hotline-secret")
    notify(
        event="case.escalate",
        recipients=[to.WEBHOOKS],
        context={"case": "GH-2026-000042", "status": "union"},
        key="GH-2026-000042:v3:case.escalate",
    )
    report = deliver_due()
    assert report.sent == 1 and report.retried == 3
    assert [r["status"] for r in receiver.requests] == [500, 500, 500, 200]
    assert all(r["valid"] for r in receiver.requests)  # the signature verifies on every try
    assert len({r["delivery"] for r in receiver.requests}) == 1  # one idempotency id for all tries
    accepted = receiver.accepted()
    assert len(accepted) == 1
    assert accepted[0]["json"]["event"] == "case.escalate"
    assert accepted[0]["json"]["data"] == {"case": "GH-2026-000042", "status": "union"}
    row = Notification.objects.get()
    assert row.status == "sent" and row.attempts == 4
    assert [a.ok for a in row.attempt_log.all()] == [False, False, False, True]
    deliver_due()
    assert len(receiver.requests) == 4  # nothing more is sent


def test_wrong_secret_is_rejected_by_the_receiver(receiver_factory, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    receiver = receiver_factory(secret="right")
    WebhookEndpoint.objects.create(name="x", url=receiver.url, secret="wrong")
    notify(event="case.close", recipients=[to.WEBHOOKS], context={}, key="sig")
    deliver_due()
    assert {r["valid"] for r in receiver.requests} == {False}
    assert Notification.objects.get().status == "failed"


def test_sms_http_gateway_posts_phone_and_text_with_key(settings):
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    got = []

    class Gateway(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            got.append(
                (self.headers["Authorization"], json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            )
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.NOTIFICATIONS_SMS_BACKEND = "http"
        settings.NOTIFICATIONS_SMS_URL = f"http://127.0.0.1:{server.server_address[1]}/sms"
        settings.NOTIFICATIONS_SMS_KEY = "gw-key"
        notify(event="case_registered", recipients=[to.sms("13912345678")], context=CTX, key="sms-http")
        assert deliver_due().sent == 1
    finally:
        server.shutdown()
        server.server_close()
    auth, payload = got[0]
    assert auth == "Bearer gw-key" and payload["phone"] == "13912345678"
    assert payload["text"].startswith("【职工诉求】") and "GH-2026-000042" in payload["text"]
