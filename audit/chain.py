"""Write and verify the per-case hash chain (see ``models.AuditLink``).

Digest of a link = HMAC-SHA256(key, previous digest + canonical JSON of the history row as
stored). The key is ``AUDIT_CHAIN_KEY`` (default: ``SECRET_KEY``): someone who can write to
the database but does not hold the key cannot forge a consistent chain after tampering.
Keep the key with the backups: a restore verified under another key reports every case.

Race conditions: a link is appended under the case row lock the services hold
(``casework.services._core.locked_case``), so one case's links are written one at a time;
the unique ``(case_id, seq)`` constraint turns any writer that bypassed the lock into an
error instead of a fork.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from uuid import UUID

from django.conf import settings
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.services import _sql

GENESIS = "0" * 64


def history_model():
    from casework.models import Case

    return Case.history.model


def _key() -> bytes:
    return (getattr(settings, "AUDIT_CHAIN_KEY", "") or settings.SECRET_KEY).encode()


def _plain(value):
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


def digest(prev_hash: str, row: dict, fields: list[str]) -> str:
    """The digest of one history row (a ``values()`` dict, as read from the database)."""
    body = json.dumps({k: _plain(row.get(k)) for k in fields}, sort_keys=True, ensure_ascii=False)
    return hmac.new(_key(), f"{prev_hash}|{body}".encode(), hashlib.sha256).hexdigest()


def append(history_id: int, *, model=None, link_model=None) -> None:
    """Link one new history row to its case's chain (inside the writing transaction).

    ``model``/``link_model`` let a migration pass its historical models.
    """
    if link_model is None:
        from .models import AuditLink as link_model
    model = model or history_model()
    # One round trip: the row as stored and the case's last link (two indexed subqueries).
    last = link_model.objects.filter(case_id=OuterRef("id")).order_by("-seq")
    row = (
        model.objects.filter(history_id=history_id)
        .annotate(_chain_seq=Subquery(last.values("seq")[:1]), _chain_hash=Subquery(last.values("hash")[:1]))
        .values()
        .get()
    )
    last_seq, last_hash = row.pop("_chain_seq"), row.pop("_chain_hash")
    fields = sorted(row)
    seq, prev = (last_seq + 1, last_hash) if last_seq is not None else (1, GENESIS)
    link_model.objects.create(
        case_id=row["id"],
        seq=seq,
        history_id=history_id,
        prev_hash=prev,
        hash=digest(prev, row, fields),
        fields=",".join(fields),
    )


def _as_stored(model, history_instance) -> dict:
    """The row as the database now holds it, from the instance simple_history just saved:
    each value through its field's ``to_python`` (what a read gives back: ``str`` for text,
    ``int`` for keys); ``verify`` recomputes every digest from the stored rows."""
    row = {}
    for f in model._meta.concrete_fields:
        value = getattr(history_instance, f.attname)
        row[f.attname] = None if value is None else f.to_python(value)
    return row


# The case's last link (seq, digest) as this service call last knew it: read with the case
# row lock (``lock_annotation``) and kept on the case instance after each append.
TIP = "_audit_chain_tip"
LOCKED_TIP = "audit_chain_tip"  # the annotation's name on the locked case


def lock_column(case_alias: str) -> str:
    """``casework.services._core.locked_case`` reads the chain's tip (``seq|digest``) with
    the case row."""
    from .models import AuditLink

    qn = connection.ops.quote_name
    return (
        f"SELECT CAST({qn('seq')} AS VARCHAR(12)) || '|' || {qn('hash')} FROM {qn(AuditLink._meta.db_table)} "  # noqa: S608
        f"WHERE {qn('case_id')} = {case_alias}.{qn('id')} ORDER BY {qn('seq')} DESC LIMIT 1"
    )


def _known_tip(instance, history_type: str) -> tuple[int, str] | None:
    if history_type == "+":  # the case row was just inserted: no link can exist
        return (0, GENESIS)
    if instance is None:
        return None
    if LOCKED_TIP in instance.__dict__:
        locked = instance.__dict__.pop(LOCKED_TIP)
        if locked is None:
            return (0, GENESIS)
        seq, _, digest_ = locked.partition("|")
        return (int(seq), digest_)
    return instance.__dict__.get(TIP)


@cache
def _guarded_insert_sql(genesis: bool) -> str:
    """Insert the link only if the chain's tip is still the one it was computed from (else
    nothing is inserted and the caller reads the tip): a stale tip can never fork the chain."""
    from .models import AuditLink

    qn = connection.ops.quote_name
    table = qn(AuditLink._meta.db_table)
    cols = ", ".join(qn(c) for c in ("case_id", "seq", "history_id", "prev_hash", "hash", "fields", "created_at"))
    case_id, seq, digest_col = qn("case_id"), qn("seq"), qn("hash")
    if genesis:
        guard = f"NOT EXISTS (SELECT 1 FROM {table} WHERE {case_id} = %s)"  # noqa: S608
    else:
        guard = (
            f"(SELECT MAX({seq}) FROM {table} WHERE {case_id} = %s) = %s AND "  # noqa: S608
            f"(SELECT {digest_col} FROM {table} WHERE {case_id} = %s AND {seq} = %s) = %s"
        )
    return f"INSERT INTO {table} ({cols}) SELECT %s, %s, %s, %s, %s, %s, %s WHERE {guard}"  # noqa: S608


def append_saved(history_instance, *, instance=None) -> None:
    """``append`` for a history row saved in this transaction, without reading the row back.

    The tip comes from the case lock (read once the lock is held) or the previous append of
    this service call when known: one guarded insert, sent with the service's next
    statement (``_sql.defer``); should its guard refuse it (the tip went stale: another
    instance of the case appended, or a savepoint holding the previous link was rolled
    back), the tip is read and the link inserted then. Unknown, the tip is read first."""
    from .models import AuditLink

    row = _as_stored(type(history_instance), history_instance)
    fields = sorted(row)
    names = ",".join(fields)
    case_id, history_id = row["id"], row["history_id"]
    tip = _known_tip(instance, history_instance.history_type)
    if history_instance.history_type == "+" and instance is not None:
        # The case row was inserted by this transaction: no other link can exist (the
        # unique ``(case_id, seq)`` would refuse one anyway), so nothing is read back and
        # the link travels with the service's next statement.
        hash_ = digest(GENESIS, row, fields)
        link = AuditLink(case_id=case_id, seq=1, history_id=history_id, prev_hash=GENESIS, hash=hash_, fields=names)
        _sql.insert_deferred(link)
        instance.__dict__[TIP] = (1, hash_)
        return
    if tip is None:
        _append_read(row, fields, instance)
        return
    seq, prev = tip[0] + 1, tip[1]
    hash_ = digest(prev, row, fields)
    guard = [case_id] if tip[0] == 0 else [case_id, tip[0], case_id, tip[0], tip[1]]
    if instance is not None:
        instance.__dict__[TIP] = (seq, hash_)

    def inserted(rowcount: int) -> None:
        if rowcount != 1:
            _append_read(row, fields, instance)

    _sql.defer(
        _guarded_insert_sql(tip[0] == 0),
        [case_id, seq, history_id, prev, hash_, names, timezone.now(), *guard],
        check=inserted,
    )


def _append_read(row: dict, fields: list[str], instance) -> None:
    """Link the row after the case's last link as stored now."""
    from .models import AuditLink

    case_id = row["id"]
    last = AuditLink.objects.filter(case_id=case_id).order_by("-seq").values_list("seq", "hash").first()
    seq, prev = (last[0] + 1, last[1]) if last is not None else (1, GENESIS)
    hash_ = digest(prev, row, fields)
    # A link of this case that exists anyway fails the unique (case_id, seq) constraint.
    AuditLink.objects.create(
        case_id=case_id, seq=seq, history_id=row["history_id"], prev_hash=prev, hash=hash_, fields=",".join(fields)
    )
    if instance is not None:
        instance.__dict__[TIP] = (seq, hash_)


def on_history_row(sender, history_instance, instance=None, **kwargs) -> None:
    if sender is history_model():
        append_saved(history_instance, instance=instance)


def backfill(*, model=None, link_model=None) -> int:
    """Chain the history rows written before the chain existed (the migration runs this)."""
    if link_model is None:
        from .models import AuditLink as link_model
    model = model or history_model()
    count = 0
    for history_id in model.objects.order_by("id", "history_id").values_list("history_id", flat=True):
        append(history_id, model=model, link_model=link_model)
        count += 1
    return count


@dataclass(frozen=True)
class Break:
    case_id: int
    case_number: str
    seq: int
    history_id: int | None
    reason: str

    def __str__(self) -> str:
        return f"{self.case_number} #{self.seq} (history_id={self.history_id}): {self.reason}"


def _case_breaks(case_id: int, rows: list[dict], links: list) -> Iterator[Break]:
    number = rows[0]["number"] if rows else str(case_id)
    prev = GENESIS
    for i in range(max(len(rows), len(links))):
        row = rows[i] if i < len(rows) else None
        link = links[i] if i < len(links) else None
        seq = link.seq if link else i + 1
        hid = row["history_id"] if row else link.history_id
        if link is None:
            yield Break(case_id, number, seq, hid, _("历史记录没有对应的审计链环节（可能绕过系统插入）"))
            return
        if row is None or link.history_id != row["history_id"]:
            yield Break(case_id, number, seq, link.history_id, _("历史记录缺失（可能被删除）或顺序不符"))
            return
        if link.seq != i + 1:
            yield Break(case_id, number, seq, hid, _("审计链序号不连续（应为第 %(n)s 环）") % {"n": i + 1})
            return
        if link.prev_hash != prev:
            yield Break(case_id, number, seq, hid, _("本环未指向上一环的摘要"))
            return
        fields = link.fields.split(",")
        if set(fields) - set(row):
            yield Break(case_id, number, seq, hid, _("摘要覆盖的字段已不存在"))
            return
        if digest(prev, row, fields) != link.hash:
            yield Break(case_id, number, seq, hid, _("历史记录内容已被改动"))
            return
        prev = link.hash


def verify(case_number: str | None = None) -> tuple[int, list[Break]]:
    """Recompute every chain (or one case's); returns (cases checked, first break per case)."""
    from .models import AuditLink

    model = history_model()
    if case_number is not None:
        ids = set(model.objects.filter(number=case_number).values_list("id", flat=True))
    else:
        ids = set(model.objects.values_list("id", flat=True).distinct())
        ids |= set(AuditLink.objects.values_list("case_id", flat=True).distinct())
    breaks = []
    for case_id in sorted(ids):
        rows = list(model.objects.filter(id=case_id).order_by("history_id").values())
        links = list(AuditLink.objects.filter(case_id=case_id).order_by("seq"))
        breaks.extend(_case_breaks(case_id, rows, links))
    return len(ids), breaks
