"""E-mail through Django's mail framework (``EMAIL_BACKEND``; SMTP in production)."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from ..models import ChannelCode, Notification
from .base import Channel, DeliveryError


class EmailChannel(Channel):
    code = ChannelCode.EMAIL

    def __init__(self) -> None:
        self._connection = None

    def send(self, notification: Notification) -> None:
        if not notification.address:
            raise DeliveryError("no e-mail address", permanent=True)
        if self._connection is None:
            self._connection = get_connection(fail_silently=False)
        message = EmailMessage(
            subject=notification.subject,
            body=notification.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.address],
            connection=self._connection,
            headers={"X-Casework-Key": notification.key},
        )
        try:
            message.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            self.close()
            raise DeliveryError(f"recipient refused: {exc}", permanent=True) from exc
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception:  # noqa: S110  (a broken connection is being dropped anyway)
                pass
            self._connection = None
