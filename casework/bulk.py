"""批量操作: one action on several selected cases — 认领 for officers from their unit's queue,
指派 (assign or reassign the 办理 task) and 催办 for unit heads (and 催办 for supervisors).

Each case is its own service call through the action registry (``actions.perform``), so its
own transaction: a case that refuses (another county's, already claimed, a wrong status) is
reported with its Chinese reason and left exactly as it was, and the others are done. The
request as a whole is refused before anything is written when the user's role may not take
the action at all (``NotAllowed``, 403) or the shared input is missing (``InvalidInput``).
A case the user cannot see reads as one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import rules, selectors
from .actions import ACTIONS, perform
from .exceptions import CaseworkError, InvalidInput, NotAllowed
from .models.org import Role

BULK_LIMIT = 100  # cases per request
BULK_ACTIONS = {
    "claim": gettext_lazy("认领"),
    "assign": gettext_lazy("指派承办人"),
    "urge": gettext_lazy("催办"),
}


@dataclass(frozen=True)
class BulkOutcome:
    number: str
    done: bool
    message: str


def bulk_actions_for(user) -> list[str]:
    """The bulk actions ``user``'s role may take (the pages show those; others are 403)."""
    role = rules.role_of(user)
    found = []
    if role == Role.OFFICER and user.has_perm("casework.handle_case"):
        found.append("claim")
    if role == Role.LEADER and user.has_perm("casework.lead_case"):
        found.append("assign")
    if "urge" in ACTIONS and (
        (role == Role.LEADER and user.has_perm("casework.lead_case"))
        or (role == Role.SUPERVISOR and user.has_perm("casework.supervise_case"))
    ):
        found.append("urge")
    return found


def _numbers(raw: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in raw:
        number = (value or "").strip()[:32]
        if number:
            seen.setdefault(number, None)
    numbers = list(seen)
    if not numbers:
        raise InvalidInput(fields={"case": [_("请至少选择一个案件。")]})
    if len(numbers) > BULK_LIMIT:
        raise InvalidInput(fields={"case": [_("一次最多选择 %(n)d 个案件。") % {"n": BULK_LIMIT}]})
    return numbers


def _data(action: str, data: dict) -> dict:
    from .forms import picked_code

    if action == "assign":
        to = picked_code(str(data.get("to") or ""))[:150]
        if not to:
            raise InvalidInput(fields={"to": [_("请选择要指派的承办人。")]})
        return {"to": to}
    if action == "urge":
        message = str(data.get("message") or "").strip()[:2000]
        if not message:
            raise InvalidInput(fields={"message": [_("请填写催办内容。")]})
        return {"message": message}
    return {}


def cases_bulk_act(*, actor, action: str, numbers: list[str], data: dict) -> list[BulkOutcome]:
    """Take ``action`` on each of the cases ``numbers`` (in the order given, each once)."""
    if action not in BULK_ACTIONS:
        raise InvalidInput(fields={"action": [_("请选择批量操作。")]})
    if action not in bulk_actions_for(actor):
        raise NotAllowed()
    numbers = _numbers(numbers)
    payload = _data(action, data)
    visible = dict(selectors.visible_cases(actor).filter(number__in=numbers).values_list("number", "pk"))
    outcomes = []
    for number in numbers:
        pk = visible.get(number)
        if pk is None:
            outcomes.append(BulkOutcome(number, False, _("案件不存在，或您无权查看。")))
            continue
        case = selectors.case_with_related(pk)
        try:
            perform(action, case, actor, payload, None)
        except CaseworkError as exc:
            reasons = [str(m) for messages in (exc.fields or {}).values() for m in messages]
            outcomes.append(BulkOutcome(number, False, "；".join(reasons) or str(exc.message)))
        else:
            outcomes.append(BulkOutcome(number, True, _("已完成")))
    return outcomes
