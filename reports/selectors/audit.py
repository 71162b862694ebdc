"""The per-case audit (督导检查): history with field diffs in Chinese, clocks, 催办/督办,
问责 notes and who viewed the worker's personal data. A fixed number of queries per case."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.dates import format_day, format_moment
from casework.models import Case
from casework.selectors import ACTION_LABELS, TimelineEntry
from escalation.models import ClockKind, DeadlineClock

from ..models import AccessLog, AccountabilityNote

HIDDEN_FIELDS = {"version", "last_action", "prev_status", "updated_at", "id"}
SUPERVISION_ACTIONS = {"urge", "supervise", "accountability"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class AuditEntry:
    at: object
    kind: str  # history / access
    actor: object
    title: str
    reason: str = ""
    status: str = ""
    changes: list[Change] = field(default_factory=list)


def _display(f: models.Field, value, names: dict) -> str:
    if value in (None, ""):
        return "—"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.ForeignKey):
        return names.get((f.related_model, value), str(value))
    if isinstance(f, models.BooleanField):
        return _("是") if value else _("否")
    if isinstance(f, models.DateTimeField):
        return format_moment(value)
    if isinstance(f, models.DateField):
        return format_day(value)
    return str(value)


def _fk_names(rows, fields: dict) -> dict:
    """One query per referenced model: ``{(model, pk): str}`` for every FK value in the history."""
    wanted: dict = {}
    for row in rows:
        for f in fields.values():
            if isinstance(f, models.ForeignKey):
                value = getattr(row, f.attname)
                if value is not None:
                    wanted.setdefault(f.related_model, set()).add(value)
    names = {}
    for model, pks in wanted.items():
        for obj in model._default_manager.filter(pk__in=pks):
            names[(model, obj.pk)] = str(obj.get_full_name() or obj) if hasattr(obj, "get_full_name") else str(obj)
    return names


def history_entries(case: Case) -> list[AuditEntry]:
    rows = list(case.history.select_related("history_user").order_by("history_date", "history_id"))
    fields = {f.name: f for f in Case._meta.concrete_fields if f.name not in HIDDEN_FIELDS}
    names = _fk_names(rows, fields)
    out, previous = [], None
    for row in rows:
        changes = []
        for f in fields.values():
            new = getattr(row, f.attname)
            old = getattr(previous, f.attname) if previous is not None else None
            if previous is None and new in (None, "", False):
                continue
            if previous is not None and old == new:
                continue
            changes.append(
                Change(str(f.verbose_name), _display(f, old, names) if previous else "", _display(f, new, names))
            )
        entry = TimelineEntry(row.history_date, row.history_user, row.last_action, row.prev_status, row.status, "")
        out.append(
            AuditEntry(
                at=row.history_date,
                kind="history",
                actor=row.history_user,
                title=str(ACTION_LABELS.get(row.last_action, row.last_action or _("修改"))),
                reason=row.history_change_reason or "",
                status=f"{entry.from_label or '—'} → {entry.to_label}" if row.prev_status != row.status else "",
                changes=changes,
            )
        )
        previous = row
    return out


def case_audit(case: Case) -> dict:
    history = history_entries(case)
    accesses = list(AccessLog.objects.filter(case=case).select_related("user"))
    timeline = history + [
        AuditEntry(at=a.at, kind="access", actor=a.user, title=_("查看职工完整个人信息"), reason=a.get_kind_display())
        for a in accesses
    ]
    timeline.sort(key=lambda e: e.at)
    clocks = list(DeadlineClock.objects.filter(case=case).select_related("unit", "created_by", "extension_approved_by"))
    for clock in clocks:
        clock.verdict = _verdict(clock)
    rows = case.history.filter(last_action__in=SUPERVISION_ACTIONS).select_related("history_user")
    supervision = [
        {
            "at": r.history_date,
            "actor": r.history_user,
            "action": ACTION_LABELS.get(r.last_action, r.last_action),
            "text": r.history_change_reason or "",
        }
        for r in rows.order_by("history_date")
    ]
    return {
        "timeline": timeline,
        "clocks": clocks,
        "orders": [c for c in clocks if c.kind == ClockKind.SUPERVISION],
        "supervision": supervision,
        "accesses": accesses,
        "notes": list(AccountabilityNote.objects.filter(case=case).select_related("author", "unit")),
    }


def _verdict(clock: DeadlineClock) -> str:
    now = timezone.now()
    if clock.stopped_at is not None:
        if clock.late is None:
            return _("已结束（无期限）")
        if clock.late:
            return _("超期 %(d).1f 天") % {"d": clock.late_by.total_seconds() / 86400}
        return _("按期")
    if clock.paused_at is not None:
        return _("挂起中")
    if clock.due_at is not None and now >= clock.due_at:
        return _("进行中，已超期 %(d).1f 天") % {"d": (now - clock.due_at).total_seconds() / 86400}
    return _("进行中")
