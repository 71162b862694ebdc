"""Write and verify the per-case hash chain (see ``models.AuditLink``).

Digest of a link = HMAC-SHA256(key, previous digest + canonical JSON of the history row as
stored). The key is ``AUDIT_CHAIN_KEY`` (default: ``SECRET_KEY``): someone who can write to
the database but does not hold the key cannot forge a consistent chain after tampering.
Keep the key with the backups: a restore verified under another key reports every case.

Race conditions: a link is appended under the case row lock the services hold
(``casework.services.locked_case``), so one case's links are written one at a time;
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
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

GENESIS = "0" * 64


@cache
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


def as_stored(history_instance) -> dict:
    """The history row simple_history just saved, as the database now holds it: each value
    through its field's ``to_python`` (what a read gives back: ``str`` for text, ``int`` for
    keys). ``verify`` recomputes every digest from the stored rows, so a difference between
    the two would show as a break."""
    row = {}
    for f in type(history_instance)._meta.concrete_fields:
        value = getattr(history_instance, f.attname)
        row[f.attname] = None if value is None else f.to_python(value)
    return row


def _tip(case_id: int) -> tuple[int, str]:
    from .models import AuditLink

    last = AuditLink.objects.filter(case_id=case_id).order_by("-seq").values_list("seq", "hash").first()
    return last if last is not None else (0, GENESIS)


# On a case instance created in this transaction: the tip of its chain, which only this
# transaction can have extended (no one else sees the case before it commits).
NEW_CASE_TIP = "_audit_new_case_tip"


def on_history_row(sender, history_instance, instance=None, **kwargs) -> None:
    """simple_history wrote a case history row: link it, in the same transaction.

    The tip of the chain is read under the case row lock the services hold, except for a
    case this transaction created: its first link starts the chain, and its later rows in
    the same transaction follow the links this instance wrote."""
    from .models import AuditLink

    if sender is not history_model():
        return
    row = as_stored(history_instance)
    if history_instance.history_type == "+":
        seq, prev = 0, GENESIS
    elif instance is not None and NEW_CASE_TIP in instance.__dict__:
        seq, prev = instance.__dict__[NEW_CASE_TIP]
    else:
        seq, prev = _tip(row["id"])
    fields = sorted(row)
    link = AuditLink.objects.create(
        case_id=row["id"],
        seq=seq + 1,
        history_id=row["history_id"],
        prev_hash=prev,
        hash=digest(prev, row, fields),
        fields=",".join(fields),
    )
    if instance is not None and (history_instance.history_type == "+" or NEW_CASE_TIP in instance.__dict__):
        instance.__dict__[NEW_CASE_TIP] = (link.seq, link.hash)


def append_many(history_rows: list) -> None:
    """Link history rows created together (``bulk_history_create``): one read of their
    cases' chain tips, one insert; a case's rows are chained in ``history_id`` order."""
    from .models import AuditLink

    rows = sorted((as_stored(r) for r in history_rows), key=lambda r: r["history_id"])
    if not rows:
        return
    if any(row["history_id"] is None for row in rows):
        raise ValueError("append_many: history rows without ids (the backend returned none)")
    case_ids = {row["id"] for row in rows}
    newest = AuditLink.objects.filter(case_id=OuterRef("case_id")).order_by("-seq").values("seq")[:1]
    tips = {
        case_id: (seq, hash_)
        for case_id, seq, hash_ in AuditLink.objects.filter(case_id__in=case_ids, seq=Subquery(newest)).values_list(
            "case_id", "seq", "hash"
        )
    }
    links = []
    for row in rows:
        seq, prev = tips.get(row["id"], (0, GENESIS))
        fields = sorted(row)
        link = AuditLink(
            case_id=row["id"],
            seq=seq + 1,
            history_id=row["history_id"],
            prev_hash=prev,
            hash=digest(prev, row, fields),
            fields=",".join(fields),
        )
        tips[row["id"]] = (link.seq, link.hash)
        links.append(link)
    AuditLink.objects.bulk_create(links)


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


def _live_breaks(case_id: int, rows: list[dict], live: dict | None, tracked: list[str]) -> Iterator[Break]:
    """The case row itself must be what its last history row says (every save writes one):
    a row changed behind the services' back, or a cut-off tail, shows here."""
    if not rows:
        return
    last = rows[-1]
    if live is None:
        yield Break(case_id, last["number"], len(rows), last["history_id"], _("案件记录已被删除"))
        return
    changed = [name for name in tracked if live[name] != last[name]]
    if changed:
        reason = _("案件当前记录与最后一条历史记录不一致（可能被直接修改或历史被截断）：%(fields)s")
        yield Break(case_id, last["number"], len(rows), last["history_id"], reason % {"fields": ", ".join(changed)})


def verify(case_number: str | None = None) -> tuple[int, list[Break]]:
    """Recompute every chain (or one case's) and compare its tip with the case row; returns
    (cases checked, first break per case)."""
    from casework.models import Case

    from .models import AuditLink

    model = history_model()
    if case_number is not None:
        ids = set(model.objects.filter(number=case_number).values_list("id", flat=True))
    else:
        ids = set(model.objects.values_list("id", flat=True).distinct())
        ids |= set(AuditLink.objects.values_list("case_id", flat=True).distinct())
    tracked = [f.attname for f in model.tracked_fields]
    breaks = []
    for case_id in sorted(ids):
        rows = list(model.objects.filter(id=case_id).order_by("history_id").values())
        links = list(AuditLink.objects.filter(case_id=case_id).order_by("seq"))
        found = list(_case_breaks(case_id, rows, links))
        if not found:
            live = Case.objects.filter(pk=case_id).values(*tracked).first()
            found = list(_live_breaks(case_id, rows, live, tracked))
        breaks.extend(found)
    return len(ids), breaks
