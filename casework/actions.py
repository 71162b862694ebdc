"""The action registry: one entry per action a user can take on a case.

Pages and the API both look actions up here, so each action has one form, one
service call and one label.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from . import catalog, forms, services
from .models import Case, OrgUnit


@dataclass(frozen=True)
class ActionSpec:
    code: str
    title: str
    form: type[forms.ActionForm]
    perform: Callable[..., object]
    danger: bool = False


def _unit(code: str) -> OrgUnit | None:
    code = (code or "").strip()
    if not code:
        return None
    unit = OrgUnit.objects.filter(code=code, active=True).first()
    if unit is None:
        from .exceptions import InvalidInput

        raise InvalidInput(fields={"to_unit": [_("转办部门不存在。")]})
    return unit


ACTIONS: dict[str, ActionSpec] = {
    spec.code: spec
    for spec in [
        ActionSpec(
            "accept",
            _("受理"),
            forms.OptionalReasonForm,
            lambda c, u, d, v: services.case_accept(case=c, actor=u, reason=d.get("reason", ""), expected_version=v),
        ),
        ActionSpec(
            "not_accept",
            _("不予受理"),
            forms.NotAcceptForm,
            lambda c, u, d, v: services.case_not_accept(case=c, actor=u, guidance=d["guidance"], expected_version=v),
            danger=True,
        ),
        ActionSpec(
            "claim",
            _("认领"),
            forms.ActionForm,
            lambda c, u, d, v: services.task_claim(case=c, actor=u, expected_version=v),
        ),
        ActionSpec(
            "assign",
            _("指派承办人"),
            forms.AssignForm,
            lambda c, u, d, v: services.task_assign(case=c, actor=u, to_username=d["to"], expected_version=v),
        ),
        ActionSpec(
            "release",
            _("退回队列"),
            forms.ActionForm,
            lambda c, u, d, v: services.task_release(case=c, actor=u, expected_version=v),
        ),
        ActionSpec(
            "note",
            _("办理记录"),
            forms.NoteForm,
            lambda c, u, d, v: services.case_add_note(case=c, actor=u, content=d["content"], expected_version=v),
        ),
        ActionSpec(
            "inform",
            _("告知职工"),
            forms.InformForm,
            lambda c, u, d, v: services.case_inform_worker(case=c, actor=u, content=d["content"], expected_version=v),
        ),
        ActionSpec(
            "escalate",
            _("上报上一层级"),
            forms.EscalateForm,
            lambda c, u, d, v: services.case_escalate(
                case=c, actor=u, reason=d["reason"], to_unit=_unit(d.get("to_unit", "")), expected_version=v
            ),
        ),
        ActionSpec(
            "resolve",
            _("形成办理结果"),
            forms.ResolveForm,
            lambda c, u, d, v: services.case_resolve(
                case=c, actor=u, outcome=d["outcome"], result=d["result"], expected_version=v
            ),
        ),
        ActionSpec(
            "reply",
            _("答复职工"),
            forms.ReplyForm,
            lambda c, u, d, v: services.case_reply(
                case=c, actor=u, method=d["method"], content=d["content"], expected_version=v
            ),
        ),
        ActionSpec(
            "followup",
            _("回访"),
            forms.FollowUpForm,
            lambda c, u, d, v: services.case_follow_up(
                case=c, actor=u, satisfaction=d["satisfaction"], comment=d.get("comment", ""), expected_version=v
            ),
        ),
        ActionSpec(
            "close",
            _("办结（未评价）"),
            forms.OptionalReasonForm,
            lambda c, u, d, v: services.case_close(case=c, actor=u, reason=d.get("reason", ""), expected_version=v),
        ),
        ActionSpec(
            "reopen",
            _("复查"),
            forms.ReasonForm,
            lambda c, u, d, v: services.case_reopen(case=c, actor=u, reason=d["reason"], expected_version=v),
        ),
        ActionSpec(
            "withdraw",
            _("撤回"),
            forms.ReasonForm,
            lambda c, u, d, v: services.case_withdraw(case=c, actor=u, reason=d["reason"], expected_version=v),
            danger=True,
        ),
        ActionSpec(
            "merge",
            _("合并"),
            forms.MergeForm,
            lambda c, u, d, v: services.case_merge(
                case=c, actor=u, into=d["into"], reason=d.get("reason", ""), expected_version=v
            ),
            danger=True,
        ),
        ActionSpec(
            "handover",
            _("移交首问负责"),
            forms.HandoverForm,
            lambda c, u, d, v: services.case_handover(
                case=c, actor=u, to_username=d["to"], reason=d["reason"], expected_version=v
            ),
        ),
        ActionSpec(
            "take_charge",
            _("领导包案"),
            forms.OptionalReasonForm,
            lambda c, u, d, v: services.case_take_charge(
                case=c, actor=u, reason=d.get("reason", ""), expected_version=v
            ),
        ),
        ActionSpec(
            "flag_systemic",
            _("标记倾向性、普遍性问题"),
            forms.ReasonForm,
            lambda c, u, d, v: services.case_flag_systemic(case=c, actor=u, reason=d["reason"], expected_version=v),
        ),
    ]
}


EXTRA_ALLOWED = catalog.EXTRA_ALLOWED


def register(spec: ActionSpec, *, allowed: Callable[[Case, object], bool], held_task: str | None = None) -> None:
    """Add an action from another app (called from its ``AppConfig.ready``). ``held_task``:
    the kind of ``rules.HELD_TASK_KINDS`` that limits it on a task someone else claimed."""
    ACTIONS[spec.code] = spec
    EXTRA_ALLOWED[spec.code] = allowed
    if held_task:
        catalog.HELD_TASK_RULE[spec.code] = held_task


def perform(code: str, case: Case, actor, data: dict, version: int | None):
    """Run action ``code`` for ``actor``; raises the casework errors."""
    return ACTIONS[code].perform(case.number, actor, data, version)
