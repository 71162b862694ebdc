"""The deadline sweep (超期扫描): warnings, then breach actions by policy, each clock once.

Cost: two keyset walks over partial indexes of open clocks (``clock_due_open``,
``clock_warn_open``), so O(due clocks) whatever the table size.

Safety in parallel (two Celery workers, cron overlapping the in-process scheduler): every
clock is handled in its own transaction that first locks the case row with
``SKIP LOCKED`` (a case another sweep or an officer holds is left for the next sweep),
then the clock row, then re-checks that the clock is still due. The case is locked
before the clock because casework services do the same (case, then the stage signals
touch clocks); the other order could deadlock against an officer's request. A failure
on one clock rolls back its work, is written to ``last_error`` in a transaction of its
own, and the sweep goes on; after ``MAX_ATTEMPTS`` failures the clock is marked
``failed`` so it stops being retried (and shows in admin).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from casework.clock import now
from casework.exceptions import CaseworkError
from casework.models import Case
from casework.services import _core, case_close, case_escalate

from .models import BreachAction, BreachOutcome, ClockKind, DeadlineClock, Stage, SweepRun
from .services._clocks import fmt
from .system import system_actor

logger = logging.getLogger(__name__)

BATCH = 500
MAX_ATTEMPTS = 5
SWEEP_NAME = "deadlines"


@dataclass
class SweepResult:
    warned: int = 0
    breached: int = 0
    escalated: int = 0
    flagged: int = 0
    closed: int = 0
    skipped: int = 0
    errors: int = 0

    def line(self) -> str:
        return (
            f"warned={self.warned} breached={self.breached} escalated={self.escalated} "
            f"flagged={self.flagged} closed={self.closed} skipped={self.skipped} errors={self.errors}"
        )


_RUNNING = Q(stopped_at__isnull=True, paused_at__isnull=True, breached_at__isnull=True)


def due_for_breach(at: dt.datetime):
    return DeadlineClock.objects.filter(_RUNNING, due_at__isnull=False, due_at__lte=at)


def due_for_warning(at: dt.datetime):
    return DeadlineClock.objects.filter(
        _RUNNING, warned_at__isnull=True, warn_at__isnull=False, warn_at__lte=at, due_at__gt=at
    )


def _walk(queryset, field: str):
    """Yield ``(clock_id, case_id)`` in ``(field, id)`` order, one indexed page at a time."""
    last = None
    while True:
        qs = queryset
        if last is not None:
            qs = qs.filter(Q(**{f"{field}__gt": last[0]}) | Q(**{field: last[0], "pk__gt": last[1]}))
        page = list(qs.order_by(field, "pk").values_list(field, "pk", "case_id")[:BATCH])
        if not page:
            return
        for _value, pk, case_id in page:
            yield pk, case_id
        last = (page[-1][0], page[-1][1])


# What the history row's notifications read (as ``_core.locked_case`` loads them).
_CASE_RELATED = ("county", "handling_unit", "enterprise", "owner", "leader", "worker", "category")


def _lock_case(case_id: int) -> Case | None:
    qs = Case.objects.filter(pk=case_id).select_related(*_CASE_RELATED)
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    return qs.first()


STAGE_LABELS = dict(Stage.choices)


def _label(clock: DeadlineClock) -> str:
    if clock.kind == ClockKind.SUPERVISION:
        return _("督办事项")
    return str(STAGE_LABELS.get(clock.stage, clock.stage))


def _warn(case: Case, clock: DeadlineClock, at: dt.datetime, actor) -> None:
    clock.warned_at = at
    clock.save(update_fields=["warned_at"])
    text = _("%(stage)s即将到期（期限 %(due)s）。") % {"stage": _label(clock), "due": fmt(clock.due_at)}
    _core.record(case, actor=actor, action="deadline_warning", reason=text)


def _breach(case: Case, clock: DeadlineClock, at: dt.datetime, actor, result: SweepResult) -> None:
    """Act on a breach by the clock's policy (as it was when the stage started).

    Every breach writes a ``deadline_breach`` history row (supervisors hear of it); an
    ``escalate`` / ``close`` policy then runs the casework service as the system actor in
    a savepoint. When that service refuses (no next level, …) the savepoint is undone and
    the clock is flagged instead, with the reason in the history row.
    """
    text = _("%(stage)s已超期（期限 %(due)s）。") % {"stage": _label(clock), "due": fmt(clock.due_at)}
    action = clock.breach_action if clock.kind == ClockKind.STAGE else BreachAction.FLAG
    outcome = BreachOutcome.FLAGGED
    if action in (BreachAction.ESCALATE, BreachAction.CLOSE):
        then = _("系统按时限规则自动上报上一层级。") if action == BreachAction.ESCALATE else _("系统按未评价办结。")
        try:
            with transaction.atomic():
                _core.record(case, actor=actor, action="deadline_breach", reason=text + then)
                if action == BreachAction.ESCALATE:
                    case_escalate(case=case.pk, actor=actor, reason=text + then)
                    outcome = BreachOutcome.ESCALATED
                else:
                    case_close(case=case.pk, actor=actor, reason=text + then)
                    outcome = BreachOutcome.CLOSED
        except CaseworkError as exc:
            case = Case.objects.get(pk=case.pk)  # the savepoint undid what the instance still holds
            text += _("自动处理未能执行（%(error)s），已标红待督办。") % {"error": exc.message}
    if outcome == BreachOutcome.FLAGGED:
        _core.record(case, actor=actor, action="deadline_breach", reason=text)
    # Escalating / closing stopped the clock through the stage signal: mark the fresh row.
    DeadlineClock.objects.filter(pk=clock.pk).update(breached_at=at, breach_outcome=outcome)
    result.breached += 1
    if outcome == BreachOutcome.ESCALATED:
        result.escalated += 1
    elif outcome == BreachOutcome.CLOSED:
        result.closed += 1
    else:
        result.flagged += 1


def _record_failure(clock_id: int, exc: Exception) -> None:
    with transaction.atomic():
        clock = DeadlineClock.objects.select_for_update().filter(pk=clock_id).first()
        if clock is None:
            return
        clock.attempts += 1
        clock.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if clock.attempts >= MAX_ATTEMPTS:
            clock.breached_at, clock.breach_outcome = now(), BreachOutcome.FAILED
        clock.save(update_fields=["attempts", "last_error", "breached_at", "breach_outcome"])


def _handle(clock_id: int, case_id: int, at: dt.datetime, kind: str, actor, result: SweepResult) -> None:
    try:
        with transaction.atomic():
            case = _lock_case(case_id)
            if case is None:
                result.skipped += 1  # held by an officer or another sweep: next time
                return
            # Locked and re-checked in one query: still due once we hold it?
            due = due_for_breach(at) if kind == "breach" else due_for_warning(at)
            clock = due.select_for_update().filter(pk=clock_id).first()
            if clock is None:
                return  # another sweep, or the officer, got there first
            if kind == "breach":
                _breach(case, clock, at, actor, result)
            else:
                _warn(case, clock, at, actor)
                result.warned += 1
    except Exception as exc:
        logger.exception("deadline sweep failed on clock %s", clock_id)
        result.errors += 1
        _record_failure(clock_id, exc)


def sweep(at: dt.datetime | None = None) -> SweepResult:
    """Warn and act on everything due at ``at`` (default: now). Safe to run in parallel."""
    at = at or now()
    started = now()
    result = SweepResult()
    actor = None
    for kind, queryset, field in (
        ("breach", due_for_breach(at), "due_at"),
        ("warning", due_for_warning(at), "warn_at"),
    ):
        for clock_id, case_id in _walk(queryset, field):
            actor = actor or system_actor()
            _handle(clock_id, case_id, at, kind, actor, result)
    _remember(started, at, result)
    return result


def _remember(started: dt.datetime, at: dt.datetime, result: SweepResult) -> None:
    values = {"started_at": started, "finished_at": now(), "as_of": at, "summary": asdict(result)}
    try:
        with transaction.atomic():
            SweepRun.objects.update_or_create(name=SWEEP_NAME, defaults=values)
    except IntegrityError:  # a parallel sweep created the row first
        SweepRun.objects.filter(name=SWEEP_NAME).update(**values)


def scheduled_sweep() -> None:
    """The embedded scheduler's job (every minute in ``serve``)."""
    result = sweep()
    if result.errors:
        logger.warning("deadline sweep: %s", result.line())
