"""Who a notification goes to: users (auth users), or explicit addresses.

``notify(recipients=[user, sms("139..."), email("a@b.cn"), WEBHOOKS])``: a user gets the
channels of the event (and their preferences); an ``Address`` is used as given;
``WEBHOOKS`` fans out to every active endpoint subscribed to the event.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import ChannelCode


@dataclass(frozen=True)
class Address:
    channel: str
    to: str

    @property
    def recipient(self) -> str:
        return f"{self.channel}:{self.to}"


class _Webhooks:
    def __repr__(self) -> str:
        return "WEBHOOKS"


WEBHOOKS = _Webhooks()


def sms(phone: str) -> Address:
    return Address(ChannelCode.SMS, "".join(ch for ch in str(phone) if ch.isdigit() or ch == "+"))


def email(address: str) -> Address:
    return Address(ChannelCode.EMAIL, str(address).strip())


def is_user(obj) -> bool:
    return hasattr(obj, "get_username") and getattr(obj, "pk", None) is not None
