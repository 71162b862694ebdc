"""SMS to workers through a gateway.

``NOTIFICATIONS_SMS_BACKEND``: ``console`` (development: print), ``file`` (append JSON
lines to ``NOTIFICATIONS_SMS_FILE``), ``http`` (POST ``{"phone", "text", "ref"}`` as JSON to
``NOTIFICATIONS_SMS_URL`` with ``Authorization: Bearer NOTIFICATIONS_SMS_KEY``; adapt a
vendor's API with a small relay or a gateway class of your own), ``locmem`` (tests:
``LocmemGateway.outbox``), or the dotted path of a class with ``send(phone, text, ref)``.
"""

from __future__ import annotations

import json
import sys
import threading

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from .. import conf
from ..http import HttpPoster, PostError
from ..masking import mask_phone
from ..models import ChannelCode, Notification
from ..rendering import sms_text
from .base import Channel, DeliveryError


class SmsGateway:
    def send(self, phone: str, text: str, ref: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:
        pass


class ConsoleGateway(SmsGateway):
    """Development: prints the message; the number is masked (the console is a log and
    never carries a worker's whole number)."""

    def send(self, phone: str, text: str, ref: str) -> None:
        sys.stdout.write(f"[SMS to {mask_phone(phone)}] {text}\n")


class FileGateway(SmsGateway):
    _lock = threading.Lock()

    def send(self, phone: str, text: str, ref: str) -> None:
        path = conf.get("NOTIFICATIONS_SMS_FILE") or str(settings.BASE_DIR / "var" / "sms.jsonl")
        line = json.dumps(
            {"at": timezone.now().isoformat(), "phone": phone, "text": text, "ref": ref}, ensure_ascii=False
        )
        import pathlib

        pathlib.Path(path).parent.mkdir(parents=True, exist_ok=True)
        with self._lock, open(path, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")


class LocmemGateway(SmsGateway):
    outbox: list[dict] = []

    def send(self, phone: str, text: str, ref: str) -> None:
        LocmemGateway.outbox.append({"phone": phone, "text": text, "ref": ref})


class HttpGateway(SmsGateway):
    def __init__(self) -> None:
        self.url = conf.get("NOTIFICATIONS_SMS_URL")
        self.key = conf.get("NOTIFICATIONS_SMS_KEY")
        self.http = HttpPoster()

    def send(self, phone: str, text: str, ref: str) -> None:
        if not self.url:
            raise DeliveryError("NOTIFICATIONS_SMS_URL is not set", permanent=True)
        body = json.dumps({"phone": phone, "text": text, "ref": ref}, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8", "Authorization": f"Bearer {self.key}"}
        try:
            self.http.post(self.url, body, headers)
        except PostError as exc:
            raise DeliveryError(str(exc), permanent=exc.permanent) from exc

    def close(self) -> None:
        self.http.close()


GATEWAYS = {"console": ConsoleGateway, "file": FileGateway, "locmem": LocmemGateway, "http": HttpGateway}


def get_gateway() -> SmsGateway:
    name = conf.get("NOTIFICATIONS_SMS_BACKEND")
    cls = GATEWAYS.get(name) or import_string(name)
    return cls()


class SmsChannel(Channel):
    code = ChannelCode.SMS

    def __init__(self) -> None:
        self._gateway: SmsGateway | None = None

    def send(self, notification: Notification) -> None:
        if not notification.address:
            raise DeliveryError("no phone number", permanent=True)
        if self._gateway is None:
            self._gateway = get_gateway()
        from .webhook import delivery_id

        # sms_text again: a row edited by hand still never carries an ID number.
        self._gateway.send(notification.address, sms_text(notification.body), delivery_id(notification))

    def close(self) -> None:
        if self._gateway is not None:
            self._gateway.close()
            self._gateway = None
