"""The channel interface: ``channel.send(notification)`` delivers or raises.

``DeliveryError(permanent=True)`` means retrying cannot help (no address, endpoint
disabled); anything else is retried with backoff. A channel object lives for one
delivery run, so it may keep connections open between messages; ``close()`` ends them.
"""

from __future__ import annotations

from ..models import ChannelCode, Notification


class DeliveryError(Exception):
    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class Channel:
    code: str = ""

    def send(self, notification: Notification) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:
        pass


class InAppChannel(Channel):
    """The row is the message: committing it made it visible in the bell."""

    code = ChannelCode.IN_APP

    def send(self, notification: Notification) -> None:
        return None
