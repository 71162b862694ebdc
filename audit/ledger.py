"""The access log's chain and the periodic anchors (审计锚点), with their verification.

- Every ``reports.AccessLog`` row gets an ``AccessLogLink`` in the same transaction (its
  ``post_save``): one chain for the whole log, appended under the ``ChainHead`` row's lock.
  The digest covers the row's columns as stored, so changing or deleting an entry (or its
  link) breaks the chain.
- ``anchor()`` (hourly: the embedded scheduler and Celery beat) digests every case-chain and
  access-log link written since the previous anchor, chained to it, into an append-only
  ``Anchor`` row and the log (logger ``audit.anchor``). A tail cut off a chain after it was
  anchored no longer matches.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.utils.translation import gettext as _

from .chain import GENESIS, _key, digest

logger = logging.getLogger("audit.anchor")

ACCESS_CHAIN = "access_log"


def _access_row(access_log) -> dict:
    row = {}
    for f in type(access_log)._meta.concrete_fields:
        value = getattr(access_log, f.attname)
        row[f.attname] = None if value is None else f.to_python(value)
    return row


def on_access_logged(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """Link a new access-log row (``post_save`` of ``reports.AccessLog``)."""
    if created and not raw:
        append_access(instance)


def append_access(access_log) -> None:
    from .models import AccessLogLink, ChainHead

    with transaction.atomic():
        head, _created = ChainHead.objects.select_for_update().get_or_create(
            name=ACCESS_CHAIN, defaults={"hash": GENESIS}
        )
        row = _access_row(access_log)
        link = AccessLogLink.objects.create(
            seq=head.seq + 1,
            access_log_id=access_log.pk,
            prev_hash=head.hash,
            hash=digest(head.hash, row, sorted(row)),
        )
        head.seq, head.hash = link.seq, link.hash
        head.save(update_fields=["seq", "hash"])


@dataclass(frozen=True)
class LogBreak:
    seq: int
    access_log_id: int | None
    reason: str

    def __str__(self) -> str:
        return _("个人信息查看记录 #%(seq)s (id=%(id)s)：%(reason)s") % {
            "seq": self.seq,
            "id": self.access_log_id,
            "reason": self.reason,
        }


def verify_access_log() -> tuple[int, list[LogBreak]]:
    """Walk the access log's chain: each link follows the previous, names an existing entry
    whose columns give its digest; every entry has a link; the tip is the head's."""
    from .models import AccessLogLink, ChainHead

    AccessLog = apps.get_model("reports", "AccessLog")
    entries = {row.pk: row for row in AccessLog.objects.all()}
    links = list(AccessLogLink.objects.order_by("seq"))
    breaks: list[LogBreak] = []
    prev, linked = GENESIS, set()
    for i, link in enumerate(links, start=1):
        linked.add(link.access_log_id)
        if link.seq != i:
            breaks.append(LogBreak(link.seq, link.access_log_id, _("审计链序号不连续（应为第 %(n)s 环）") % {"n": i}))
            break
        if link.prev_hash != prev:
            breaks.append(LogBreak(link.seq, link.access_log_id, _("本环未指向上一环的摘要")))
            break
        entry = entries.get(link.access_log_id)
        if entry is None:
            breaks.append(LogBreak(link.seq, link.access_log_id, _("查看记录缺失（可能被删除）")))
            break
        row = _access_row(entry)
        if digest(prev, row, sorted(row)) != link.hash:
            breaks.append(LogBreak(link.seq, link.access_log_id, _("查看记录内容已被改动")))
            break
        prev = link.hash
    head = ChainHead.objects.filter(name=ACCESS_CHAIN).first()
    if not breaks and head is not None and (head.seq, head.hash) != (len(links), prev):
        breaks.append(LogBreak(head.seq, None, _("查看记录审计链的末尾被截断")))
    for pk in sorted(set(entries) - linked):
        breaks.append(LogBreak(0, pk, _("查看记录没有对应的审计链环节（可能绕过系统插入）")))
    return len(entries), breaks


# --- anchors ------------------------------------------------------------------------------


def _anchor_digest(prev: str, link_hashes: list[str], access_hashes: list[str]) -> str:
    body = f"{prev}|{','.join(link_hashes)}|{','.join(access_hashes)}"
    return hmac.new(_key(), body.encode(), hashlib.sha256).hexdigest()


def _ranges(since_link: int, upto_link: int, since_access: int, upto_access: int) -> tuple[list[str], list[str]]:
    from .models import AccessLogLink, AuditLink

    links = AuditLink.objects.filter(pk__gt=since_link, pk__lte=upto_link).order_by("pk")
    access = AccessLogLink.objects.filter(pk__gt=since_access, pk__lte=upto_access).order_by("pk")
    return list(links.values_list("hash", flat=True)), list(access.values_list("hash", flat=True))


def anchor():
    """Write the next anchor (nothing when no link was written since the last one).

    It covers the links written up to ``AUDIT_ANCHOR_SETTLE_SECONDS`` ago (default 600): a
    link with a lower id than one already committed may still sit in a transaction that has
    not committed, and an anchor must never leave one out that a later check would count."""
    import datetime as dt

    from django.conf import settings
    from django.db.models import Max
    from django.utils import timezone

    from .models import AccessLogLink, Anchor, AuditLink

    cutoff = timezone.now() - dt.timedelta(seconds=getattr(settings, "AUDIT_ANCHOR_SETTLE_SECONDS", 600))
    with transaction.atomic():
        last = Anchor.objects.select_for_update().order_by("-pk").first()
        since_link = last.last_link_id if last else 0
        since_access = last.last_access_link_id if last else 0
        settled = {"created_at__lte": cutoff}
        upto_link = max(AuditLink.objects.filter(**settled).aggregate(m=Max("pk"))["m"] or 0, since_link)
        upto_access = max(AccessLogLink.objects.filter(**settled).aggregate(m=Max("pk"))["m"] or 0, since_access)
        if (upto_link, upto_access) == (since_link, since_access):
            return None
        link_hashes, access_hashes = _ranges(since_link, upto_link, since_access, upto_access)
        prev = last.digest if last else GENESIS
        made = Anchor.objects.create(
            last_link_id=upto_link,
            last_access_link_id=upto_access,
            links=len(link_hashes) + len(access_hashes),
            prev_digest=prev,
            digest=_anchor_digest(prev, link_hashes, access_hashes),
        )
    logger.info(
        "audit anchor %s: case links <= %s, access links <= %s, %s links, digest %s",
        made.pk, upto_link, upto_access, made.links, made.digest,
    )  # fmt: skip
    return made


@dataclass(frozen=True)
class AnchorBreak:
    anchor_id: int
    reason: str

    def __str__(self) -> str:
        return _("审计锚点 #%(id)s：%(reason)s") % {"id": self.anchor_id, "reason": self.reason}


def verify_anchors() -> tuple[int, list[AnchorBreak]]:
    """Recompute every anchor from the links in its range and the previous anchor."""
    from .models import Anchor

    breaks: list[AnchorBreak] = []
    prev, since_link, since_access = GENESIS, 0, 0
    anchors = list(Anchor.objects.order_by("pk"))
    for a in anchors:
        if a.prev_digest != prev:
            breaks.append(AnchorBreak(a.pk, _("未指向上一锚点（锚点被删除或改动）")))
            break
        link_hashes, access_hashes = _ranges(since_link, a.last_link_id, since_access, a.last_access_link_id)
        if _anchor_digest(prev, link_hashes, access_hashes) != a.digest:
            breaks.append(AnchorBreak(a.pk, _("锚定范围内的审计链环节被删除或改动（链尾被截断）")))
            break
        prev, since_link, since_access = a.digest, a.last_link_id, a.last_access_link_id
    return len(anchors), breaks


def scheduled_anchor() -> None:
    anchor()
