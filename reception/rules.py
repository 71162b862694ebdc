"""Who may do what with reception days: pure predicates over the unit tree.

Visibility (what a user may see at all) is in ``selectors``; these predicates assume the
session is already visible.
"""

from __future__ import annotations

from casework import rules as case_rules
from casework.models import OrgUnit
from casework.models.org import Role

from .models import ReceptionSession

PLANNER_ROLES = (Role.LEADER, Role.ADMIN, Role.INTAKE)
DESK_ROLES = (Role.LEADER, Role.ADMIN, Role.INTAKE, Role.OFFICER)
LEADER_ROLES = (Role.LEADER, Role.ADMIN)


def _role_over(user, unit: OrgUnit, roles) -> bool:
    if user is not None and user.is_authenticated and user.is_superuser:
        return True
    p = case_rules.profile(user)
    return p is not None and p.role in roles and unit.path.startswith(p.unit.path)


def can_plan(user, unit: OrgUnit) -> bool:
    """Plan reception days for ``unit``: its leaders, admins and intake desk (or above it)."""
    return _role_over(user, unit, PLANNER_ROLES)


def can_record(session: ReceptionSession, user) -> bool:
    """Work the day's register: the desk, officers and leaders of the unit, and its receiving leaders."""
    return is_receiving_leader(session, user) or _role_over(user, session.unit, DESK_ROLES)


def is_receiving_leader(session: ReceptionSession, user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return any(u.pk == user.pk for u in session.leaders.all())


def can_sign_off(session: ReceptionSession, user) -> bool:
    """The summary is signed by one of the day's receiving leaders."""
    return is_receiving_leader(session, user)


def is_leader(user) -> bool:
    p = case_rules.profile(user)
    return p is not None and user.is_active and p.role in LEADER_ROLES
