"""Moving a case along the ladder: escalate, resolve, reply, follow up, close, reopen,
withdraw, merge. Each is one transaction with the case row locked and one history row.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .. import rules
from ..clock import now
from ..exceptions import CaseNotFound, InvalidInput
from ..models import Case, OrgUnit
from ..models.case import (
    LEVEL_STATUSES,
    OPEN_STATUSES,
    RESULT_OUTCOMES,
    Level,
    ReplyMethod,
    Satisfaction,
    StageResult,
    Status,
)
from . import core, workflow


def _moved(c: Case, *, actor, action: str, reason: str, from_status: str | None = None) -> None:
    """The change is recorded (one history row), then the workflow follows the new status."""
    core.record(c, actor=actor, action=action, reason=reason, from_status=from_status)
    workflow.sync(c, actor, reason)


def _choice(value: str, allowed, field: str, message: str) -> str:
    if value not in [str(a) for a in allowed]:
        raise InvalidInput(fields={field: [message]})
    return value


def case_escalate(
    *, case: Case | str, actor, reason: str, to_unit: OrgUnit | None = None, expected_version: int | None = None
) -> Case:
    """上报: enterprise → union (企业难以解决的), union → Party committee / government."""
    reason = core.require_text(reason, "reason", _("上报理由"))
    with core.locked_case(case, expected_version=expected_version) as c:
        from_status = c.status
        name = {Status.ENTERPRISE: "escalate_to_union", Status.UNION: "escalate_to_government"}.get(
            c.status, "escalate_to_union"
        )
        core.apply_transition(c, name, actor)
        workflow.require_task_holder(c, actor)
        target = c.level  # set by the transition
        unit = core.unit_for_level(c, target, to_unit=to_unit)
        core.leave_stage(c, from_status, result=StageResult.ESCALATED)
        core.enter_stage(c, target, unit=unit)
        _moved(c, actor=actor, action="escalate", reason=reason, from_status=from_status)
        return c


def case_resolve(*, case: Case | str, actor, outcome: str, result: str, expected_version: int | None = None) -> Case:
    """形成结果 at the current level: resolved, partly resolved, or explained (解释答复)."""
    outcome = _choice(outcome, RESULT_OUTCOMES, "outcome", _("请选择办理结果：已解决、部分解决或解释答复。"))
    result = core.require_text(result, "result", _("结果说明"))
    with core.locked_case(case, expected_version=expected_version) as c:
        from_status = c.status
        core.apply_transition(c, "resolve", actor, outcome=outcome, result=result)
        workflow.require_task_holder(c, actor)
        c.answered_at = now()
        core.leave_stage(c, from_status, result=StageResult.ANSWERED)
        core.enter_stage(c, "reply")
        _moved(c, actor=actor, action="resolve", reason=result, from_status=from_status)
        return c


def case_reply(*, case: Case | str, actor, method: str, content: str, expected_version: int | None = None) -> Case:
    """答复: the owner tells the worker the result (how and what is recorded)."""
    method = _choice(method, ReplyMethod.values, "method", _("请选择答复方式。"))
    content = core.require_text(content, "content", _("答复内容"))
    with core.locked_case(case, expected_version=expected_version) as c:
        if c.status != Status.ANSWERED or c.replied_at is not None:
            raise _refused(c)
        core.require(rules.is_owner(c, actor))
        c.reply_method, c.reply_content, c.replied_at = method, content, now()
        core.leave_stage(c, "reply")
        core.enter_stage(c, "follow_up")
        _moved(c, actor=actor, action="reply", reason=content)
        return c


def case_follow_up(
    *, case: Case | str, actor, satisfaction: str, comment: str = "", expected_version: int | None = None
) -> Case:
    """回访: satisfaction recorded, the case is closed (办结)."""
    satisfaction = _choice(
        satisfaction,
        [Satisfaction.SATISFIED, Satisfaction.BASICALLY, Satisfaction.DISSATISFIED],
        "satisfaction",
        _("请选择满意度：满意、基本满意或不满意。"),
    )
    with core.locked_case(case, expected_version=expected_version) as c:
        core.apply_transition(c, "follow_up", actor, satisfaction=satisfaction, comment=(comment or "").strip())
        c.closed_at, c.due_at = now(), None
        core.leave_stage(c, "follow_up")
        label = Satisfaction(satisfaction).label
        _moved(
            c, actor=actor, action="follow_up", reason=f"{label} {comment or ''}".strip(), from_status=Status.ANSWERED
        )
        return c


def case_close(*, case: Case | str, actor, reason: str = "", expected_version: int | None = None) -> Case:
    """办结 without a rating (the follow-up window ran out, or the worker could not be reached)."""
    with core.locked_case(case, expected_version=expected_version) as c:
        core.apply_transition(c, "close", actor)
        c.closed_at, c.due_at = now(), None
        core.leave_stage(c, "follow_up")
        _moved(c, actor=actor, action="close", reason=reason or _("办结（未评价）"), from_status=Status.ANSWERED)
        return c


def case_reopen(*, case: Case | str, actor, reason: str, expected_version: int | None = None) -> Case:
    """复查/复核: a dissatisfied worker asks within the window; the next level up takes it."""
    reason = core.require_text(reason, "reason", _("复查理由"))
    with core.locked_case(case, expected_version=expected_version) as c:
        from_status = c.status
        stage = core.current_stage(c)
        core.apply_transition(c, "reopen", actor)
        level = c.status
        if stage:
            core.leave_stage(c, stage)
        c.reopen_count += 1
        c.outcome = c.result = ""
        c.reply_method = c.reply_content = ""
        c.replied_at = c.answered_at = c.closed_at = None
        c.satisfaction = c.satisfaction_comment = ""
        core.enter_stage(c, level, unit=core.unit_for_level(c, level))
        _moved(c, actor=actor, action="reopen", reason=reason, from_status=from_status)
        return c


def case_withdraw(*, case: Case | str, actor, reason: str, expected_version: int | None = None) -> Case:
    """撤回: the worker withdraws the petition."""
    reason = core.require_text(reason, "reason", _("撤回原因"))
    with core.locked_case(case, expected_version=expected_version) as c:
        from_status = c.status
        stage = core.current_stage(c)
        core.apply_transition(c, "withdraw", actor)
        if stage:
            core.leave_stage(c, stage, result=StageResult.WITHDRAWN)
        c.closed_at, c.due_at = now(), None
        _moved(c, actor=actor, action="withdraw", reason=reason, from_status=from_status)
        return c


def case_merge(*, case: Case | str, actor, into: str, reason: str = "", expected_version: int | None = None) -> Case:
    """合并: a duplicate is merged into another open case of the same county."""
    with core.locked_case(case, expected_version=expected_version) as c:
        target = Case.objects.filter(number=(into or "").strip(), county=c.county).first()
        if target is None or target.pk == c.pk:
            raise InvalidInput(fields={"into": [_("请填写同一属地内另一件案件的编号。")]})
        if target.status not in OPEN_STATUSES or target.merged_into_id:
            raise InvalidInput(fields={"into": [_("只能合并到仍在办理中的案件。")]})
        from_status = c.status
        stage = core.current_stage(c)
        core.apply_transition(c, "merge", actor, into=target)
        if stage:
            core.leave_stage(c, stage, result=StageResult.MERGED)
        c.closed_at, c.due_at = now(), None
        note = _("合并至 %(number)s") % {"number": target.number}
        _moved(c, actor=actor, action="merge", reason=f"{note} {reason}".strip(), from_status=from_status)
        return c


def _refused(c: Case):
    from ..exceptions import TransitionRefused

    return TransitionRefused(_("案件当前状态为“%(status)s”，不能执行此操作。") % {"status": c.get_status_display()})


__all__ = [
    "CaseNotFound",
    "LEVEL_STATUSES",
    "Level",
    "case_close",
    "case_escalate",
    "case_follow_up",
    "case_merge",
    "case_reopen",
    "case_reply",
    "case_resolve",
    "case_withdraw",
]
