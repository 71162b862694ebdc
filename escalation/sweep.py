"""The deadline sweep (超期扫描): warnings, then breach actions by policy, each clock once.

Cost: two keyset walks over partial indexes of open clocks (``clock_due_open``,
``clock_warn_open``), so O(due clocks) whatever the table size; a page of ``BATCH`` due
clocks at a time.

Batches. Warnings and ``flag`` breaches (the red mark, a history row, notifications: no
casework service) are done a page at a time in one transaction (``_batch``): lock the
page's cases, then their clocks, both ``SKIP LOCKED``, re-check each clock is still due,
then write the lot in a few statements (``bulk.record_many``: the cases and their history
rows through simple_history's ``bulk_update_with_history``, their audit links, the outbox
rows; one clock UPDATE), about 20 queries per batch instead of about 11 queries and a
commit per clock. ``escalate`` / ``close`` breaches run a level transition or the closing
(``case_escalate`` / ``case_close``) and stay one transaction per clock (``_handle``),
after their batch has committed, so a batch never holds its locks through hundreds of
transitions.

The issue's "one transaction per clock" guarantee, in batches: what it protects is that
a clock's effects (its history row, audit link, outbox rows and the clock's own mark) are
committed together or not at all, and that a failure on one clock does not stop or undo
the others. A batch keeps both: its writes run in a savepoint; if anything in it fails,
the savepoint is undone and the clocks are done again one savepoint each, so a failing
clock rolls back alone, its error is written on it (``last_error``, ``attempts``) and the
others commit. A crash or a failed commit loses the whole batch, every clock of it
untouched and still due: the next sweep does them. No clock is ever half done.

Safety in parallel (two Celery workers, cron overlapping the in-process scheduler): a
clock is acted on only by the transaction that holds its case row and its own row and
has re-checked, under those locks, that it is still due; the mark it sets commits with
its effects. The case is locked before the clock because casework services do the same
(case, then the stage signals touch clocks); every sweep lock is ``SKIP LOCKED``, so a
sweep never waits for another or for an officer and cannot take part in a deadlock: what
is held is left for the next sweep. After ``MAX_ATTEMPTS`` failures a clock is marked
``failed`` so it stops being retried (and shows in admin).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import asdict, dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from casework import notify
from casework.clock import now
from casework.exceptions import CaseworkError
from casework.models import Case
from casework.services import case_close, case_escalate, record_change

from .bulk import record_many
from .models import BreachAction, BreachOutcome, ClockKind, DeadlineClock, Stage, SweepName, SweepRun
from .services._clocks import fmt
from .system import system_actor

logger = logging.getLogger(__name__)

BATCH = 500
MAX_ATTEMPTS = 5
SWEEP_NAME = SweepName.DEADLINES


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


def _pages(queryset, field: str):
    """Yield pages of ``(clock_id, case_id)`` in ``(field, id)`` order, one indexed range scan each.

    A keyset walk: a clock that failed or was skipped is not met again in the same sweep.
    """
    last = None
    while True:
        qs = queryset
        if last is not None:
            qs = qs.filter(Q(**{f"{field}__gt": last[0]}) | Q(**{field: last[0], "pk__gt": last[1]}))
        page = list(qs.order_by(field, "pk").values_list(field, "pk", "case_id")[:BATCH])
        if not page:
            return
        yield [(pk, case_id) for _value, pk, case_id in page]
        last = (page[-1][0], page[-1][1])


# What the history row's notifications read (as ``locked_case`` loads them).
_CASE_RELATED = ("county", "handling_unit", "enterprise", "owner", "leader", "worker", "category")


def _lock_case(case_id: int) -> Case | None:
    qs = Case.objects.filter(pk=case_id).select_related(*_CASE_RELATED)
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    return qs.first()


# What the batch's history rows and breach / warning notifications read (owner, officers and
# supervisors by unit and jurisdiction; the webhook payload's codes): no worker, no enterprise.
_BULK_RELATED = ("county", "handling_unit", "owner", "leader", "category")

STAGE_LABELS = dict(Stage.choices)


def _label(clock: DeadlineClock) -> str:
    if clock.kind == ClockKind.SUPERVISION:
        return _("督办事项")
    return str(STAGE_LABELS.get(clock.stage, clock.stage))


def _warning_text(clock: DeadlineClock) -> str:
    return _("%(stage)s即将到期（期限 %(due)s）。") % {"stage": _label(clock), "due": fmt(clock.due_at)}


def _breach_text(clock: DeadlineClock) -> str:
    return _("%(stage)s已超期（期限 %(due)s）。") % {"stage": _label(clock), "due": fmt(clock.due_at)}


def _warn(case: Case, clock: DeadlineClock, at: dt.datetime, actor) -> None:
    clock.warned_at = at
    clock.save(update_fields=["warned_at"])
    record_change(case, actor=actor, action="deadline_warning", reason=_warning_text(clock))


def _breach(case: Case, clock: DeadlineClock, at: dt.datetime, actor, result: SweepResult) -> None:
    """Act on a breach by the clock's policy (as it was when the stage started).

    Every breach writes a ``deadline_breach`` history row (supervisors hear of it); an
    ``escalate`` / ``close`` policy then runs the casework service as the system actor in
    a savepoint. When that service refuses (no next level, …) the savepoint is undone and
    the clock is flagged instead, with the reason in the history row.
    """
    text = _breach_text(clock)
    action = clock.breach_action if clock.kind == ClockKind.STAGE else BreachAction.FLAG
    outcome = BreachOutcome.FLAGGED
    if action in (BreachAction.ESCALATE, BreachAction.CLOSE):
        then = _("系统按时限规则自动上报上一层级。") if action == BreachAction.ESCALATE else _("系统按未评价办结。")
        try:
            with transaction.atomic():
                record_change(case, actor=actor, action="deadline_breach", reason=text + then)
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
        record_change(case, actor=actor, action="deadline_breach", reason=text)
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
    """One clock in a transaction of its own (escalate / close breaches, and a case with several due clocks)."""
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


# --- a batch of clocks in one transaction ---------------------------------------------


def _claim(page: list[tuple[int, int]], at: dt.datetime, kind: str, result: SweepResult):
    """Lock the page's cases, then their clocks, skipping rows others hold; re-check each is due.

    Case before clock, as ``_handle`` and the casework services do; both with ``SKIP
    LOCKED``, so a sweep never waits for a lock and cannot take part in a deadlock. A
    clock is only ever locked by whoever holds its case.
    """
    skip_locked = connection.features.has_select_for_update_skip_locked
    # The related rows are few and shared (units, counties, the owners): one query each, one instance each.
    cases_qs = Case.objects.filter(pk__in={case_id for _pk, case_id in page}).prefetch_related(*_BULK_RELATED)
    if skip_locked:
        cases_qs = cases_qs.select_for_update(skip_locked=True, of=("self",))
    cases = {case.pk: case for case in cases_qs}
    result.skipped += sum(1 for _pk, case_id in page if case_id not in cases)
    due, field = (due_for_breach(at), "due_at") if kind == "breach" else (due_for_warning(at), "warn_at")
    clocks_qs = due.filter(pk__in=[pk for pk, case_id in page if case_id in cases]).order_by(field, "pk")
    if skip_locked:
        clocks_qs = clocks_qs.select_for_update(skip_locked=True)
    return cases, list(clocks_qs)


def _bulk_ok(clock: DeadlineClock, kind: str) -> bool:
    """Warnings and ``flag`` breaches need no casework service: they go in bulk."""
    return kind == "warning" or clock.kind != ClockKind.STAGE or clock.breach_action == BreachAction.FLAG


def _act_in_bulk(pairs: list[tuple[Case, DeadlineClock]], at: dt.datetime, kind: str, actor, staff) -> None:
    """Warn, or flag, every ``(case, clock)`` (one clock per case) in a savepoint: all or none."""
    if not pairs:
        return
    ids = [clock.pk for _case, clock in pairs]
    with transaction.atomic():
        # The clocks first: ``record_many`` (last) leaves the case instances as they were if it fails.
        if kind == "breach":
            DeadlineClock.objects.filter(pk__in=ids).update(breached_at=at, breach_outcome=BreachOutcome.FLAGGED)
            items = [(case, _breach_text(clock)) for case, clock in pairs]
            record_many(items, actor=actor, action="deadline_breach", audiences=staff)
        else:
            DeadlineClock.objects.filter(pk__in=ids).update(warned_at=at)
            items = [(case, _warning_text(clock)) for case, clock in pairs]
            record_many(items, actor=actor, action="deadline_warning", audiences=staff)


def _count(result: SweepResult, kind: str, n: int) -> None:
    if kind == "breach":
        result.breached += n
        result.flagged += n
    else:
        result.warned += n


def _batch(page: list[tuple[int, int]], at: dt.datetime, kind: str, actor, staff, result: SweepResult) -> list:
    """Claim ``page`` and act on its warnings and flag breaches in one transaction.

    Each clock's effects (history row, audit link, outbox rows, the clock's mark) commit
    or roll back together: the batch's writes run in a savepoint; if it fails, it is
    undone and the clocks are done again one savepoint each, so a failing clock rolls
    back alone, is recorded on the clock (``_record_failure``) and the rest go on.
    Returns the clocks left for ``_handle`` (escalate / close breaches; several due
    clocks of one case), after the batch's commit released their locks. ``result``
    counts the batch once it has committed.
    """
    done = SweepResult()
    with transaction.atomic():
        cases, clocks = _claim(page, at, kind, done)
        per_case = Counter(clock.case_id for clock in clocks)
        bulk, later = [], []
        for clock in clocks:
            if per_case[clock.case_id] == 1 and _bulk_ok(clock, kind):
                bulk.append((cases[clock.case_id], clock))
            else:
                later.append(clock)
        try:
            _act_in_bulk(bulk, at, kind, actor, staff)
            _count(done, kind, len(bulk))
        except Exception:
            logger.exception("deadline sweep: a batch of %s clocks failed; doing them one by one", len(bulk))
            for case, clock in bulk:
                try:
                    _act_in_bulk([(case, clock)], at, kind, actor, staff)
                    _count(done, kind, 1)
                except Exception as exc:
                    logger.exception("deadline sweep failed on clock %s", clock.pk)
                    done.errors += 1
                    _record_failure(clock.pk, exc)
    for name, value in asdict(done).items():
        setattr(result, name, getattr(result, name) + value)
    return later


def sweep(at: dt.datetime | None = None) -> SweepResult:
    """Warn and act on everything due at ``at`` (default: now). Safe to run in parallel."""
    at = at or now()
    started = now()
    result = SweepResult()
    actor = None
    staff = notify.Audiences()  # officers per unit, supervisors per jurisdiction: read once a run
    for kind, queryset, field in (
        ("breach", due_for_breach(at), "due_at"),
        ("warning", due_for_warning(at), "warn_at"),
    ):
        for page in _pages(queryset, field):
            actor = actor or system_actor()
            try:
                later = _batch(page, at, kind, actor, staff, result)
            except Exception:  # the claim or the commit: nothing of the batch was done
                logger.exception("deadline sweep: a batch of %s clocks failed", len(page))
                result.errors += 1
                continue
            for clock in later:
                _handle(clock.pk, clock.case_id, at, kind, actor, result)
    _remember(started, at, result)
    return result


def _remember(started: dt.datetime, at: dt.datetime, result: SweepResult) -> None:
    """The health check's heartbeat: one UPDATE once the row exists."""
    values = {"started_at": started, "finished_at": now(), "as_of": at, "summary": asdict(result)}
    if SweepRun.objects.filter(name=SWEEP_NAME).update(**values):
        return
    try:
        with transaction.atomic():
            SweepRun.objects.create(name=SWEEP_NAME, **values)
    except IntegrityError:  # a parallel sweep created the row first
        SweepRun.objects.filter(name=SWEEP_NAME).update(**values)


def scheduled_sweep() -> None:
    """The embedded scheduler's job (every minute in ``serve``)."""
    result = sweep()
    if result.errors:
        logger.warning("deadline sweep: %s", result.line())
