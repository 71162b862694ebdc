"""The event catalogue: which channels each event uses and whether users may opt out.

Events are plain codes; notifications knows no domain model. Callers (casework,
escalation) choose the event and the recipients; this table chooses the channels a
*user* recipient gets. Addresses given explicitly (a worker's phone, webhooks) are
always used. For mandatory events every user gets ``default``; for the others a user's
``ChannelPreference`` (a subset of ``allowed``) replaces ``default``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .codes import ChannelCode

USER_CHANNELS = (ChannelCode.IN_APP, ChannelCode.EMAIL)


@dataclass(frozen=True)
class EventSpec:
    code: str
    label: str
    mandatory: bool = False
    default: tuple[str, ...] = (ChannelCode.IN_APP,)
    allowed: tuple[str, ...] = USER_CHANNELS


EVENTS: dict[str, EventSpec] = {
    spec.code: spec
    for spec in [
        EventSpec("case_registered", _("案件已登记")),
        EventSpec("task_queued", _("新任务进入单位待认领队列"), mandatory=True),
        EventSpec("case_escalated", _("案件已上报上一层级")),
        EventSpec("case_claimed", _("任务已被认领")),
        EventSpec("task_assigned", _("办理任务已指派给您"), mandatory=True),
        EventSpec("case_resolved", _("已形成办理结果，请答复职工"), mandatory=True),
        EventSpec("case_replied", _("已答复职工，请按期回访")),
        EventSpec("case_closed", _("案件已办结")),
        EventSpec("case_reopened", _("案件复查")),
        EventSpec("case_withdrawn", _("案件已撤回")),
        EventSpec("case_merged", _("案件已合并")),
        EventSpec("case_handover", _("首问负责人移交"), mandatory=True),
        EventSpec("case_take_charge", _("领导包案")),
        EventSpec("deadline_warning", _("临近办理期限（黄色预警）"), mandatory=True),
        EventSpec(
            "deadline_breach",
            _("已超过办理期限（红色预警）"),
            mandatory=True,
            default=(ChannelCode.IN_APP, ChannelCode.EMAIL),
        ),
        EventSpec("urge", _("催办"), mandatory=True),
        EventSpec("supervise", _("督办"), mandatory=True, default=(ChannelCode.IN_APP, ChannelCode.EMAIL)),
        EventSpec("extension_requested", _("延期申请"), mandatory=True),
        EventSpec("extension_approved", _("延期已批准")),
        EventSpec("deadline_recomputed", _("办理期限已按节假日安排重新计算"), mandatory=True),
        EventSpec("supervisor_digest", _("督导每日简报"), default=(ChannelCode.IN_APP, ChannelCode.EMAIL)),
        EventSpec(
            "report_due_warning",
            _("定期上报临近期限"),
            mandatory=True,
            default=(ChannelCode.IN_APP, ChannelCode.EMAIL),
        ),
        EventSpec(
            "report_overdue", _("定期上报已逾期"), mandatory=True, default=(ChannelCode.IN_APP, ChannelCode.EMAIL)
        ),
        # In-app to the enterprises' staff; e-mail and SMS go to addresses chosen per session.
        EventSpec("reception_notice", _("主席接待日公告"), mandatory=True),
    ]
}

FALLBACK = EventSpec("other", _("其他通知"))


def spec(code: str) -> EventSpec:
    return EVENTS.get(code) or EventSpec(code, code)


def optional_events() -> list[EventSpec]:
    return [s for s in EVENTS.values() if not s.mandatory]


# Codes outside the catalogue, named by the apps that send them (texts to a phone number,
# the webhooks' case events): ``(prefix, labels)``, the labels kept by reference so that
# names an app adds later count.
_OTHER_LABELS: list[tuple[str, Mapping]] = []


def add_labels(labels: Mapping, *, prefix: str = "") -> None:
    """Name the codes ``prefix + code`` by ``labels[code]`` (what the admin shows)."""
    _OTHER_LABELS.append((prefix, labels))


def label(code: str) -> str:
    """An event's name: the catalogue's, else one an app added, else the code itself."""
    if code in EVENTS:
        return str(EVENTS[code].label)
    for prefix, labels in _OTHER_LABELS:
        if code.startswith(prefix) and code[len(prefix) :] in labels:
            return str(labels[code[len(prefix) :]])
    return code
