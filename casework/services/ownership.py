"""Who carries the case: task claim, owner handover (首问负责 moves only with a reason),
a leader taking charge (领导包案), notes of what was done, the systemic flag.
None of these change the status; each writes one history row.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from .. import rules
from ..exceptions import CaseChanged, InvalidInput, NotAllowed, TransitionRefused
from ..models import Case
from ..models.case import LEVEL_STATUSES, OPEN_STATUSES, TERMINAL_STATUSES
from . import core, workflow


def task_claim(*, case: Case | str, actor, expected_version: int | None = None) -> Task:
    """认领: an officer of the handling unit takes the level task from the unit's queue."""
    with core.locked_case(case, expected_version=expected_version) as c:
        if c.status not in LEVEL_STATUSES:
            raise TransitionRefused()
        core.require(rules.can_handle(c, actor))
        task = workflow.held_task(c)
        if task is None or task.flow_task.name != "handle":
            raise TransitionRefused()
        if task.owner_id is not None:
            if task.owner_id == actor.pk:
                return task
            raise CaseChanged(_("该任务已由 %(name)s 认领。") % {"name": task.owner.get_full_name() or task.owner})
        reason = _("认领办理任务")
        task = workflow.claim(c, actor, reason)
        core.record(c, actor=actor, action="claim", reason=reason)
        return task


def task_assign(*, case: Case | str, actor, to_username: str, expected_version: int | None = None) -> Task:
    """指派: a unit head (a leader over the case's jurisdiction) gives the level's 办理 task to
    an officer of the handling unit — from the unit's queue, or from the officer holding it
    (this is how a unit head reassigns a task). viewflow's activation assigns or reassigns."""
    assignee = get_user_model().objects.filter(username=(to_username or "").strip(), is_active=True).first()
    with core.locked_case(case, expected_version=expected_version) as c:
        if c.status not in LEVEL_STATUSES:
            raise TransitionRefused()
        if not rules.can_lead(c, actor):
            raise NotAllowed(_("只有本辖区的包案领导可以指派任务。"))
        task = workflow.held_task(c)
        if task is None or task.flow_task.name != "handle":
            raise TransitionRefused()
        if assignee is None or rules.role_of(assignee) != "officer" or not rules.can_handle(c, assignee):
            raise InvalidInput(fields={"to": [_("请选择承办单位的一名承办人。")]})
        if task.owner_id == assignee.pk:
            raise InvalidInput(fields={"to": [_("该任务已由此人办理。")]})
        name = assignee.get_full_name() or assignee.username
        if task.owner_id is None:
            reason = _("指派给 %(name)s 办理") % {"name": name}
        else:
            old = task.owner.get_full_name() or task.owner.username
            reason = _("办理任务由 %(old)s 改派给 %(new)s") % {"old": old, "new": name}
        task = workflow.assign(c, actor, assignee, reason)
        core.record(c, actor=actor, action="assign", reason=reason)
        return task


def task_release(*, case: Case | str, actor, expected_version: int | None = None) -> None:
    """退回队列: the claimer puts the level task back in the unit's queue."""
    with core.locked_case(case, expected_version=expected_version) as c:
        task = workflow.held_task(c)
        if task is None or task.flow_task.name != "handle" or task.owner_id != actor.pk:
            raise TransitionRefused(_("您没有认领该任务。"))
        reason = _("退回单位队列")
        workflow.release(c, actor, reason)
        core.record(c, actor=actor, action="release", reason=reason)


def case_add_note(*, case: Case | str, actor, content: str, expected_version: int | None = None) -> Case:
    """办理记录: what was done at this level (contacted the enterprise, a meeting, ...)."""
    content = core.require_text(content, "content", _("办理情况"))
    with core.locked_case(case, expected_version=expected_version) as c:
        if c.status in TERMINAL_STATUSES:
            raise TransitionRefused()
        core.require(rules.can_handle(c, actor) or rules.is_owner(c, actor) or rules.can_lead(c, actor))
        workflow.require_task_holder(c, actor, "note")
        core.record(c, actor=actor, action="note", reason=content)
        return c


def case_inform_worker(*, case: Case | str, actor, content: str, expected_version: int | None = None) -> Case:
    """告知职工: what the worker was told along the way (how the case stands, when to expect
    an answer). Unlike 办理记录 (``case_add_note``, internal) the worker reads it on the portal.
    Who may write it, and when, is as for a note."""
    content = core.require_text(content, "content", _("告知内容"))
    with core.locked_case(case, expected_version=expected_version) as c:
        if c.status in TERMINAL_STATUSES:
            raise TransitionRefused()
        core.require(rules.can_handle(c, actor) or rules.is_owner(c, actor) or rules.can_lead(c, actor))
        workflow.require_task_holder(c, actor, "note")
        core.record(c, actor=actor, action="inform", reason=content)
        return c


def case_handover(
    *, case: Case | str, actor, to_username: str, reason: str, expected_version: int | None = None
) -> Case:
    """移交: ownership moves to another staff member of the same county, with a reason."""
    reason = core.require_text(reason, "reason", _("移交原因"))
    new_owner = get_user_model().objects.filter(username=(to_username or "").strip(), is_active=True).first()
    with core.locked_case(case, expected_version=expected_version) as c:
        if c.status in TERMINAL_STATUSES:
            raise TransitionRefused()
        core.require(rules.can_handover(c, actor))
        profile = rules.profile(new_owner) if new_owner else None
        if profile is None or not (
            profile.unit.path.startswith(c.county.path) or c.county.path.startswith(profile.unit.path)
        ):
            raise InvalidInput(fields={"to": [_("请选择本属地内的一名工作人员。")]})
        if new_owner.pk == c.owner_id:
            raise InvalidInput(fields={"to": [_("该工作人员已是首问负责人。")]})
        old = c.owner
        c.owner = new_owner
        note = _("首问负责人由 %(old)s 移交给 %(new)s：%(reason)s") % {
            "old": old.get_full_name() or old.username,
            "new": new_owner.get_full_name() or new_owner.username,
            "reason": reason,
        }
        workflow.follow_owner(c, actor, note)
        core.record(c, actor=actor, action="handover", reason=note)
        return c


def case_take_charge(*, case: Case | str, actor, reason: str = "", expected_version: int | None = None) -> Case:
    """领导包案: a leader of the jurisdiction takes personal charge."""
    with core.locked_case(case, expected_version=expected_version) as c:
        if c.status not in OPEN_STATUSES and c.status != "answered":
            raise TransitionRefused()
        if not rules.can_lead(c, actor):
            raise NotAllowed(_("只有本辖区的包案领导可以包案。"))
        if c.leader_id == actor.pk:
            raise TransitionRefused(_("您已包案。"))
        c.leader = actor
        core.record(c, actor=actor, action="take_charge", reason=reason or _("领导包案"))
        return c


def case_flag_systemic(*, case: Case | str, actor, reason: str, expected_version: int | None = None) -> Case:
    """倾向性、普遍性问题: flagged for the report to the Party committee and upper union."""
    reason = core.require_text(reason, "reason", _("标记理由"))
    with core.locked_case(case, expected_version=expected_version) as c:
        core.require(rules.can_flag(c, actor))
        if c.systemic:
            raise TransitionRefused(_("该案件已标记为倾向性、普遍性问题。"))
        c.systemic = True
        core.record(c, actor=actor, action="flag_systemic", reason=reason)
        return c


__all__ = [
    "case_add_note",
    "case_inform_worker",
    "case_flag_systemic",
    "case_handover",
    "case_take_charge",
    "task_assign",
    "task_claim",
    "task_release",
]
