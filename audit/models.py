"""The per-case hash chain over the case's history rows (审计链).

One ``AuditLink`` per ``casework_historicalcase`` row, written in the same transaction as
the row (simple_history's ``post_create_historical_record``). A link stores the digest of
the previous link of the same case and its own digest, an HMAC over the previous digest
and every column of the history row, so changing, inserting or deleting a history row (or
a link) breaks the chain at that point; ``manage.py verify_audit`` names where.

A separate table rather than extra columns on the historical model: simple_history's
tables stay as the library makes them, and the chain can be verified, dropped or rebuilt
without touching them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditLink(models.Model):
    case_id = models.BigIntegerField(_("案件"), db_index=True)
    seq = models.PositiveIntegerField(_("序号"))
    history_id = models.BigIntegerField(_("历史记录"), unique=True)
    prev_hash = models.CharField(_("上一环摘要"), max_length=64)
    hash = models.CharField(_("摘要"), max_length=64)
    # The columns the digest covers, as they were when the row was written: a column a later
    # migration adds is not part of older rows' digests, so old chains stay valid.
    fields = models.TextField(_("覆盖字段"))
    created_at = models.DateTimeField(_("写入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审计链环节")
        verbose_name_plural = _("审计链环节")
        ordering = ["case_id", "seq"]
        constraints = [
            # Two writers appending to one case's chain at once (which the services' row
            # lock prevents) would fail here instead of forking the chain silently.
            models.UniqueConstraint(fields=["case_id", "seq"], name="auditlink_case_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq}"


class AccessLogLink(models.Model):
    """One link of the chain over the personal-data access log (``reports.AccessLog``): one
    chain for the whole log, in the order written, so a deleted or altered entry — or a
    deleted entry's link — breaks it; ``manage.py verify_audit`` names where."""

    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
    access_log_id = models.BigIntegerField(_("查看记录"), unique=True)
    prev_hash = models.CharField(_("上一环摘要"), max_length=64)
    hash = models.CharField(_("摘要"), max_length=64)
    created_at = models.DateTimeField(_("写入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("查看记录审计链环节")
        verbose_name_plural = _("查看记录审计链环节")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"access#{self.seq}"


class ChainHead(models.Model):
    """The tip of a chain that has no row of its own to lock (the access log's): appending
    locks this row (``select_for_update``), so the links of that chain are written one at a time."""

    name = models.CharField(max_length=40, primary_key=True)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("审计链链头")
        verbose_name_plural = _("审计链链头")

    def __str__(self) -> str:
        return f"{self.name}#{self.seq}"


class Anchor(models.Model):
    """A periodic anchor (锚点): the digest of every case-chain link and access-log link written
    since the previous anchor, chained to it, stored here and written to the log. A tail cut
    off a chain after it was anchored — a deleted last history row with its link and the case
    row put back — no longer matches its anchor."""

    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    last_link_id = models.BigIntegerField(_("案件审计链至"))
    last_access_link_id = models.BigIntegerField(_("查看记录审计链至"))
    links = models.PositiveIntegerField(_("环节数"))
    prev_digest = models.CharField(_("上一锚点摘要"), max_length=64)
    digest = models.CharField(_("摘要"), max_length=64)

    class Meta:
        verbose_name = _("审计锚点")
        verbose_name_plural = _("审计锚点")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"anchor#{self.pk} {self.digest[:12]}"
