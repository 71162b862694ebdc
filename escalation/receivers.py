"""Clocks follow casework's stage signals (sent inside the service's transaction).

``stage_entered`` starts the stage's clock and sets ``case.due_at`` / ``case.warn_at`` on
the instance, which the casework service saves right after; ``stage_left`` stops every
open clock of the case (the stage's and any 督办 order) and records on-time or late.
At registration the case row is not written yet when the receipt stage starts, so its
clocks are kept on the instance (stopped there when registration accepts at once) and
written on the first ``case_event`` after the case row.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case as DbCase
from django.db.models import DurationField, ExpressionWrapper, F, Q, Value, When

from casework.models import Case

from . import policies
from .models import ClockKind, ClockPause, DeadlineClock, Stage

_PENDING = "_escalation_pending_clocks"
_STOPPED = "_escalation_clocks_stopped"


def stop_clock(clock: DeadlineClock, at: dt.datetime) -> None:
    """Stop ``clock`` at ``at`` (a running pause ends with it); on time or late by how much."""
    if clock.paused_at is not None:
        paused = at - clock.paused_at
        clock.paused_total += paused
        if clock.due_at is not None:
            clock.due_at += paused
        ClockPause.objects.filter(clock=clock, ended_at__isnull=True).update(ended_at=at)
        clock.paused_at = None
    _stopped(clock, at)
    clock.save()


def _stopped(clock: DeadlineClock, at: dt.datetime) -> None:
    """A running clock stopped at ``at``, on the instance (what ``stop_open_clocks``' update writes)."""
    clock.stopped_at = at
    if clock.due_at is not None:
        clock.late = at > clock.due_at
        clock.late_by = at - clock.due_at if clock.late else None


def stop_open_clocks(case: Case, at: dt.datetime) -> None:
    if case.paused_at is None:
        # No open clock is paused (``services._clocks.sync_case`` keeps ``case.paused_at`` set
        # while any is): one statement stops them all, on time or late, under the case lock.
        due = F("due_at")
        DeadlineClock.objects.filter(case=case, stopped_at__isnull=True, paused_at__isnull=True).update(
            stopped_at=at,
            late=DbCase(When(due_at__isnull=True, then=F("late")), default=Q(due_at__lt=at)),
            late_by=DbCase(
                When(due_at__lt=at, then=ExpressionWrapper(Value(at) - due, output_field=DurationField())),
                When(due_at__isnull=True, then=F("late_by")),
                default=None,
                output_field=DurationField(),
            ),
        )
        return
    for clock in DeadlineClock.objects.select_for_update().filter(case=case, stopped_at__isnull=True):
        stop_clock(clock, at)


def on_stage_entered(sender, *, case: Case, stage: str, unit=None, at: dt.datetime, **kwargs) -> None:
    if stage not in Stage.values:
        return
    if not case._state.adding and not case.__dict__.pop(_STOPPED, False):
        stop_open_clocks(case, at)
    policy = policies.resolve(case, stage, unit)
    snapshot = policy.snapshot() if policy is not None else policies.fallback_snapshot(stage)
    if snapshot is None:
        return
    start = min(at, case.received_at) if stage == Stage.RECEIPT and case.received_at else at
    due, warn = policies.deadline(snapshot, start)
    case.due_at, case.warn_at, case.paused_at = due, warn, None
    clock = DeadlineClock(
        kind=ClockKind.STAGE,
        stage=stage,
        unit=policies.policy_unit(case, stage, unit),
        policy=policy,
        policy_snapshot=snapshot,
        started_at=start,
        due_at=due,
        warn_at=warn,
    )
    if case._state.adding:  # registration: the clock is written after the case row
        case.__dict__.setdefault(_PENDING, []).append(clock)
    else:
        clock.case = case
        clock.save()


def on_stage_left(sender, *, case: Case, stage: str, at: dt.datetime, **kwargs) -> None:
    if case._state.adding:  # registration accepting at once: its clocks are not written yet
        for clock in case.__dict__.get(_PENDING, []):
            if clock.stopped_at is None:
                _stopped(clock, at)
    else:
        stop_open_clocks(case, at)
    case.paused_at = None
    # The service enters the next stage right after, under the same lock: nothing to stop then.
    case.__dict__[_STOPPED] = True


def on_case_event(sender, *, case: Case, **kwargs) -> None:
    case.__dict__.pop(_STOPPED, None)
    if case._state.adding:  # the case row comes with a later change of the same call
        return
    for clock in case.__dict__.pop(_PENDING, []):
        clock.case = case
        clock.save()


def connect() -> None:
    from casework import signals

    signals.stage_entered.connect(on_stage_entered, sender=Case, dispatch_uid="escalation.clock_start")
    signals.stage_left.connect(on_stage_left, sender=Case, dispatch_uid="escalation.clock_stop")
    signals.case_event.connect(on_case_event, sender=Case, dispatch_uid="escalation.clock_save_pending")
