"""The worker's own acts on their case, through casework's services as the portal actor.

回访 (the worker's rating counts as the follow-up), 复查 within the window, 撤回. The caller
has checked the worker's access to the case (a ``Grant``); ``portal.actor.portal_actor``
then allows exactly these actions on exactly that case (``casework.rules.acts_for_worker``).
The history row says the worker did it through the portal.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from casework import services
from casework.exceptions import InvalidInput, TransitionRefused
from casework.models import Case
from casework.models.case import Satisfaction, Status

from ..actor import portal_actor

VIA = "网上职工心声"
RATED = (Satisfaction.SATISFIED, Satisfaction.BASICALLY, Satisfaction.DISSATISFIED)


def _text(value: str, field: str, label: str, max_length: int) -> str:
    value = str(value or "").strip()
    if "\x00" in value:
        raise InvalidInput(fields={field: [_("不能包含空字符。")]})
    if len(value) > max_length:
        raise InvalidInput(fields={field: [_("%(label)s不能超过 %(n)d 个字。") % {"label": label, "n": max_length}]})
    return value


def worker_follow_up(*, case: Case, satisfaction: str, comment: str = "") -> Case:
    """回访 by the worker: 满意 / 基本满意 / 不满意 with a comment; the case closes (办结)."""
    comment = _text(comment, "comment", _("评价意见"), 500)
    if case.satisfaction in RATED:
        raise TransitionRefused(_("您已评价过本次答复，不能重复评价。"))
    if case.status != Status.ANSWERED or case.replied_at is None:
        raise TransitionRefused(_("目前还不能评价：办理结果答复您之后才可以评价。"))
    marked = _("（职工本人通过%(via)s评价）") % {"via": VIA}
    return services.case_follow_up(
        case=case.number,
        actor=portal_actor(case),
        satisfaction=satisfaction,
        comment=f"{comment}{marked}" if comment else marked,
    )


def worker_reopen(*, case: Case, reason: str) -> Case:
    """申请复查 within the window (``casework.rules.may_reopen``)."""
    reason = _text(reason, "reason", _("复查理由"), 1000)
    if not reason:
        raise InvalidInput(fields={"reason": [_("请填写申请复查的理由。")]})
    text = _("职工本人通过%(via)s申请复查：%(reason)s") % {"via": VIA, "reason": reason}
    return services.case_reopen(case=case.number, actor=portal_actor(case), reason=text)


def worker_withdraw(*, case: Case, reason: str) -> Case:
    """撤回 while the case is still being handled."""
    reason = _text(reason, "reason", _("撤回原因"), 1000)
    if not reason:
        raise InvalidInput(fields={"reason": [_("请填写撤回原因。")]})
    text = _("职工本人通过%(via)s撤回：%(reason)s") % {"via": VIA, "reason": reason}
    return services.case_withdraw(case=case.number, actor=portal_actor(case), reason=text)
