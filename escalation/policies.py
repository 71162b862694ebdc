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
import uuid
from decimal import Decimal

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, OuterRef, Subquery

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


# The active policies are few (a province's defaults and some units' and categories' own) and
# every stage a case enters asks for them: each process keeps them, with each one's unit path
# and latest history id, until a policy or a unit is saved or deleted anywhere — the version in
# Django's cache (Redis in production, shared by every process) moves on then — or at the
# latest after ``CACHE_SECONDS``, for a change that sends no signal (a queryset ``update``).
VERSION_KEY = "escalation:policies:version"
CACHE_SECONDS = 60
_kept: dict = {}


def active_policies() -> list[TimePolicy]:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, CACHE_SECONDS)
        version = cache.get(VERSION_KEY, version)
    if _kept.get("version") != version:
        latest = TimePolicy.history.filter(id=OuterRef("pk")).order_by("-history_id").values("history_id")[:1]
        policies = TimePolicy.objects.filter(active=True)
        _kept["rows"] = list(policies.annotate(unit_path=F("unit__path"), latest_history_id=Subquery(latest)))
        _kept["version"] = version
    return _kept["rows"]


def forget(**kwargs) -> None:
    """A policy or a unit changed: every process reads the policies again (also once the
    transaction commits, so that no process keeps what it read before the commit)."""
    cache.delete(VERSION_KEY)
    _kept.clear()
    transaction.on_commit(lambda: cache.delete(VERSION_KEY))


def candidates(case: Case, stage: str, unit: OrgUnit | None) -> list[TimePolicy]:
    """The active policies of ``stage`` that may apply to ``case`` (``resolve`` picks one)."""
    unit = policy_unit(case, stage, unit)
    paths = set(_subtree_roots(unit)) if unit is not None else set()
    return [
        p
        for p in active_policies()
        if p.stage == stage
        and (p.category_id is None or p.category_id == case.category_id)
        and (p.unit_id is None or p.unit_path in paths)
        and (p.min_workers is None or p.min_workers <= case.workers_involved)
        and (case.urgent or not p.urgent_only)
    ]


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
