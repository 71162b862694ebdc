"""Writes: queue notifications (the outbox), mark them read, set preferences, retry.

``notify`` is the one entry point for other apps. It only writes rows, in the caller's
transaction: if the caller rolls back, nothing was queued; nothing is sent from here.
Delivery happens after commit (``notifications.delivery``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import events
from .exceptions import NotificationError
from .models import ChannelCode, ChannelPreference, DeliveryStatus, Notification, WebhookEndpoint
from .recipients import WEBHOOKS, Address, is_user
from .rendering import render_message

MAX_KEY = 150


def notify(*, event: str, recipients: Iterable, context: dict, key: str) -> int:
    """Queue ``event`` for ``recipients``; returns how many rows were new.

    ``key`` identifies the event occurrence (e.g. ``"GH-2026-000001:v3:task_queued"``):
    with the recipient and channel it is the idempotency key, so calling ``notify``
    twice for the same occurrence queues each message once.
    ``context`` feeds the templates; ``context["url"]`` becomes the in-app link. It is
    also the JSON payload of webhooks, so it must not hold personal data.
    """
    rows = outbox_rows(event=event, recipients=recipients, context=context, key=key)
    if not rows:
        return 0
    before = Notification.objects.filter(key=key).count()
    queue(rows)
    return Notification.objects.filter(key=key).count() - before


# Rows per INSERT (a sweep batch queues thousands).
QUEUE_BATCH_SIZE = 1000


def queue(rows: Iterable[Notification | dict]) -> None:
    """Insert outbox rows (repeats of a key, recipient and channel are ignored): unsaved
    ``Notification`` instances (``outbox_rows``) or their field dicts (``outbox_fields``)."""
    rows = [Notification(**row) if isinstance(row, dict) else row for row in rows]
    if rows:
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=QUEUE_BATCH_SIZE)


def outbox_rows(
    *,
    event: str,
    recipients: Iterable,
    context: dict,
    key: str,
    endpoints: list | None = None,
    prefs: dict[int, list[str]] | None = None,
) -> list[Notification]:
    """The unsaved outbox rows ``notify`` would queue (``queue`` inserts them).

    ``endpoints``: the active webhook endpoints, when the caller already read them.
    ``prefs``: the recipients' ``ChannelPreference`` channels for ``event`` (user id →
    channels), when the caller already read them (a batch of events).
    """
    fields = outbox_fields(
        event=event, recipients=recipients, context=context, key=key, endpoints=endpoints, prefs=prefs
    )
    return [Notification(**row) for row in fields]


def outbox_fields(
    *,
    event: str,
    recipients: Iterable,
    context: dict,
    key: str,
    endpoints: list | None = None,
    prefs: dict[int, list[str]] | None = None,
) -> list[dict]:
    """``outbox_rows`` as field dicts (``attname`` → value, the other fields at their defaults)."""
    if not key or len(key) > MAX_KEY:
        raise ValueError(f"notification key must be 1..{MAX_KEY} characters")
    spec = events.spec(event)
    recipients = list(recipients)
    users = [r for r in recipients if is_user(r) and r.is_active]
    if prefs is None:
        prefs = {}
        if users and not spec.mandatory:
            prefs = channel_preferences(event, [u.pk for u in users])
    rendered: dict[str, tuple[str, str]] = {}

    def text(channel: str) -> tuple[str, str]:
        if channel not in rendered:
            rendered[channel] = render_message(event, channel, context)
        return rendered[channel]

    now = timezone.now()
    link = str(context.get("url", ""))[:300]
    rows: dict[tuple[str, str], dict] = {}

    def add(recipient: str, channel: str, **fields) -> None:
        if (recipient, channel) in rows:
            return
        if channel == ChannelCode.WEBHOOK:
            subject, body = "", ""
        else:
            subject, body = text(channel)
        rows[(recipient, channel)] = dict(
            key=key,
            recipient=recipient[:200],
            channel=channel,
            event=event,
            subject=subject,
            body=body,
            link=link,
            created_at=now,
            next_attempt_at=now,
            **fields,
        )

    for r in recipients:
        if r is WEBHOOKS:
            if endpoints is None:
                endpoints = active_endpoints()
            subscribed = [endpoint for endpoint in endpoints if endpoint.subscribes(event)]
            # The JSON payload only when an endpoint takes it (the sweep queues thousands of events).
            payload = _webhook_payload(event, key, context, now) if subscribed else None
            for endpoint in subscribed:
                add(f"webhook:{endpoint.pk}", ChannelCode.WEBHOOK, endpoint_id=endpoint.pk, payload=payload)
        elif isinstance(r, Address):
            if r.to:
                add(r.recipient, r.channel, address=r.to)
        elif is_user(r):
            if not r.is_active:
                continue
            channels = spec.default if spec.mandatory or r.pk not in prefs else prefs[r.pk]
            for channel in channels:
                if channel not in spec.allowed and channel not in spec.default:
                    continue
                if channel == ChannelCode.EMAIL:
                    if r.email:
                        add(f"user:{r.pk}", channel, user_id=r.pk, address=r.email)
                else:
                    add(f"user:{r.pk}", channel, user_id=r.pk)
        elif r is not None:
            raise TypeError(f"not a notification recipient: {r!r}")
    return list(rows.values())


def active_endpoints() -> list[WebhookEndpoint]:
    return list(WebhookEndpoint.objects.filter(active=True))


def channel_preferences(event: str, user_ids: list[int]) -> dict[int, list[str]]:
    """The users' chosen channels for ``event`` (user id → channels; none chosen: absent)."""
    return channel_preferences_of({event: user_ids}).get(event, {})


def channel_preferences_of(wanted: dict[str, list[int]]) -> dict[str, dict[int, list[str]]]:
    """``channel_preferences`` of several events at once (event → user ids), in one query."""
    wanted = {event: set(ids) for event, ids in wanted.items() if ids}
    if not wanted:
        return {}
    out: dict[str, dict[int, list[str]]] = {event: {} for event in wanted}
    user_ids = set().union(*wanted.values())
    chosen = ChannelPreference.objects.filter(event__in=list(wanted), user_id__in=user_ids)
    for event, user_id, channels in chosen.values_list("event", "user_id", "channels"):
        if user_id in wanted[event]:
            out[event][user_id] = channels
    return out


def _webhook_payload(event: str, key: str, context: dict, now) -> dict:
    data = json.loads(json.dumps(context, cls=DjangoJSONEncoder, ensure_ascii=False))
    return {"event": event, "key": key, "occurred_at": now.isoformat(), "data": data}


# --- the reader's side ------------------------------------------------------------


def notification_mark_read(*, user, notification_id) -> Notification:
    """Mark one of the user's in-app notifications read (idempotent)."""
    try:
        pk = int(notification_id)
    except (TypeError, ValueError):
        raise NotificationError(_("通知不存在。"), status=404) from None
    with transaction.atomic():
        n = Notification.objects.select_for_update().filter(pk=pk, user=user, channel=ChannelCode.IN_APP).first()
        if n is None:
            raise NotificationError(_("通知不存在。"), status=404)
        if n.read_at is None:
            n.read_at = timezone.now()
            n.save(update_fields=["read_at"])
        return n


def notification_mark_many_read(*, user, ids: Iterable) -> int:
    """Mark the user's own in-app notifications among ``ids`` read (a grouped line of the
    bell: the same case and kind). Ids that are not numbers, or none of the user's, are
    ``NotificationError`` 404; already read ones are left as they were."""
    try:
        pks = {int(i) for i in ids}
    except (TypeError, ValueError):
        raise NotificationError(_("通知不存在。"), status=404) from None
    if not pks or len(pks) > 500:
        raise NotificationError(_("通知不存在。"), status=404)
    mine = Notification.objects.filter(pk__in=pks, user=user, channel=ChannelCode.IN_APP)
    if not mine.exists():
        raise NotificationError(_("通知不存在。"), status=404)
    return mine.filter(read_at__isnull=True).update(read_at=timezone.now())


def notification_mark_all_read(*, user) -> int:
    return Notification.objects.filter(user=user, channel=ChannelCode.IN_APP, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preference_set(*, user, event: str, channels: Iterable[str]) -> ChannelPreference:
    """A user's channels for a non-mandatory event; mandatory events cannot be changed."""
    spec = events.EVENTS.get(event)
    if spec is None:
        raise NotificationError(_("未知的通知事件。"))
    if spec.mandatory:
        raise NotificationError(_("“%(event)s”为必收通知，不能更改。") % {"event": spec.label})
    channels = list(dict.fromkeys(channels))
    bad = [c for c in channels if c not in spec.allowed]
    if bad:
        raise NotificationError(_("不支持的通知方式：%(codes)s。") % {"codes": "、".join(bad)})
    pref, _created = ChannelPreference.objects.update_or_create(user=user, event=event, defaults={"channels": channels})
    return pref


def notification_retry(*, ids: Iterable[int]) -> int:
    """Admins: put failed notifications back in the queue for a new round of attempts."""
    return Notification.objects.filter(pk__in=list(ids), status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        locked_until=None,
        claim_token="",
    )
