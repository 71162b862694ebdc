"""Channels behind one interface (``base``): ``channel.send(notification)`` delivers or raises."""

from __future__ import annotations

from ..models import ChannelCode
from .base import Channel, DeliveryError, InAppChannel
from .email import EmailChannel
from .sms import SmsChannel
from .webhook import WebhookChannel

__all__ = ["Channel", "DeliveryError", "build_channels"]


def build_channels() -> dict[str, Channel]:
    return {
        ChannelCode.IN_APP: InAppChannel(),
        ChannelCode.EMAIL: EmailChannel(),
        ChannelCode.SMS: SmsChannel(),
        ChannelCode.WEBHOOK: WebhookChannel(),
    }
