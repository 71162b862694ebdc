"""挂起/恢复 and 延期: the officer stops the clock while waiting, a leader grants one extension.

Each is one transaction with the case row locked (``locked_case``) and one case history row,
so the timeline shows it and notifications hear of it through ``case_event``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from casework import rules
from casework.clock import now
from casework.exceptions import InvalidInput, TransitionRefused
from casework.models import Case
from casework.services import locked_case, record_change, require, require_task_holder, require_text

from .. import calendar, policies
from ..models import ClockPause
from ._clocks import fmt, open_clocks, open_stage_clock, sync_case


def can_manage_clock(case: Case, user) -> bool:
    """Pause, resume, ask for an extension: who works the stage (officer, owner, leader)."""
    return rules.can_handle(case, user) or rules.is_owner(case, user) or rules.can_lead(case, user)


def can_approve_extension(case: Case, user) -> bool:
    return rules.is_leader_of(case, user) or rules.can_lead(case, user)


def clock_pause(*, case: Case | str, actor, reason: str, expected_version: int | None = None) -> Case:
    """挂起: the stage's time stops (waiting for the worker's documents, a hearing)."""
    reason = require_text(reason, "reason", _("挂起原因"))
    with locked_case(case, expected_version=expected_version) as c:
        require(can_manage_clock(c, actor))
        require_task_holder(c, actor, "clock")
        clock = open_stage_clock(c)
        if clock.paused_at is not None:
            raise TransitionRefused(_("时限已挂起。"))
        at = now()
        clocks = open_clocks(c)
        for running in clocks.values():
            running.paused_at = at
            running.save(update_fields=["paused_at"])
            ClockPause.objects.create(clock=running, started_at=at, reason=reason, paused_by=actor)
        sync_case(c, clocks)
        record_change(c, actor=actor, action="pause", reason=reason)
        return c


def clock_resume(*, case: Case | str, actor, reason: str = "", expected_version: int | None = None) -> Case:
    """恢复计时: the deadline moves on by exactly the time the clock stood still."""
    with locked_case(case, expected_version=expected_version) as c:
        require(can_manage_clock(c, actor))
        require_task_holder(c, actor, "clock")
        clocks = open_clocks(c)
        paused = [clock for clock in clocks.values() if clock.paused_at is not None]
        if not paused:
            raise TransitionRefused(_("时限未挂起。"))
        at = now()
        for clock in paused:
            held = at - clock.paused_at
            clock.paused_total += held
            clock.due_at = clock.due_at + held if clock.due_at else None
            clock.warn_at = clock.warn_at + held if clock.warn_at else None
            clock.paused_at = None
            clock.save(update_fields=["paused_total", "due_at", "warn_at", "paused_at", "provisional"])
            ClockPause.objects.filter(clock=clock, ended_at__isnull=True).update(ended_at=at, resumed_by=actor)
        sync_case(c, clocks)
        note = _("恢复计时，期限顺延至 %(due)s。") % {"due": fmt(c.due_at)} if c.due_at else _("恢复计时。")
        record_change(c, actor=actor, action="resume", reason=f"{note} {reason or ''}".strip())
        return c


def extension_request(
    *, case: Case | str, actor, days: int, reason: str, expected_version: int | None = None
) -> Case:
    """申请延期: once per stage, before the deadline, within the policy's limit."""
    reason = require_text(reason, "reason", _("延期理由"))
    with locked_case(case, expected_version=expected_version) as c:
        require(can_manage_clock(c, actor))
        require_task_holder(c, actor, "clock")
        clock = open_stage_clock(c)
        if clock.extension_requested_at is not None:
            raise TransitionRefused(_("本环节已申请过延期，每个环节只能延期一次。"))
        if clock.breached_at is not None or (clock.due_at and now() >= clock.due_at and not clock.paused_at):
            raise TransitionRefused(_("本环节已超期，不能再申请延期，请由督导检查组督办。"))
        limit = policies.max_extension_days(clock.policy_snapshot)
        if not isinstance(days, int) or not 1 <= days <= limit:
            raise InvalidInput(fields={"days": [_("延期天数应为1至%(max)d天。") % {"max": limit}]})
        clock.extension_days, clock.extension_reason = days, reason
        clock.extension_requested_by, clock.extension_requested_at = actor, now()
        clock.save()
        unit = _("个工作日") if clock.length_unit == calendar.LengthUnit.WORKING_DAYS else _("日")
        text = _("申请延期%(days)d%(unit)s：%(reason)s") % {"days": days, "unit": unit, "reason": reason}
        record_change(c, actor=actor, action="extension_requested", reason=text)
        return c


def extension_approve(*, case: Case | str, actor, note: str = "", expected_version: int | None = None) -> Case:
    """批准延期 (包案领导): the deadline moves; the worker is told the reason (notifications)."""
    with locked_case(case, expected_version=expected_version) as c:
        require(can_approve_extension(c, actor))
        clock = open_stage_clock(c)
        if clock.extension_requested_at is None or clock.extension_approved_at is not None:
            raise TransitionRefused(_("没有待批准的延期申请。"))
        at = now()
        clock.due_at = calendar.extend(clock.due_at, clock.extension_days, clock.length_unit)
        clock.warn_at = policies.warn_at(clock.policy_snapshot, clock.started_at + clock.paused_total, clock.due_at)
        if clock.warn_at and clock.warn_at > at:
            clock.warned_at = None
        if clock.breach_outcome == "flagged" and clock.due_at > at:
            clock.breached_at, clock.breach_outcome = None, ""  # the red is lifted: the new deadline counts
        clock.extension_approved_by, clock.extension_approved_at = actor, at
        clock.save()
        sync_case(c, open_clocks(c))
        text = _("批准延期%(days)d天，期限延至 %(due)s。延期理由：%(reason)s") % {
            "days": clock.extension_days,
            "due": fmt(clock.due_at),
            "reason": clock.extension_reason,
        }
        record_change(c, actor=actor, action="extension_approved", reason=f"{text} {note or ''}".strip())
        return c
