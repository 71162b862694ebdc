"""The delivery worker: claim due rows, send them, record every attempt.

Runs after commit, outside any caller's transaction: ``deliver_notifications`` (command),
the embedded scheduler (every 10 s), or the Celery task. Several workers may run at once.

Claiming: one short transaction selects due rows (``select_for_update(skip_locked=True)``
on PostgreSQL, so workers never wait on each other), then stamps them with this run's
claim token and a lease (``locked_until``) under a re-check of the same conditions, so
two workers never hold one row even where row locks do not exist (SQLite). In-app rows
are delivered inside that transaction (the row *is* the message: exactly once). Other
rows are sent after it; results are committed in small groups
(``NOTIFICATIONS_RECORD_EVERY`` sends per commit, default 20: one commit per row would
cap a worker at the disk's fsync rate).

At-least-once: a worker killed between a send and its commit leaves the rows of that
group claimed (at most ``NOTIFICATIONS_RECORD_EVERY``); when the lease runs out another
worker sends them again, with the same ``X-Casework-Delivery`` id / SMS ``ref``, so the
receiver can drop the repeat. Nothing is
lost: a row leaves ``pending`` only as ``sent``, or as ``failed`` after
``NOTIFICATIONS_MAX_ATTEMPTS`` attempts, which admins see and can retry.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import conf
from .channels import Channel, DeliveryError, build_channels
from .models import ChannelCode, DeliveryAttempt, DeliveryStatus, Notification

logger = logging.getLogger(__name__)


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.retried + self.failed

    def __str__(self) -> str:
        return f"sent={self.sent} retry={self.retried} failed={self.failed}"


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next try after ``attempts`` failures: base · 2^(n-1), at most the ceiling."""
    base = conf.get("NOTIFICATIONS_BACKOFF_BASE")
    ceiling = conf.get("NOTIFICATIONS_BACKOFF_CEILING")
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), ceiling))


def _due(now) -> Q:
    return Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now) & (
        Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    )


def claim(batch_size: int) -> tuple[list[Notification], int]:
    """Claim up to ``batch_size`` due rows; deliver the in-app ones at once.

    Returns the claimed non-in-app rows (to be sent) and the number of in-app rows delivered.
    """
    now = timezone.now()
    token = uuid.uuid4().hex
    with transaction.atomic():
        due = Notification.objects.filter(_due(now)).order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("id", flat=True)[:batch_size])
        if not ids:
            return [], 0
        lease = now + dt.timedelta(seconds=conf.get("NOTIFICATIONS_LEASE_SECONDS"))
        Notification.objects.filter(_due(now), pk__in=ids).update(claim_token=token, locked_until=lease)
        claimed = Notification.objects.filter(claim_token=token)
        in_app = list(claimed.filter(channel=ChannelCode.IN_APP).values_list("id", flat=True))
        if in_app:
            Notification.objects.filter(pk__in=in_app).update(
                status=DeliveryStatus.SENT, sent_at=now, attempts=F("attempts") + 1, locked_until=None, claim_token=""
            )
            DeliveryAttempt.objects.bulk_create([DeliveryAttempt(notification_id=pk, at=now, ok=True) for pk in in_app])
    others = list(
        Notification.objects.filter(claim_token=token).exclude(channel=ChannelCode.IN_APP).select_related("endpoint")
    )
    return others, len(in_app)


@dataclass
class _Outcome:
    n: Notification
    ok: bool
    error: str
    permanent: bool
    at: dt.datetime
    duration_ms: int


def _record(outcomes: list[_Outcome], report: DeliveryReport) -> None:
    """Commit the results of a few sends in one transaction (one commit, not one per row)."""
    if not outcomes:
        return
    max_attempts = conf.get("NOTIFICATIONS_MAX_ATTEMPTS")
    log: list[DeliveryAttempt] = []

    def attempt(o: _Outcome) -> DeliveryAttempt:
        return DeliveryAttempt(
            notification_id=o.n.pk, at=o.at, ok=o.ok, error=o.error[:2000], duration_ms=o.duration_ms
        )

    with transaction.atomic():
        # Successes: one statement for the group. Only rows whose lease is still ours: a row
        # another worker reclaimed (lease ran out) is theirs to record.
        ok = {o.n.pk: o for o in outcomes if o.ok}
        for token in {o.n.claim_token for o in ok.values()}:
            mine = list(Notification.objects.filter(pk__in=list(ok), claim_token=token).values_list("pk", flat=True))
            Notification.objects.filter(pk__in=mine).update(
                status=DeliveryStatus.SENT,
                sent_at=max(ok[pk].at for pk in mine) if mine else None,
                attempts=F("attempts") + 1,
                locked_until=None,
                claim_token="",
                last_error="",
            )
            log.extend(attempt(ok[pk]) for pk in mine)
            report.sent += len(mine)
        for o in outcomes:
            if o.ok:
                continue
            n, attempts = o.n, o.n.attempts + 1
            fields = {"attempts": attempts, "locked_until": None, "claim_token": "", "last_error": o.error[:2000]}
            if o.permanent or attempts >= max_attempts:
                fields.update(status=DeliveryStatus.FAILED)
                report.failed += 1
                logger.warning("notification %s failed for good after %s attempts: %s", n.pk, attempts, o.error)
            else:
                fields.update(next_attempt_at=o.at + backoff(attempts))
                report.retried += 1
            if Notification.objects.filter(pk=n.pk, claim_token=n.claim_token).update(**fields):
                log.append(attempt(o))
        DeliveryAttempt.objects.bulk_create(log)


def _send(n: Notification, channels: dict[str, Channel]) -> _Outcome:
    started = time.monotonic()
    ok, error, permanent = True, "", False
    try:
        channels[n.channel].send(n)
    except DeliveryError as exc:
        ok, error, permanent = False, str(exc), exc.permanent
    except Exception as exc:  # a gateway bug must not stop the batch: record it and retry later
        logger.exception("notification %s: unexpected delivery error", n.pk)
        ok, error = False, f"{type(exc).__name__}: {exc}"
    return _Outcome(n, ok, error, permanent, timezone.now(), int((time.monotonic() - started) * 1000))


def deliver_due(*, batch_size: int | None = None, max_batches: int | None = None) -> DeliveryReport:
    """Drain what is due now (batch after batch) and return what happened."""
    batch_size = batch_size or conf.get("NOTIFICATIONS_BATCH_SIZE")
    report = DeliveryReport()
    channels = build_channels()
    batches = 0
    try:
        while max_batches is None or batches < max_batches:
            rows, in_app = claim(batch_size)
            report.sent += in_app
            if not rows and not in_app:
                break
            group = conf.get("NOTIFICATIONS_RECORD_EVERY")
            outcomes: list[_Outcome] = []
            for n in rows:
                outcomes.append(_send(n, channels))
                if len(outcomes) >= group:
                    _record(outcomes, report)
                    outcomes = []
            _record(outcomes, report)
            batches += 1
    finally:
        for channel in channels.values():
            channel.close()
    return report


def deliver_notifications() -> DeliveryReport:
    """The scheduled job (embedded scheduler and Celery)."""
    return deliver_due()
