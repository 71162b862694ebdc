"""催办 and 督办: the supervisor's hooks (the full supervisor side is its own work)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from casework import rules
from casework.clock import now
from casework.exceptions import InvalidInput, TransitionRefused
from casework.models import Case
from casework.models.case import TERMINAL_STATUSES
from casework.services import locked_case, record_change, require, require_text

from .. import calendar, policies
from ..models import BreachAction, ClockKind, DeadlineClock
from ..receivers import stop_clock
from ._clocks import fmt, open_clocks, sync_case


def _require_open(case: Case) -> None:
    if case.status in TERMINAL_STATUSES:
        raise TransitionRefused(
            _("案件当前状态为“%(status)s”，不能执行此操作。") % {"status": case.get_status_display()}
        )


def case_urge(*, case: Case | str, actor, message: str, expected_version: int | None = None) -> Case:
    """催办: a supervisor, or a leader over the jurisdiction (unit head), reminds the people
    working the case; recorded and notified."""
    message = require_text(message, "message", _("催办内容"))
    with locked_case(case, expected_version=expected_version) as c:
        require(rules.can_urge(c, actor))
        _require_open(c)
        record_change(c, actor=actor, action="urge", reason=message)
        return c


def is_red(case: Case, at: dt.datetime | None = None) -> bool:
    """The stage's clock is past its deadline (or was acted on as breached)."""
    at = at or now()
    clock = open_clocks(case, lock=False).get(ClockKind.STAGE)
    if clock is None:
        return False
    return clock.breached_at is not None or (
        clock.paused_at is None and clock.due_at is not None and at >= clock.due_at
    )


def case_supervise(
    *, case: Case | str, actor, due_date: dt.date, instructions: str, expected_version: int | None = None
) -> Case:
    """督办: on a red case, a supervisor orders what to do by when; the order runs a clock of its own.

    A newer order replaces an open one. The order's deadline is the one the case shows
    while it runs; leaving the stage ends it.
    """
    instructions = require_text(instructions, "instructions", _("督办要求"))
    if not isinstance(due_date, dt.date) or due_date <= timezone.localdate():
        raise InvalidInput(fields={"due_date": [_("督办期限应晚于今天。")]})
    with locked_case(case, expected_version=expected_version) as c:
        require(rules.can_supervise(c, actor))
        _require_open(c)
        if not is_red(c):
            raise TransitionRefused(_("只能对已超期（红色）的案件督办。"))
        at = now()
        clocks = open_clocks(c)
        previous = clocks.pop(ClockKind.SUPERVISION, None)
        if previous is not None:
            stop_clock(previous, at)
        stage = clocks[ClockKind.STAGE]
        snapshot = {
            "policy_id": None,
            "version": None,
            "name": "supervision",
            "stage": stage.stage,
            "length": max(1, (due_date - calendar.local_day(at)).days),
            "length_unit": calendar.LengthUnit.CALENDAR_DAYS,
            "warn_fraction": "0.667",
            "warn_days_left": 3,
            "breach_action": BreachAction.FLAG,
            "max_extension_days": None,
        }
        due = calendar.end_of_day(due_date)
        order = DeadlineClock.objects.create(
            case=c,
            kind=ClockKind.SUPERVISION,
            stage=stage.stage,
            unit=stage.unit,
            policy_snapshot=snapshot,
            instructions=instructions,
            created_by=actor,
            started_at=at,
            due_at=due,
            warn_at=policies.warn_at(snapshot, at, due),
            paused_at=stage.paused_at,
        )
        clocks[ClockKind.SUPERVISION] = order
        sync_case(c, clocks)
        text = _("督办：%(instructions)s（期限 %(due)s）") % {"instructions": instructions, "due": fmt(due)}
        record_change(c, actor=actor, action="supervise", reason=text)
        return c
