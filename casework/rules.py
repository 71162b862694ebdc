"""Who may do what to a case: pure predicates, used by the status machine and the pages.

Permission predicates take ``(case, user)`` (django-fsm's convention); conditions take
``(case)``. Visibility (which cases a user may see at all) is ``selectors.visible_cases``;
these predicates assume the case is already visible.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .clock import now

if TYPE_CHECKING:
    from .models import Case, StaffProfile

REOPEN_WINDOW = dt.timedelta(days=30)  # 信访工作条例 (2022): 复查/复核 request within 30 days
MAX_REOPENS = 2  # 复查, then 复核
SYSTEM_USERNAME = "system"  # the deadline engine's actor (escalation.system)
PORTAL_USERNAME = "portal"  # the worker acting through the worker portal (portal.actor)


def profile(user) -> StaffProfile | None:
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.staff
    except Exception:  # RelatedObjectDoesNotExist: a user with no staff profile
        return None


def role_of(user) -> str | None:
    p = profile(user)
    return p.role if p else None


def covers(user, case: Case) -> bool:
    """The case lies in the subtree of the user's unit (jurisdiction)."""
    p = profile(user)
    return bool(p) and case.county.path.startswith(p.unit.path)


def is_owner(case: Case, user) -> bool:
    return user is not None and user.is_authenticated and case.owner_id == user.pk


def is_leader_of(case: Case, user) -> bool:
    return user is not None and user.is_authenticated and case.leader_id == user.pk


def is_system_actor(user) -> bool:
    """The deadline engine acting on a breach (限时办结: auto-escalate, close unrated).

    An inactive user with no usable password: it cannot log in, only code acts as it
    (``escalation.system.system_actor``). Allowed only what a breach policy does:
    ``can_handle`` (escalate), ``can_close`` and the task-holder check.
    """
    return (
        user is not None
        and getattr(user, "username", None) == SYSTEM_USERNAME
        and not user.is_active
        and not user.has_usable_password()
    )


def is_portal_actor(user) -> bool:
    """The worker portal's actor: like the system actor, inactive and password-less."""
    return (
        user is not None
        and getattr(user, "username", None) == PORTAL_USERNAME
        and not user.is_active
        and not user.has_usable_password()
    )


def acts_for_worker(case: Case, user) -> bool:
    """The worker themself, through the portal (职工本人网上办理): the portal actor, on the one
    case whose access the worker proved in this request (query code or SMS code). The portal
    sets ``portal_case_id`` on a fresh actor instance per request (``portal.actor``); it is
    never stored. Allowed only the worker's own actions: 回访 rating, 复查 request, 撤回."""
    return is_portal_actor(user) and case.pk is not None and getattr(user, "portal_case_id", None) == case.pk


def is_owner_or_worker(case: Case, user) -> bool:
    return is_owner(case, user) or acts_for_worker(case, user)


def hides_worker(case: Case, user) -> bool:
    """The worker asked to stay anonymous towards the enterprise (对企业匿名): its side (an
    enterprise's or enterprise union's staff) sees no name, phone or ID number."""
    if not getattr(case, "anonymous_to_enterprise", False) or is_owner(case, user) or is_leader_of(case, user):
        return False
    p = profile(user)
    return p is not None and p.unit.kind in ("enterprise", "enterprise_union")


def can_handle(case: Case, user) -> bool:
    """An officer of the handling unit, or the leader in charge of the case (领导包案)."""
    if is_leader_of(case, user) or is_system_actor(user):
        return True
    p = profile(user)
    return (
        p is not None
        and p.role == "officer"
        and p.unit_id == case.handling_unit_id
        and user.has_perm("casework.handle_case")
    )


def can_lead(case: Case, user) -> bool:
    return role_of(user) == "leader" and user.has_perm("casework.lead_case") and covers(user, case)


# On a 办理 (handle) task another officer has claimed, who else may still take an action of
# each kind (docs/access.md, "A task held by someone else"). The holder, and the deadline
# engine's system actor, always may; unit colleagues and supervisors may not.
HELD_TASK_KINDS: dict[str, tuple[str, ...]] = {
    # escalate, resolve: the holder's decisions; the leader in charge (领导包案) may take them over.
    "level": ("leader_in_charge",),
    # pause / resume the clock, ask for an extension: the holder's stage; leaders over it too.
    "clock": ("leader_in_charge", "unit_leader"),
    # 办理记录: also the 首问负责人, who keeps in touch with the worker and records it.
    "note": ("leader_in_charge", "unit_leader", "owner"),
}


def may_act_on_held_task(case: Case, user, task, kind: str) -> bool:
    """Whether ``user`` may take an action of ``kind`` given the case's open task: anyone the
    action's own rule allows when the task is not a claimed 办理 task or is theirs; otherwise
    only those ``HELD_TASK_KINDS[kind]`` names."""
    if task is None or task.flow_task.name != "handle" or task.owner_id in (None, getattr(user, "pk", None)):
        return True
    if is_system_actor(user):
        return True
    who = HELD_TASK_KINDS[kind]
    return (
        ("leader_in_charge" in who and is_leader_of(case, user))
        or ("unit_leader" in who and can_lead(case, user))
        or ("owner" in who and is_owner(case, user))
    )


def can_supervise(case: Case, user) -> bool:
    return role_of(user) == "supervisor" and user.has_perm("casework.supervise_case") and covers(user, case)


def can_urge(case: Case, user) -> bool:
    """催办: a supervisor, or a leader (unit head) over the case's jurisdiction."""
    return can_supervise(case, user) or can_lead(case, user)


def can_close(case: Case, user) -> bool:
    return is_owner(case, user) or can_supervise(case, user) or is_system_actor(user)


def can_merge(case: Case, user) -> bool:
    return is_owner(case, user) or can_lead(case, user)


def can_handover(case: Case, user) -> bool:
    return is_owner(case, user) or can_lead(case, user) or can_supervise(case, user)


def can_flag(case: Case, user) -> bool:
    return is_owner(case, user) or can_handle(case, user) or can_lead(case, user) or can_supervise(case, user)


def can_see_personal_data(case: Case, user) -> bool:
    """Unmasked ID number and phone: the owner, the leader, or an explicit permission."""
    if hides_worker(case, user):
        return False
    return (
        is_owner(case, user)
        or is_leader_of(case, user)
        or bool(user and user.is_authenticated and user.has_perm("casework.view_personal_data"))
    )


def is_replied(case: Case) -> bool:
    return case.replied_at is not None


def may_reopen(case: Case) -> bool:
    """复查/复核: the worker was not satisfied, asked within the window, and rounds remain."""
    if case.reopen_count >= MAX_REOPENS or case.satisfaction in ("satisfied", "basically_satisfied"):
        return False
    # The window runs from when the worker was told the result (or from closing).
    since = case.closed_at or case.replied_at
    return since is not None and now() - since <= REOPEN_WINDOW


# The ladder's levels in order (``models.case.Level``'s values).
LADDER = ("enterprise", "union", "government")


def next_level(level: str | None) -> str:
    if not level:
        return LADDER[0]
    return LADDER[min(LADDER.index(level) + 1, len(LADDER) - 1)]


def reopen_target(case: Case) -> str:
    """复查 goes to the level above the one that reached the result."""
    return next_level(case.answered_level or None)
