"""Outgoing webhooks: JSON case events POSTed to endpoints set up in admin, HMAC-signed.

Headers: ``X-Casework-Event``, ``X-Casework-Delivery`` (the idempotency key: the same for
every retry of one message, so receivers can drop a repeat after a crash),
``X-Casework-Timestamp`` and ``X-Casework-Signature: sha256=<hex>`` where the hex is
HMAC-SHA256 with the endpoint's secret over ``"<timestamp>.<raw body>"``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from ..http import HttpPoster, PostError
from ..models import ChannelCode, Notification
from .base import Channel, DeliveryError


def delivery_id(notification: Notification) -> str:
    raw = f"{notification.key}|{notification.recipient}|{notification.channel}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, timestamp: str, body: bytes, signature: str, *, tolerance: int | None = 300) -> bool:
    """For receivers (and tests): the signature matches and the timestamp is recent."""
    if tolerance is not None:
        try:
            if abs(time.time() - int(timestamp)) > tolerance:
                return False
        except ValueError:
            return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature or "")


class WebhookChannel(Channel):
    code = ChannelCode.WEBHOOK

    def __init__(self) -> None:
        self.http = HttpPoster()

    def send(self, notification: Notification) -> None:
        endpoint = notification.endpoint
        if endpoint is None or not endpoint.active:
            raise DeliveryError("webhook endpoint removed or disabled", permanent=True)
        ident = delivery_id(notification)
        payload = dict(notification.payload or {}, id=ident)
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "casework-webhooks/1",
            "X-Casework-Event": notification.event,
            "X-Casework-Delivery": ident,
            "X-Casework-Timestamp": timestamp,
            "X-Casework-Signature": sign(endpoint.secret, timestamp, body),
        }
        try:
            self.http.post(endpoint.url, body, headers)
        except PostError as exc:
            raise DeliveryError(str(exc), permanent=exc.permanent) from exc

    def close(self) -> None:
        self.http.close()
