"""Writes: queue notifications (the outbox), mark them read, set preferences, retry.

``notify`` is the one entry point for other apps. It only writes rows, in the caller's
transaction: if the caller rolls back, nothing was queued; nothing is sent from here.
Delivery happens after commit (``notifications.delivery``).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
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


# Up to this many rows ``queue`` writes its ``INSERT`` itself (PostgreSQL).
QUEUE_DIRECT_MAX_ROWS = 100


def queue(rows: Iterable[Notification | dict], *, execute=None) -> None:
    """Insert outbox rows in one statement (repeats are ignored): unsaved ``Notification``
    instances (``outbox_rows``) or their field dicts (``outbox_fields``).
    ``execute(sql, params)``: how to send that statement, when the caller batches its
    writes (``casework.services._sql.defer``); nothing is read back from it."""
    rows = list(rows)
    if not rows:
        return
    if connection.vendor != "postgresql" or len(rows) > QUEUE_DIRECT_MAX_ROWS:
        rows = [Notification(**row) if isinstance(row, dict) else row for row in rows]
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        return
    # ``bulk_create``'s statement and values, without building its query per call (~1 ms
    # of Python for the few rows of one case event; every write path queues some).
    params = [value for row in rows for value in _row_values(row)]
    if execute is not None:
        execute(_queue_sql(len(rows)), params)
        return
    with connection.cursor() as cursor:
        cursor.execute(_queue_sql(len(rows)), params)


@functools.cache
def _queue_fields() -> tuple:
    return tuple(f for f in Notification._meta.concrete_fields if not f.primary_key)


@functools.cache
def _row_plan() -> tuple:
    """Per outbox column: its attname, its default (``_CALL`` when computed per row),
    whether the field always prepares the value (JSON) and the field."""
    return tuple(
        (f.attname, _CALL if callable(f.default) else f.get_default(), f.get_internal_type() == "JSONField", f)
        for f in _queue_fields()
    )


_CALL = object()
_AS_IS = {str, int, bool, dt.datetime}


def _row_values(row: Notification | dict) -> list:
    """The ``_queue_fields`` values of an outbox row, as the database takes them (the field
    prepares only what is not a plain ``str``, ``int``, ``bool``, ``datetime`` or ``None``)."""
    out = []
    for attname, default, prepared, f in _row_plan():
        if isinstance(row, dict):
            value = row.get(attname, default)
            if value is _CALL:
                value = f.get_default()
        else:
            value = getattr(row, attname)
        if prepared or not (value is None or type(value) in _AS_IS):
            value = f.get_db_prep_save(value, connection)  # JSON; a lazy text, a date, …
        out.append(value)
    return out



@functools.lru_cache(maxsize=QUEUE_DIRECT_MAX_ROWS)
def _queue_sql(count: int) -> str:
    qn = connection.ops.quote_name
    fields = _queue_fields()
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    return (
        f"INSERT INTO {qn(Notification._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES {', '.join([one] * count)} ON CONFLICT DO NOTHING"
    )


# Fewer rows than this are not worth a temporary table (``queue_many``).
COPY_MIN_ROWS = 200


def queue_many(rows: Iterable[Notification | dict], *, new_keys: bool = False) -> None:
    """``queue`` for thousands of rows at once (the deadline sweep's batches): unsaved
    ``Notification`` instances or the field dicts of ``outbox_fields``.

    On PostgreSQL (psycopg 3) the rows go in with ``COPY``, about three times faster than
    ``bulk_create``'s ``INSERT`` because no per-field preparation runs in Python (the
    columns are strings, numbers and aware timestamps; JSON is prepared by its field):
    into a temporary table, then one ``INSERT … SELECT … ON CONFLICT DO NOTHING`` (repeats
    ignored, as ``queue``); with ``new_keys`` straight into the outbox, for rows whose keys
    cannot exist yet (they carry a case version taken under the case row lock in this
    transaction), where a repeat is an error instead. Elsewhere, and for a few rows, ``queue``.
    """
    rows = list(rows)
    if len(rows) < COPY_MIN_ROWS or connection.vendor != "postgresql":
        queue(rows)
        return
    fields = _queue_fields()
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(Notification._meta.db_table)
    with connection.cursor() as cursor:
        if not new_keys:
            cursor.execute(
                "CREATE TEMPORARY TABLE IF NOT EXISTS notifications_queue_stage ON COMMIT DROP AS "  # noqa: S608
                f"SELECT {columns} FROM {table} WITH NO DATA"  # names from the model
            )
        target = table if new_keys else "notifications_queue_stage"
        # ``wrap_database_errors``: a COPY error is Django's (IntegrityError, …) like the others.
        with connection.wrap_database_errors, cursor.cursor.copy(f"COPY {target} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(_row_values(row))
        if not new_keys:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM notifications_queue_stage "  # noqa: S608
                "ON CONFLICT DO NOTHING"
            )
            cursor.execute("TRUNCATE notifications_queue_stage")


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
    """``outbox_rows`` as field dicts (``attname`` → value, the other fields at their
    defaults), which ``queue_many`` inserts without building a model instance per row."""
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
            payload = _webhook_payload(event, key, context, now)
            if endpoints is None:
                endpoints = active_endpoints()
            for endpoint in endpoints:
                if endpoint.subscribes(event):
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


# --- the two reads of every queued event, written once (the ORM built them per call:
# ~0.8 ms of Python for two statements that take the database ~0.1 ms) ----------------


def _converters(model, names: list[str]) -> list[list]:
    """The backend's converters of each column (what the ORM applies to a row it reads)."""
    out = []
    for name in names:
        col = model._meta.get_field(name).get_col(model._meta.db_table)
        out.append([(conv, col) for conv in connection.ops.get_db_converters(col) + col.get_db_converters(connection)])
    return out


def _convert(row, converters: list[list]) -> list:
    values = list(row)
    for i, convs in enumerate(converters):
        for conv, col in convs:
            values[i] = conv(values[i], col, connection)
    return values


@functools.cache
def _endpoints_sql(vendor: str) -> tuple[str, list[str], list[list]]:
    qn = connection.ops.quote_name
    fields = WebhookEndpoint._meta.concrete_fields
    columns = ", ".join(qn(f.column) for f in fields)
    table = qn(WebhookEndpoint._meta.db_table)
    sql = f"SELECT {columns} FROM {table} WHERE {qn('active')} ORDER BY {qn('name')} ASC"  # noqa: S608
    return sql, [f.attname for f in fields], _converters(WebhookEndpoint, [f.name for f in fields])


def active_endpoints() -> list[WebhookEndpoint]:
    """``list(WebhookEndpoint.objects.filter(active=True))`` (in the model's order, by name)."""
    with connection.cursor() as cursor:
        cursor.execute(active_endpoints_sql())
        return endpoints_from(cursor.fetchall())


def active_endpoints_sql() -> str:
    """``active_endpoints``' statement, for a caller that sends it with others; ``endpoints_from``
    turns its rows into the endpoints."""
    return _endpoints_sql(connection.vendor)[0]


def endpoints_from(rows: list) -> list[WebhookEndpoint]:
    _sql, attnames, converters = _endpoints_sql(connection.vendor)
    return [WebhookEndpoint.from_db(connection.alias, attnames, _convert(row, converters)) for row in rows]


@functools.lru_cache(maxsize=256)
def _prefs_sql(vendor: str, events_: int, users: int, also: str = "") -> tuple[str, list[list]]:
    qn = connection.ops.quote_name
    table = qn(ChannelPreference._meta.db_table)
    who = f"{qn('user_id')} IN ({', '.join(['%s'] * users)})" if users else ""
    if also:
        who = f"({who} OR {qn('user_id')} IN ({also}))" if who else f"{qn('user_id')} IN ({also})"
    sql = (
        f"SELECT {qn('event')}, {qn('user_id')}, {qn('channels')} FROM {table} "  # noqa: S608 - names from the model
        f"WHERE {qn('event')} IN ({', '.join(['%s'] * events_)}) AND {who}"
    )
    return sql, _converters(ChannelPreference, ["event", "user", "channels"])


# Up to this many users the statement is written once per shape; more go through the ORM.
PREFS_DIRECT_MAX_USERS = 64


def channel_preferences(event: str, user_ids: list[int]) -> dict[int, list[str]]:
    """The users' chosen channels for ``event`` (user id → channels; none chosen: absent)."""
    return channel_preferences_of({event: user_ids}).get(event, {})


def preferences_read(events_: list[str], user_ids: list[int], also: tuple[str, list] | None = None) -> tuple:
    """The statement reading the channel preferences of ``events_`` for ``user_ids`` and,
    with ``also`` (SQL of a subquery of user ids, its parameters), for those users too:
    ``(sql, params, converters)``, for a caller that sends it with other reads and hands
    the rows to ``preferences_from``. Written once per shape (at most
    ``PREFS_DIRECT_MAX_USERS`` users)."""
    also_sql, also_params = also if also is not None else ("", [])
    sql, converters = _prefs_sql(connection.vendor, len(events_), len(user_ids), also_sql)
    return sql, [*events_, *user_ids, *also_params], converters


def preferences_from(rows, converters, wanted: dict[str, list[int]]) -> dict[str, dict[int, list[str]]]:
    """What ``channel_preferences_of(wanted)`` returns, from the rows of a read of at least
    those events and users (``preferences_read``)."""
    out: dict[str, dict[int, list[str]]] = {event: {} for event, ids in wanted.items() if ids}
    members = {event: set(ids) for event, ids in wanted.items()}
    for row in rows:
        event, user_id, channels = _convert(row, converters)
        if user_id in members.get(event, ()):
            out[event][user_id] = channels
    return out


def channel_preferences_of(wanted: dict[str, list[int]]) -> dict[str, dict[int, list[str]]]:
    """``channel_preferences`` of several events at once (event → user ids): one query,
    written once per shape for a few users (the ORM built it per call: ~0.4 ms of Python on
    every recorded change)."""
    wanted = {event: list(dict.fromkeys(ids)) for event, ids in wanted.items() if ids}
    if not wanted:
        return {}
    events_ = list(wanted)
    user_ids = list(dict.fromkeys(pk for ids in wanted.values() for pk in ids))
    if len(user_ids) > PREFS_DIRECT_MAX_USERS:
        chosen = ChannelPreference.objects.filter(event__in=events_, user_id__in=user_ids)
        rows = list(chosen.values_list("event", "user_id", "channels"))
        converters: list[list] = [[], [], []]
    else:
        sql, params, converters = preferences_read(events_, user_ids)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
    return preferences_from(rows, converters, wanted)


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
