"""What every case service shares: the lock, the transition, the recorded change, the stages.

One service call = one ``transaction.atomic()``. The case row is locked with
``select_for_update`` before its status is read, so two officers acting at once are
serialised and the second sees the first one's change (and, when it passed the version
it saw, gets ``CaseChanged``). That row lock is the one lock discipline of a case: the
workflow's task rows, the stage rows, the clocks and the audit chain are only written
under it (``casework.flows.CaseRowLock`` tells viewflow so). On SQLite the transaction is
``BEGIN IMMEDIATE`` (settings), which serialises writers the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed, has_transition_perm

from .. import history, locking, signals
from ..clock import now
from ..deadlines import default_due_at, default_warn_at
from ..exceptions import CaseChanged, CaseNotFound, InvalidInput, NotAllowed, TransitionRefused
from ..models import Case, CaseStage, OrgUnit
from ..models.case import Level, Status
from ..models.org import FEDERATION_KINDS, UnitKind

# What the services and the notifications of a change read with the lock. Every table joined
# costs PostgreSQL planning time; the handling unit (replaced by a level move) and the leader
# (mostly none) load when used.
LOCK_RELATED = ("county", "enterprise", "owner", "worker", "category")


def _lookup(case: Case | int | str) -> dict:
    if isinstance(case, Case):
        return {"pk": case.pk}
    if isinstance(case, int):
        return {"pk": case}
    return {"number": case}


@contextmanager
def locked_case(case: Case | int | str, *, expected_version: int | None = None) -> Iterator[Case]:
    """Open the transaction and lock the case row; fail if it moved since the caller looked."""
    with transaction.atomic(), locking.holding():
        locked = (
            Case.objects.select_for_update(of=("self",))
            .select_related(*LOCK_RELATED)
            .filter(**_lookup(case))
            .first()
        )
        if locked is None:
            raise CaseNotFound()
        if expected_version is not None and locked.version != expected_version:
            raise CaseChanged()
        yield locked


CONDITION_MESSAGES = {
    "follow_up": gettext_lazy("尚未答复职工，不能回访或办结。"),
    "close": gettext_lazy("尚未答复职工，不能回访或办结。"),
    "reopen": gettext_lazy("不能复查：职工已表示满意、已超过30日申请期限，或复查、复核次数已用完。"),
}


def apply_transition(case: Case, name: str, actor, **kwargs) -> None:
    """Run one status transition after checking status, conditions and permission."""
    method = getattr(case, name)
    if not can_proceed(method, check_conditions=False):
        raise TransitionRefused(
            _("案件当前状态为“%(status)s”，不能执行此操作。") % {"status": case.get_status_display()}
        )
    if not can_proceed(method):
        raise TransitionRefused(CONDITION_MESSAGES.get(name))
    if not has_transition_perm(method, actor):
        raise NotAllowed()
    method(**kwargs)


def require(allowed: bool) -> None:
    if not allowed:
        raise NotAllowed()


def record(case: Case, *, actor, action: str, reason: str = "", from_status: str | None = None) -> None:
    """Save the case: exactly one history row (simple_history's) carrying actor, action and
    reason, then ``case_event`` (notifications, clocks of a new case)."""
    case.last_action = action
    case.prev_status = from_status if from_status is not None else case.status
    case.version += 1
    with history.acting(actor, reason):
        case.save()
    signals.case_event.send(
        sender=Case, case=case, action=action, actor=actor, reason=reason, from_status=case.prev_status
    )


def full_clean_or_raise(instance, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise InvalidInput(fields=exc.message_dict) from None


def require_text(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(fields={field: [_("请填写%(label)s。") % {"label": label}]})
    return value


# --- stages and clocks ----------------------------------------------------------------


def enter_stage(case: Case, stage: str, *, unit: OrgUnit | None = None) -> None:
    """Start a stage; level stages also move the case to ``unit`` and open a CaseStage.

    The deadline lives in the stage's clock (escalation's receiver of ``stage_entered``
    sets ``case.due_at``); casework's defaults apply when no one answers."""
    at = now()
    case.due_at = default_due_at(stage, at)
    case.warn_at = default_warn_at(at, case.due_at)
    if stage in Level.values:
        case.level = stage
        case.handling_unit = unit
        CaseStage.objects.create(case=case, level=stage, unit=unit, started_at=at)
    signals.stage_entered.send(sender=Case, case=case, stage=stage, unit=unit, at=at)


def leave_stage(case: Case, stage: str, *, result: str = "") -> None:
    at = now()
    if stage in Level.values:
        CaseStage.objects.filter(case=case, ended_at__isnull=True).update(ended_at=at, result=result)
    signals.stage_left.send(sender=Case, case=case, stage=stage, at=at, result=result)


def current_stage(case: Case) -> str | None:
    """The clocked stage the case is in now, from its status."""
    if case.status in (Status.ENTERPRISE, Status.UNION, Status.GOVERNMENT):
        return case.status
    if case.status == Status.REGISTERED:
        return "receipt"
    if case.status == Status.ANSWERED:
        return "follow_up" if case.replied_at else "reply"
    return None


def unit_for_level(case: Case, level: str, *, to_unit: OrgUnit | None = None) -> OrgUnit:
    """Which unit handles ``level`` for this case (the ladder's routing)."""
    if level == Level.ENTERPRISE:
        return case.enterprise.enterprise_union()
    if level == Level.UNION:
        enterprise = case.enterprise
        if enterprise.parent_id == case.county_id and case.county.kind in FEDERATION_KINDS:
            return case.county  # the enterprise sits right under its county (both read with the case)
        federation = enterprise.nearest(*FEDERATION_KINDS)
        if federation is None:
            raise InvalidInput(_("该企业没有上级工会，无法转工会层面。"))
        return federation
    departments = OrgUnit.objects.filter(kind=UnitKind.GOVERNMENT, active=True, path__startswith=case.county.path)
    if to_unit is not None:
        if not departments.filter(pk=to_unit.pk).exists():
            raise InvalidInput(fields={"to_unit": [_("请选择本辖区的党委政府部门。")]})
        return to_unit
    previous = case.stages.filter(level=Level.GOVERNMENT).select_related("unit").order_by("-started_at").first()
    if previous is not None:
        return previous.unit
    first = departments.order_by("path").first()
    if first is None:
        raise InvalidInput(fields={"to_unit": [_("本辖区尚未配置党委政府部门。")]})
    return first


__all__ = [
    "apply_transition",
    "current_stage",
    "enter_stage",
    "full_clean_or_raise",
    "leave_stage",
    "locked_case",
    "record",
    "require",
    "require_text",
    "unit_for_level",
]
