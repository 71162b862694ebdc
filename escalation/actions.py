"""The escalation actions, registered into casework's action registry (pages and API)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from casework import rules
from casework.actions import ActionSpec, register
from casework.models import Case
from casework.models.case import TERMINAL_STATUSES

from . import forms, services
from .models import ClockKind, DeadlineClock
from .services.clocks import can_approve_extension, can_manage_clock
from .services.supervision import is_red

LABELS = {
    "pause": _("挂起时限"),
    "resume": _("恢复计时"),
    "request_extension": _("申请延期"),
    "approve_extension": _("批准延期"),
    "urge": _("催办"),
    "supervise": _("督办"),
    "deadline_warning": _("时限预警"),
    "deadline_breach": _("超期"),
    "extension_requested": _("申请延期"),
    "extension_approved": _("批准延期"),
    "deadline_recomputed": _("按节假日安排重新计算期限"),
}


def stage_clock(case: Case) -> DeadlineClock | None:
    """The case's open stage clock, looked up once per case instance (pages ask several predicates)."""
    if "_escalation_stage_clock" not in case.__dict__:
        case.__dict__["_escalation_stage_clock"] = (
            DeadlineClock.objects.filter(case=case, kind=ClockKind.STAGE, stopped_at__isnull=True).first()
            if case.pk
            else None
        )
    return case.__dict__["_escalation_stage_clock"]


def _open(case: Case) -> bool:
    return case.status not in TERMINAL_STATUSES


def may_pause(case: Case, user) -> bool:
    return _open(case) and case.paused_at is None and stage_clock(case) is not None and can_manage_clock(case, user)


def may_resume(case: Case, user) -> bool:
    return _open(case) and case.paused_at is not None and can_manage_clock(case, user)


def may_request_extension(case: Case, user) -> bool:
    clock = stage_clock(case)
    return (
        _open(case)
        and clock is not None
        and clock.extension_requested_at is None
        and clock.breached_at is None
        and can_manage_clock(case, user)
    )


def may_approve_extension(case: Case, user) -> bool:
    clock = stage_clock(case)
    return (
        _open(case)
        and clock is not None
        and clock.extension_requested_at is not None
        and clock.extension_approved_at is None
        and can_approve_extension(case, user)
    )


def may_urge(case: Case, user) -> bool:
    return _open(case) and rules.can_urge(case, user)


def may_supervise(case: Case, user) -> bool:
    return _open(case) and rules.can_supervise(case, user) and is_red(case)


SPECS = [
    (
        ActionSpec(
            "pause",
            LABELS["pause"],
            forms.PauseForm,
            lambda c, u, d, v: services.clock_pause(case=c, actor=u, reason=d["reason"], expected_version=v),
        ),
        may_pause,
    ),
    (
        ActionSpec(
            "resume",
            LABELS["resume"],
            forms.ResumeForm,
            lambda c, u, d, v: services.clock_resume(case=c, actor=u, reason=d.get("reason", ""), expected_version=v),
        ),
        may_resume,
    ),
    (
        ActionSpec(
            "request_extension",
            LABELS["request_extension"],
            forms.ExtensionRequestForm,
            lambda c, u, d, v: services.extension_request(
                case=c, actor=u, days=d["days"], reason=d["reason"], expected_version=v
            ),
        ),
        may_request_extension,
    ),
    (
        ActionSpec(
            "approve_extension",
            LABELS["approve_extension"],
            forms.ExtensionApproveForm,
            lambda c, u, d, v: services.extension_approve(
                case=c, actor=u, note=d.get("reason", ""), expected_version=v
            ),
        ),
        may_approve_extension,
    ),
    (
        ActionSpec(
            "urge",
            LABELS["urge"],
            forms.UrgeForm,
            lambda c, u, d, v: services.case_urge(case=c, actor=u, message=d["message"], expected_version=v),
        ),
        may_urge,
    ),
    (
        ActionSpec(
            "supervise",
            LABELS["supervise"],
            forms.SuperviseForm,
            lambda c, u, d, v: services.case_supervise(
                case=c, actor=u, due_date=d["due_date"], instructions=d["instructions"], expected_version=v
            ),
        ),
        may_supervise,
    ),
]


CLOCK_ACTIONS = {"pause": "clock", "resume": "clock", "request_extension": "clock"}


def register_actions() -> None:
    from casework import selectors

    for spec, allowed in SPECS:
        # pause, resume, extension request: on a task someone else claimed, its holder and
        # the leaders only (casework.rules.HELD_TASK_KINDS["clock"]; docs/access.md).
        register(spec, allowed=allowed, held_task=CLOCK_ACTIONS.get(spec.code))
    # The timeline names our history rows in Chinese too.
    for code, label in LABELS.items():
        selectors.ACTION_LABELS.setdefault(code, label)
