"""The machinery every case service shares: lock, transition, record, stages, workflow.

One service call = one ``transaction.atomic()``; the case row is locked with
``select_for_update`` before its status is read, so two officers acting at once are
serialised and the second sees the first one's change (and, when it passed the
version it saw, gets ``CaseChanged``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed, has_transition_perm
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from .. import rules, signals
from ..clock import now
from ..deadlines import default_due_at, default_warn_at
from ..exceptions import CaseChanged, CaseNotFound, InvalidInput, NotAllowed, TransitionRefused
from ..models import Case, CaseStage, OrgUnit
from ..models.case import Level, Status
from ..models.org import FEDERATION_KINDS, UnitKind
from . import _history, _sql, _workflow


def _lookup(case: Case | int | str) -> dict:
    if isinstance(case, Case):
        return {"pk": case.pk}
    if isinstance(case, int):
        return {"pk": case}
    return {"number": case}


# What the services and the notifications of a change read with the lock. Each relation
# joined costs the planner more (seven joins: ~2.5 ms of planning at 1M cases), so the
# handling unit (replaced by level moves) and the leader (mostly none) load on first use.
LOCK_RELATED = ("county", "enterprise", "owner", "worker", "category")
# What other apps read with the lock (name → SQL of a scalar subquery over the case row
# aliased ``c``): the audit chain's last link (``audit.chain.lock_column``), so the next
# link needs no read. The value is left in ``case.__dict__[name]``.
LOCK_COLUMNS: dict[str, Callable[[str], str]] = {}


@cache
def lock_ids() -> list[tuple[type, int]]:
    """The ids a level change writes, drawn with the lock: its history row and the two task
    rows of the workflow's next step (``route`` and the task it routes to)."""
    return [(_history.history_model(Case), 1), (Task, 2)]


@cache
def _lock_sql(by: str, vendor: str) -> tuple[str, _sql.Reader, str, tuple[str, ...]]:
    """The lock query, written once (built by the ORM it cost ~2.5 ms of Python per call).
    Left joins only, so the planner keeps the written order (cheap to plan).

    On PostgreSQL a second statement, sent in the same round trip, reads ``LOCK_COLUMNS``
    and the open task (``held_task``), and draws the ids of the rows a change writes
    (``lock_ids``, ``_sql.give_ids``): it
    runs once the lock is held, so it sees what the previous holder committed (a subquery
    of the locking statement would read from the snapshot taken before it waited), and
    the ids follow those of the previous holder's rows. Elsewhere the columns come with
    the row (one writer at a time)."""
    read = _sql.reader(Case, "c", LOCK_RELATED)
    extras = tuple(LOCK_COLUMNS)
    table, where = _sql.qn(Case._meta.db_table), f"c.{_sql.qn('id' if by == 'pk' else 'number')} = %s"
    reads = "".join(f", ({LOCK_COLUMNS[name]('c')}) AS {_sql.qn(name)}" for name in extras)
    if vendor != "postgresql":
        sql = f"SELECT {read.columns}{reads} FROM {table} c {read.joins} WHERE {where}"  # noqa: S608
        return sql, read, "", extras
    sql = f"SELECT {read.columns} FROM {table} c {read.joins} WHERE {where} FOR UPDATE OF c"  # noqa: S608
    draws = _sql.next_ids_sql(*_sql.id_columns(lock_ids()))
    task = ", ".join(f"t.{_sql.qn(c)}" for c in ("id", "process_id", "status", "owner_id", "flow_task"))
    after = (
        f"SELECT {draws}{reads}, {task} FROM {table} c "  # noqa: S608
        f"LEFT JOIN LATERAL ({_workflow.active_task_query('c.' + _sql.qn('id'))}) t ON TRUE WHERE {where}"
    )
    return sql, read, after, extras


def _read_locked(case: Case | int | str) -> Case | None:
    ((by, value),) = _lookup(case).items()
    sql, read, after, extras = _lock_sql(by, connection.vendor)
    if not after:
        row = _sql.fetchone(sql, [value])
        if row is None:
            return None
        locked = read.build(row)
        values = row[read.width :]
    else:
        # Prepared statements of the connection: planning the seven-table lock query took
        # ~0.7 ms per call, its generic plan ~0.02 ms.
        rows, after_rows = _sql.fetch_sets([(sql, [value], f"lock_{by}"), (after, [value], f"after_lock_{by}")])
        if not rows:
            return None
        locked = read.build(rows[0])
        wanted = lock_ids()
        drawn = _sql.draw_ids(locked, wanted, after_rows[0])
        values = after_rows[0][drawn : drawn + len(extras)]
        locked.__dict__[_HELD_TASK] = _workflow.held_from(after_rows[0][drawn + len(extras) :])
    for name, value_ in zip(extras, values, strict=True):
        locked.__dict__[name] = value_
    return locked


@contextmanager
def locked_case(case: Case | int | str, *, expected_version: int | None = None) -> Iterator[Case]:
    """Open the transaction and lock the case row; fail if it moved since the caller looked."""
    with transaction.atomic(), _sql.carrying():
        locked = _read_locked(case)
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


def record(
    case: Case, *, actor, action: str, reason: str = "", from_status: str | None = None, row_later: bool = False
) -> None:
    """Save the case: exactly one history row carrying actor, action and reason.

    ``row_later``: a new case changed again before the service call ends (registration that
    accepts at once) — where ``_history`` writes, only this history row is written now and
    the case row is inserted once, as the next ``record`` leaves it (one write of a row with
    twenty indexes and a rollup trigger instead of an insert and an update)."""
    case.last_action = action
    case.prev_status = from_status if from_status is not None else case.status
    case.version += 1
    case._history_user = actor
    case._change_reason = reason
    if row_later and case._state.adding and case.pk is not None and _history.writes_here(case):
        _history.write_created(case)
    else:
        _save(case)
    signals.case_event.send(
        sender=Case, case=case, action=action, actor=actor, reason=reason, from_status=case.prev_status
    )


def _save(case: Case) -> None:
    """``case.save()``: on PostgreSQL inside a service call the ``UPDATE`` (or, at
    registration, the ``INSERT`` with its id drawn ahead), the history row and its audit
    link, written once and sent with the next statement (``_history.save``)."""
    _history.save(case)


def full_clean_or_raise(instance, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise InvalidInput(fields=exc.message_dict) from None


def loaded_relations(instance) -> list[str]:
    """Foreign keys that hold an instance read from the database: ``full_clean`` need not
    query whether it exists (the constraint still guards the insert)."""
    names = []
    for f in instance._meta.concrete_fields:
        if f.many_to_one and f.is_cached(instance):
            related = f.get_cached_value(instance)
            if related is not None and related.pk is not None and not related._state.adding:
                names.append(f.name)
    return names


def require_text(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(fields={field: [_("请填写%(label)s。") % {"label": label}]})
    return value


# --- stages and clocks ----------------------------------------------------------------


def enter_stage(case: Case, stage: str, *, unit: OrgUnit | None = None) -> None:
    """Start a stage; level stages also move the case to ``unit`` and open a CaseStage."""
    at = now()
    case.due_at = default_due_at(stage, at)
    case.warn_at = default_warn_at(at, case.due_at)
    if stage in Level.values:
        case.level = stage
        case.handling_unit = unit
        _sql.defer(_start_stage_sql(), [case.pk, stage, unit.pk, at, ""])
    # The deadline lives in the stage's clock (escalation); receivers copy it onto the case.
    signals.stage_entered.send(sender=Case, case=case, stage=stage, unit=unit, at=at)


@cache
def _start_stage_sql() -> str:
    qn = connection.ops.quote_name
    columns = ", ".join(qn(c) for c in ("case_id", "level", "unit_id", "started_at", "result"))
    return f"INSERT INTO {qn(CaseStage._meta.db_table)} ({columns}) VALUES (%s, %s, %s, %s, %s)"  # noqa: S608


@cache
def _end_stage_sql() -> str:
    qn = connection.ops.quote_name
    return (
        f"UPDATE {qn(CaseStage._meta.db_table)} SET {qn('ended_at')} = %s, {qn('result')} = %s "  # noqa: S608
        f"WHERE {qn('case_id')} = %s AND {qn('ended_at')} IS NULL"
    )


def leave_stage(case: Case, stage: str, *, result: str = "") -> None:
    at = now()
    if stage in Level.values:
        _sql.defer(_end_stage_sql(), [at, result, case.pk])  # the open stage row ends
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


@cache
def _enterprise_union_sql() -> tuple[str, _sql.Reader]:
    read, qn = _sql.reader(OrgUnit, "u"), _sql.qn
    sql = (
        f"SELECT {read.columns} FROM {qn(OrgUnit._meta.db_table)} u WHERE u.{qn('parent_id')} = %s "  # noqa: S608
        f"AND u.{qn('kind')} = %s AND u.{qn('active')} ORDER BY u.{qn('path')} LIMIT 1"
    )
    return sql, read


# Registration reads the enterprise's union with the enterprise and keeps it here.
ENTERPRISE_UNION = "_casework_enterprise_union"


def _enterprise_union(enterprise: OrgUnit) -> OrgUnit:
    """``enterprise.enterprise_union()`` (its union, else the enterprise), written once."""
    if ENTERPRISE_UNION in enterprise.__dict__:
        return enterprise.__dict__[ENTERPRISE_UNION] or enterprise
    sql, read = _enterprise_union_sql()
    row = _sql.fetchone(sql, [enterprise.pk, UnitKind.ENTERPRISE_UNION])
    return read.build(row) if row is not None else enterprise


def unit_for_level(case: Case, level: str, *, to_unit: OrgUnit | None = None) -> OrgUnit:
    """Which unit handles ``level`` for this case (the ladder's routing)."""
    if level == Level.ENTERPRISE:
        return _enterprise_union(case.enterprise)
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
    previous = case.stages.filter(level=Level.GOVERNMENT).order_by("-started_at").first()
    if previous is not None:
        return previous.unit
    first = departments.order_by("path").first()
    if first is None:
        raise InvalidInput(fields={"to_unit": [_("本辖区尚未配置党委政府部门。")]})
    return first


# --- the workflow follows the status --------------------------------------------------


def active_task(case: Case) -> Task | None:
    """The open task as a model instance, for a service that changes it through viewflow
    (which then makes ``held_task``, read with the lock, out of date: it is dropped)."""
    case.__dict__.pop(_HELD_TASK, None)
    return _workflow.active_tasks(case).first()


_HELD_TASK = "_casework_active_task"


def held_task(case: Case) -> _workflow.HeldTask | None:
    """The open task, read once per service call (the holder check, then ``sync_workflow``):
    with the lock on PostgreSQL, else on first use."""
    if _HELD_TASK not in case.__dict__:
        case.__dict__[_HELD_TASK] = _workflow.read_active_task(case)
    return case.__dict__[_HELD_TASK]


def require_task_holder(case: Case, actor) -> None:
    """Level actions belong to whoever claimed the task (or the leader in charge)."""
    task = held_task(case)
    if task is None or task.name != "handle":
        return
    if task.owner_id in (None, actor.pk) or rules.is_leader_of(case, actor) or rules.is_system_actor(actor):
        return
    owner = task.owner
    holder = owner.get_full_name() or owner.username
    raise NotAllowed(_("该任务已由 %(name)s 认领，请由其办理。") % {"name": holder})


def sync_workflow(case: Case, actor) -> None:
    """Complete the open task (done by ``actor``) so the flow routes on the new status.

    When the round already ended (a closed case reopened), a new round starts.
    """
    task = held_task(case)
    case.__dict__.pop(_HELD_TASK, None)
    if task is None:
        if case.status not in (Status.CLOSED, Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.MERGED):
            _workflow.start_round(case, actor)
        return
    _workflow.advance(case, actor, task)


def reassign_owner_tasks(case: Case, new_owner) -> None:
    """After a handover, the owner's open tasks (review, reply, follow-up) follow the owner."""
    task = active_task(case)
    if task is not None and task.flow_task.name in ("review", "reply", "follow_up"):
        with task.activation() as activation:
            if activation.task.status == STATUS.ASSIGNED:
                activation.reassign(new_owner)


def run(case: Case | int | str, *, expected_version: int | None, body: Callable[[Case], None]) -> Case:
    with locked_case(case, expected_version=expected_version) as locked:
        body(locked)
        return locked


__all__ = [
    "apply_transition",
    "current_stage",
    "enter_stage",
    "leave_stage",
    "locked_case",
    "record",
    "require",
    "rules",
    "sync_workflow",
    "unit_for_level",
]
