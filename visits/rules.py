"""Who may do what in the visits app: pure predicates over the unit tree and group membership.

Visibility (what a user may see at all) is in ``selectors``; these predicates assume the
object is already visible.
"""

from __future__ import annotations

from casework import rules as case_rules
from casework.models import OrgUnit
from casework.models.org import Role

from .models import Interview, WorkGroup

MANAGER_ROLES = (Role.LEADER, Role.ADMIN)


def covers(user, unit: OrgUnit) -> bool:
    """``unit`` lies in the subtree of the user's unit."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return True
    p = case_rules.profile(user)
    return p is not None and unit.path.startswith(p.unit.path)


def can_manage(user, unit: OrgUnit) -> bool:
    """Set up groups, targets and enterprise types: a leader or admin over ``unit``."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return True
    p = case_rules.profile(user)
    return p is not None and p.role in MANAGER_ROLES and unit.path.startswith(p.unit.path)


def is_member(group: WorkGroup, user) -> bool:
    """The group's leader or one of its members (uses the prefetched members when present)."""
    if user is None or not user.is_authenticated:
        return False
    if group.leader_id == user.pk:
        return True
    return any(m.pk == user.pk for m in group.members.all())


def can_record(group: WorkGroup, user) -> bool:
    """Write visits and interviews for the group: its members, or a manager over its unit."""
    return group.active and (is_member(group, user) or can_manage(user, group.unit))


def can_sign_off(interview: Interview, user) -> bool:
    """组长签字: only the group's leader."""
    return user is not None and user.is_authenticated and interview.group.leader_id == user.pk


def can_file_case(interview: Interview, user) -> bool:
    """Anyone who sees the interview and may register cases (``casework.register_case``)."""
    return interview.case_id is None and bool(user and user.has_perm("casework.register_case"))


def can_see_contact(interview: Interview, user) -> bool:
    """The worker's phone number unmasked: group members, managers, or the explicit permission."""
    return (
        is_member(interview.group, user)
        or can_manage(user, interview.group.unit)
        or bool(user and user.has_perm("casework.view_personal_data"))
    )
