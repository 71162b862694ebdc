"""Idempotency keys (``Idempotency-Key`` on the API's POSTs): look up, store, purge.

The API's ``idempotent`` decorator (``idempotency/decorators.py``) calls these inside the
transaction of the request's write, so a stored key always means a committed write.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from .models import IdempotencyKey


def idempotency_ttl() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "API_IDEMPOTENCY_TTL_HOURS", 24))


def idempotency_key_find(*, user, key: str) -> IdempotencyKey | None:
    """The live record of ``key`` for ``user``, locked (a stale one is deleted: it no longer counts)."""
    record = IdempotencyKey.objects.select_for_update().filter(user=user, key=key).first()
    if record is not None and record.created_at <= timezone.now() - idempotency_ttl():
        record.delete()
        return None
    return record


def idempotency_key_store(*, user, key: str, fingerprint: str, status: int, body) -> IdempotencyKey:
    return IdempotencyKey.objects.create(
        user=user, key=key, fingerprint=fingerprint, status=status, body=body, created_at=timezone.now()
    )


def idempotency_keys_purge() -> int:
    """Delete the keys older than the TTL (24 h by default); the periodic job calls this."""
    deleted, _rows = IdempotencyKey.objects.filter(created_at__lte=timezone.now() - idempotency_ttl()).delete()
    return deleted
