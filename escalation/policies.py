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
from collections.abc import Callable
from decimal import Decimal
from functools import cache

from django.db import connection

from casework.deadlines import DEFAULT_LIMIT_DAYS
from casework.models import Case, OrgUnit
from casework.services import _sql

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


@cache
def _candidates_sql(paths: int, urgent: bool) -> str:
    """The candidates query (every write path runs it, so it is written once, not built by
    the ORM per call): the policy, its unit's path and its latest history id (``snapshot``)."""
    qn = connection.ops.quote_name
    policy, unit = qn(TimePolicy._meta.db_table), qn(OrgUnit._meta.db_table)
    history = qn(TimePolicy.history.model._meta.db_table)
    columns = _policy_reader().columns
    in_paths = f"u.{qn('path')} IN ({', '.join(['%s'] * paths)})" if paths else "FALSE"
    return (
        f"SELECT {columns}, u.{qn('path')} AS unit_path, "  # noqa: S608 - names from the models
        f"(SELECT h.{qn('history_id')} FROM {history} h WHERE h.{qn('id')} = p.{qn('id')} "
        f"ORDER BY h.{qn('history_id')} DESC LIMIT 1) AS latest_history_id "
        f"FROM {policy} p LEFT JOIN {unit} u ON u.{qn('id')} = p.{qn('unit_id')} "
        f"WHERE p.{qn('stage')} = %s AND p.{qn('active')} "
        f"AND (p.{qn('category_id')} IS NULL OR p.{qn('category_id')} = %s) "
        f"AND (p.{qn('unit_id')} IS NULL OR {in_paths}) "
        f"AND (p.{qn('min_workers')} IS NULL OR p.{qn('min_workers')} <= %s)"
        + ("" if urgent else f" AND NOT p.{qn('urgent_only')}")
    )


def _candidates_query(case: Case, stage: str, unit: OrgUnit | None) -> tuple[str, list, str]:
    """The candidates query of ``case`` at ``stage`` (already its policy stage): text, values, prepare key."""
    unit = policy_unit(case, stage, unit)
    paths = _subtree_roots(unit) if unit is not None else []
    urgent = int(bool(case.urgent))
    params = [stage, case.category_id, *paths, case.workers_involved]
    return _candidates_sql(len(paths), bool(urgent)), params, f"policies_{len(paths)}_{urgent}"


# On the case instance: candidate rows read ahead (``read_ahead``), by prepare key and values.
_AHEAD = "_escalation_policies_ahead"


def read_ahead(case: Case, stage: str, unit: OrgUnit | None) -> tuple[str, list, str, Callable[[list], None]]:
    """The candidates read of ``resolve(case, stage, unit)`` for a service to send with one
    of its own round trips (registration reads both of its stages' with the case number):
    ``(sql, params, prepare key, store)``; ``store(rows)`` keeps the rows on the instance,
    where ``resolve`` takes them instead of reading (once, for exactly those values)."""
    sql, params, key = _candidates_query(case, policy_stage(case, stage), unit)

    def store(rows: list) -> None:
        case.__dict__.setdefault(_AHEAD, {})[(key, tuple(params))] = rows

    return sql, params, key, store


def candidates(case: Case, stage: str, unit: OrgUnit | None) -> list[TimePolicy]:
    sql, params, key = _candidates_query(case, stage, unit)
    rows = case.__dict__.get(_AHEAD, {}).pop((key, tuple(params)), None)
    if rows is None:
        rows = _sql.fetchall_prepared(key, sql, params)
    read = _policy_reader()
    found = []
    for row in rows:
        policy = read.build(row)
        policy.unit_path, policy.latest_history_id = row[read.width :]
        found.append(policy)
    return found


@cache
def _policy_reader() -> _sql.Reader:
    return _sql.reader(TimePolicy, "p")


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
