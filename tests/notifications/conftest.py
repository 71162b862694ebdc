"""Real parts for notification tests: an SMTP server and an HTTP receiver on 127.0.0.1."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from notifications.channels.sms import LocmemGateway
from notifications.channels.webhook import verify


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(autouse=True)
def _sms_and_backoff(settings):
    settings.NOTIFICATIONS_SMS_BACKEND = "locmem"
    settings.NOTIFICATIONS_BACKOFF_BASE = 0  # retry at once: tests never sleep
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    LocmemGateway.outbox = []
    yield
    LocmemGateway.outbox = []


class _Collector:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append({"rcpt": list(envelope.rcpt_tos), "from": envelope.mail_from, "message": msg})
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on 127.0.0.1; Django sends to it over SMTP."""
    from aiosmtpd.controller import Controller

    handler = _Collector()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    try:
        yield handler
    finally:
        controller.stop()


class Receiver:
    """A webhook receiver: records requests, verifies signatures, can fail the first N.

    ``hold_at=k``: the k-th request is recorded (accepted, as a real receiver would have
    processed it) but not answered: its handler sets ``held`` and waits for ``release``, so
    a test knows its sender is stuck in exactly that send (no timing involved)."""

    def __init__(self, secret: str, fail_first: int = 0, delay: float = 0.0, hold_at: int = 0) -> None:
        self.secret = secret
        self.fail_first = fail_first
        self.delay = delay
        self.hold_at = hold_at
        self.held = threading.Event()
        self.release = threading.Event()
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hook"

    def accepted(self) -> list[dict]:
        return [r for r in self.requests if r["status"] == 200]

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if receiver.delay:
                    threading.Event().wait(receiver.delay)
                valid = verify(
                    receiver.secret,
                    self.headers.get("X-Casework-Timestamp", ""),
                    body,
                    self.headers.get("X-Casework-Signature", ""),
                )
                with receiver.lock:
                    failing = len(receiver.requests) < receiver.fail_first
                    status = 500 if failing else (200 if valid else 401)
                    receiver.requests.append(
                        {
                            "status": status,
                            "valid": valid,
                            "delivery": self.headers.get("X-Casework-Delivery"),
                            "event": self.headers.get("X-Casework-Event"),
                            "json": json.loads(body or b"{}"),
                        }
                    )
                    holding = len(receiver.requests) == receiver.hold_at
                if holding:
                    receiver.held.set()
                    receiver.release.wait()
                    self.close_connection = True
                    return  # its sender is gone: no answer
                answer = b"ok" if status == 200 else b"error"
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.release.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


@pytest.fixture
def receiver_factory():
    made: list[Receiver] = []

    def make(secret: str = "s3cret-key", **kwargs) -> Receiver:  # noqa: S107
        r = Receiver(secret, **kwargs).start()
        made.append(r)
        return r

    yield make
    for r in made:
        r.stop()
