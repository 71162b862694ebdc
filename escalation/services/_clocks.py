"""Helpers the escalation services share: find and lock a case's open clocks, keep the case in step."""

from __future__ import annotations

from django.utils.translation import gettext as _

from casework.exceptions import TransitionRefused
from casework.models import Case

from ..models import ClockKind, DeadlineClock


def open_clocks(case: Case, *, lock: bool = True) -> dict[str, DeadlineClock]:
    """The case's open clocks by kind (at most one per kind, a database constraint)."""
    qs = DeadlineClock.objects.filter(case=case, stopped_at__isnull=True)
    if lock:
        qs = qs.select_for_update()
    return {clock.kind: clock for clock in qs}


def open_stage_clock(case: Case) -> DeadlineClock:
    clock = open_clocks(case).get(ClockKind.STAGE)
    if clock is None:
        raise TransitionRefused(_("案件当前环节没有计时。"))
    return clock


def sync_case(case: Case, clocks: dict[str, DeadlineClock]) -> None:
    """The case shows the governing deadline: a 督办 order's when one is open, else the stage's."""
    governing = clocks.get(ClockKind.SUPERVISION) or clocks.get(ClockKind.STAGE)
    if governing is not None:
        case.due_at, case.warn_at = governing.due_at, governing.warn_at
    case.paused_at = next((c.paused_at for c in clocks.values() if c.paused_at), None)


def fmt(at) -> str:
    """A deadline in a history reason: its last day (``casework.dates.due_date``)."""
    from casework.dates import due_date

    return due_date(at)
