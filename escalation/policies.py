"""Which time-limit policy applies to a case's stage, and what deadline it gives.

Precedence (the most specific active policy wins; ties go to the newest):

1. ``urgent_only`` policies, for urgent cases (紧急, e.g. 安全生产);
2. group-petition policies (集体诉求): ``workers_involved >= min_workers``; a higher threshold wins;
3. the unit: a policy of the case's unit or an ancestor applies to its subtree; the nearest wins;
4. the category (诉求类别);
5. the province-wide default (no unit, no category): the table of DOMAIN.md, seeded.

A reopened case (复查/复核) at a level uses the ``review`` / ``re_review`` stage when such a
policy exists, else the level's own.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import F, OuterRef, Q, Subquery

from casework.deadlines import DEFAULT_LIMIT_DAYS
from casework.models import Case, OrgUnit

from . import calendar
from .models import LEVEL_STAGES, BreachAction, Stage, TimePolicy


def policy_unit(case: Case, stage: str, unit: OrgUnit | None) -> OrgUnit | None:
    """The unit whose subtree decides unit policies: the handling unit at a level, else the receiving unit."""
    if unit is not None:
        return unit
    if stage in LEVEL_STAGES and case.handling_unit_id:
        return case.handling_unit
    return case.receiving_unit


def _specificity(policy: TimePolicy) -> tuple:
    if policy.unit_id is None:
        depth = 0
    else:
        path = policy.__dict__.get("unit_path")
        depth = len(path if path is not None else policy.unit.path)
    return (policy.urgent_only, policy.min_workers or 0, depth, policy.category_id is not None, policy.pk)


def _subtree_roots(unit: OrgUnit) -> list[str]:
    """The paths of ``unit`` and its ancestors, read off its materialised path (no query)."""
    parts = unit.path.split(".")[:-1] if unit.path.endswith(".") else []
    if not parts or parts[-1] != f"{unit.pk:06d}":
        return [u.path for u in unit.ancestors()]
    return [".".join(parts[: i + 1]) + "." for i in range(len(parts))]


def candidates(case: Case, stage: str, unit: OrgUnit | None) -> list[TimePolicy]:
    """The active policies of ``stage`` that may apply to ``case`` (``resolve`` picks one), each
    with its unit's path and its latest history id (``snapshot``): one query."""
    unit = policy_unit(case, stage, unit)
    paths = _subtree_roots(unit) if unit is not None else []
    found = (
        TimePolicy.objects.filter(stage=stage, active=True)
        .filter(Q(category__isnull=True) | Q(category_id=case.category_id))
        .filter(Q(unit__isnull=True) | Q(unit__path__in=paths))
        .filter(Q(min_workers__isnull=True) | Q(min_workers__lte=case.workers_involved))
        .annotate(
            unit_path=F("unit__path"),
            latest_history_id=Subquery(
                TimePolicy.history.filter(id=OuterRef("pk")).order_by("-history_id").values("history_id")[:1]
            ),
        )
    )
    if not case.urgent:
        found = found.filter(urgent_only=False)
    return list(found)


def policy_stage(case: Case, stage: str) -> str:
    if stage in LEVEL_STAGES and case.reopen_count:
        return Stage.REVIEW if case.reopen_count == 1 else Stage.RE_REVIEW
    return stage


def resolve(case: Case, stage: str, unit: OrgUnit | None = None) -> TimePolicy | None:
    """The policy for ``case`` entering ``stage`` (see the module docstring for precedence)."""
    wanted = policy_stage(case, stage)
    found = candidates(case, wanted, unit)
    if not found and wanted != stage:
        found = candidates(case, stage, unit)
    return max(found, key=_specificity) if found else None


def fallback_snapshot(stage: str) -> dict | None:
    """Without any policy, casework's calendar-day defaults apply, flagged on breach."""
    days = DEFAULT_LIMIT_DAYS.get(stage)
    if not days:
        return None
    return {
        "policy_id": None,
        "version": None,
        "name": "default",
        "stage": stage,
        "length": days,
        "length_unit": calendar.LengthUnit.CALENDAR_DAYS,
        "warn_fraction": "0.667",
        "warn_days_left": 3,
        "breach_action": BreachAction.FLAG,
        "max_extension_days": None,
    }


def warn_at(snapshot: dict, start: dt.datetime, due: dt.datetime) -> dt.datetime | None:
    """Yellow when the fraction is used or the days are left, whichever is earlier (never before start)."""
    options = []
    if snapshot.get("warn_fraction") is not None:
        options.append(start + (due - start) * float(Decimal(snapshot["warn_fraction"])))
    if snapshot.get("warn_days_left"):
        options.append(due - dt.timedelta(days=snapshot["warn_days_left"]))
    if not options:
        return None
    return max(min(options), start)


def deadline(snapshot: dict, start: dt.datetime) -> tuple[dt.datetime, dt.datetime | None]:
    """``(due_at, warn_at)`` for a clock started at ``start`` under ``snapshot``."""
    due = calendar.add_length(start, snapshot["length"], snapshot["length_unit"])
    return due, warn_at(snapshot, start, due)


def max_extension_days(snapshot: dict) -> int:
    if snapshot.get("max_extension_days"):
        return snapshot["max_extension_days"]
    if snapshot.get("length_unit") == calendar.LengthUnit.HOURS:
        return max(1, snapshot["length"] // 24)
    return snapshot["length"]
