"""What actions exist on a case: their codes and labels, and the predicates of the actions
other apps add. Shared by the reads (``selectors``, notifications, reports) and the action
registry (``actions``), and importing neither."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "register": _("登记"),
    "accept": _("受理"),
    "not_accept": _("不予受理"),
    "claim": _("认领"),
    "assign": _("指派承办人"),
    "release": _("退回队列"),
    "note": _("办理记录"),
    "inform": _("告知职工"),
    "escalate": _("上报上一层级"),
    "resolve": _("形成办理结果"),
    "reply": _("答复职工"),
    "followup": _("回访"),
    "follow_up": _("回访"),
    "close": _("办结"),
    "reopen": _("复查"),
    "withdraw": _("撤回"),
    "merge": _("合并"),
    "handover": _("移交首问负责"),
    "take_charge": _("领导包案"),
    "flag_systemic": _("标记倾向性问题"),
    "attach": _("上传附件"),
    "link": _("关联案件"),
}
STATUS_ACTIONS = {
    "register",
    "accept",
    "not_accept",
    "escalate",
    "resolve",
    "follow_up",
    "close",
    "reopen",
    "withdraw",
    "merge",
}

# Actions other apps add (e.g. escalation's pause, resume, extension), each with a
# predicate ``allowed(case, user) -> bool`` that ``selectors.allowed_actions`` consults;
# ``actions.register`` fills it.
EXTRA_ALLOWED: dict[str, Callable[[object, object], bool]] = {}

# 他人认领的任务: actions that, on a 办理 task another officer has claimed, only some people
# may still take (``rules.may_act_on_held_task``; docs/access.md). Code → rule kind.
HELD_TASK_RULE: dict[str, str] = {"note": "note", "inform": "note"}

# 内部记录 and 告知职工, kept apart (the case page's two sections, the API's ``internal_notes``
# and ``told_worker``). An internal note is written for staff and never reaches the worker's
# side (the portal shows only what is in ``TOLD_WORKER``); these actions' recorded text is
# what the worker was told: the 不予受理 guidance, the 答复, and what they were told along
# the way (``inform``).
INTERNAL_NOTES = ("note",)
TOLD_WORKER = ("not_accept", "inform", "reply")
