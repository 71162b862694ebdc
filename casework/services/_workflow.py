"""The ladder's task rows, written directly (the services' side of ``casework.flows``).

``CaseFlow`` declares the nodes, their owners and permissions and the ``route`` switch; this
module writes the rows viewflow's activations would write for the same moves, in a few set
statements instead of one ``save()`` per state change:

- complete the held task (one ``UPDATE``: done by the actor);
- the next ``route`` switch row (done) and the task it routes to (one ``INSERT`` of both);
- their ``previous`` links (one ``INSERT``) and the task history rows, copied from the task
  rows as stored (one ``INSERT … SELECT``);
- at ``end``, the process row is marked done.

Every caller holds the case row lock (``_core.locked_case``), which serialises all writers
of the case's tasks, so viewflow's own process-row lock is not taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace

from django.db import connection
from django.utils import timezone
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

from . import _sql
from ._sql import defer

ACTIVE_TASK_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


@dataclass
class HeldTask:
    """The open human task of a case, as far as the services need it."""

    id: int
    process_id: int
    status: str
    owner_id: int | None
    name: str  # the node name: review, handle, reply, follow_up

    @property
    def owner(self):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.get(pk=self.owner_id) if self.owner_id else None


def _flow():
    from ..flows import CaseFlow

    return CaseFlow


def active_tasks(case):
    """The case's open human tasks, newest first."""
    from ..models import CaseProcess

    processes = CaseProcess.objects.filter(case=case).values("pk")
    return Task.objects.filter(
        process_id__in=processes, flow_task_type="HUMAN", status__in=ACTIVE_TASK_STATUSES
    ).order_by("-created", "-id")


def active_task_query(case_id: str) -> str:
    """``active_tasks(case)``'s first row, written once, for the case whose id is the SQL
    ``case_id`` (a parameter, or a column of an outer query)."""
    from ..models import CaseProcess

    qn = connection.ops.quote_name
    statuses = ", ".join(f"'{s}'" for s in ACTIVE_TASK_STATUSES)
    return (
        f"SELECT {qn('id')}, {qn('process_id')}, {qn('status')}, {qn('owner_id')}, {qn('flow_task')} "  # noqa: S608
        f"FROM {qn(Task._meta.db_table)} WHERE {qn('process_id')} IN (SELECT {qn('process_ptr_id')} "
        f"FROM {qn(CaseProcess._meta.db_table)} WHERE {qn('case_id')} = {case_id}) "
        f"AND {qn('flow_task_type')} = 'HUMAN' AND {qn('status')} IN ({statuses}) "
        f"ORDER BY {qn('created')} DESC, {qn('id')} DESC LIMIT 1"
    )


def held_from(row) -> HeldTask | None:
    """A row of ``active_task_query`` (all ``NULL``: no open task)."""
    if row is None or row[0] is None:
        return None
    task_id, process_id, status, owner_id, ref = row
    return HeldTask(task_id, process_id, status, owner_id, ref.rsplit(".", 1)[-1])


def read_active_task(case) -> HeldTask | None:
    from ._sql import fetchone_prepared

    return held_from(fetchone_prepared("active_task", active_task_query("%s"), [case.pk]))


# --- routing: the flow's own definitions -------------------------------------------------


def _activation(case):
    """What the flow's conditions and ``Assign`` callables read: ``activation.process.case``."""
    return SimpleNamespace(process=SimpleNamespace(case=case))


def next_node(case):
    """The node ``route`` picks for the case's status (``CaseFlow.route``'s branches, in order)."""
    act = _activation(case)
    for node, condition in _flow().route._branches:
        if condition is None or condition(act):
            return node
    raise RuntimeError("CaseFlow.route has no default branch")


def _task(process_id: int, node, at, **fields) -> Task:
    return Task(process_id=process_id, flow_task=node, flow_task_type=node.task_type, created=at, data={}, **fields)


def _routed(case, process_id: int, at) -> list[Task]:
    """``route`` (done) and the task it creates for the case as it is now."""
    flow = _flow()
    node = next_node(case)
    rows = [_task(process_id, flow.route, at, status=STATUS.DONE, finished=at)]
    if node is flow.end:
        rows.append(_task(process_id, node, at, status=STATUS.DONE, started=at, finished=at))
        return rows
    act = _activation(case)
    owner = node.calc_owner(act)
    rows.append(
        _task(
            process_id,
            node,
            at,
            status=STATUS.ASSIGNED if owner else STATUS.NEW,
            owner=owner,
            owner_permission=node.calc_owner_permission(act) or None,
        )
    )
    return rows


def _done_by(task: Task, actor, at) -> Task:
    """A human task as viewflow leaves it after assign/start/execute by ``actor``."""
    task.status, task.owner, task.finished = STATUS.DONE, actor, at
    task.started = task.started or at
    return task


# --- writes --------------------------------------------------------------------------------


@cache
def _history_sql(count: int) -> str:
    history = Task.history.model
    qn = connection.ops.quote_name
    skip = {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}
    columns = [f.column for f in history._meta.concrete_fields if f.name not in skip]
    missing = set(columns) - {f.column for f in Task._meta.concrete_fields}
    if missing:
        raise RuntimeError(f"task history columns not in the task table: {sorted(missing)}")
    cols = ", ".join(qn(c) for c in columns)
    return (
        f"INSERT INTO {qn(history._meta.db_table)} ({cols}, {qn('history_date')}, "  # noqa: S608 - names from the models
        f"{qn('history_change_reason')}, {qn('history_type')}, {qn('history_user_id')}) "
        f"SELECT {cols}, %s, NULL, CASE WHEN {qn('id')} = %s THEN '~' ELSE '+' END, %s "
        f"FROM {qn(Task._meta.db_table)} WHERE {qn('id')} IN ({', '.join(['%s'] * count)}) ORDER BY {qn('id')}"
    )


def _history(task_ids: list[int], actor, at, *, changed: int | None = None) -> None:
    """One history row per task (simple_history's table for ``Task``), copied from the rows
    as stored: ``changed`` was updated (``~``), the others were inserted (``+``)."""
    defer(_history_sql(len(task_ids)), [at, changed or 0, getattr(actor, "pk", None), *task_ids])


@cache
def _link_sql(count: int) -> str:
    qn = connection.ops.quote_name
    table = qn(Task.previous.through._meta.db_table)
    values = ", ".join(["(%s, %s)"] * count)
    return f"INSERT INTO {table} ({qn('from_task_id')}, {qn('to_task_id')}) VALUES {values}"  # noqa: S608


def _link(pairs: list[tuple[int, int]]) -> None:
    """``previous`` links: (new task, the task before it)."""
    defer(_link_sql(len(pairs)), [pk for pair in pairs for pk in pair])


@cache
def _complete_sql(set_started: bool) -> str:
    qn = connection.ops.quote_name
    started = f", {qn('started')} = %s" if set_started else ""
    return (
        f"UPDATE {qn(Task._meta.db_table)} SET {qn('status')} = %s, {qn('owner_id')} = %s, "  # noqa: S608
        f"{qn('finished')} = %s{started} WHERE {qn('id')} = %s"
    )


_TASK_COLUMNS = (
    "flow_task", "flow_task_type", "status", "created", "started", "finished", "token", "owner_id",
    "owner_permission", "process_id", "data",
)  # fmt: skip


@cache
def _insert_sql(count: int, with_ids: bool) -> str:
    qn = connection.ops.quote_name
    columns = ("id", *_TASK_COLUMNS) if with_ids else _TASK_COLUMNS
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    returning = "" if with_ids else f" RETURNING {qn('id')}"
    return (
        f"INSERT INTO {qn(Task._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "  # noqa: S608
        f"VALUES {', '.join([row] * count)}{returning}"
    )


def _insert(case, rows: list[Task]) -> None:
    """One insert of the rows; their ids drawn ahead for the case (``_sql.take_ids``: the
    insert travels with the next statement), else returned in row order (as
    ``bulk_create`` relies on; PostgreSQL and SQLite 3.35+). The columns not listed keep
    their defaults (NULL)."""
    meta = Task._meta
    prep = {name: meta.get_field(name) for name in ("flow_task", "token", "data")}
    ids = _sql.take_ids(case, Task, len(rows)) if connection.vendor == "postgresql" else None
    params: list = []
    for i, r in enumerate(rows):
        params += [
            *([ids[i]] if ids else []),
            prep["flow_task"].get_prep_value(r.flow_task), r.flow_task_type, r.status, r.created, r.started,
            r.finished, prep["token"].get_prep_value(r.token), r.owner_id, r.owner_permission, r.process_id,
            prep["data"].get_db_prep_save(r.data, connection),
        ]  # fmt: skip
    if ids is not None:
        defer(_insert_sql(len(rows), True), params)
    else:
        with connection.cursor() as cursor:
            cursor.execute(_insert_sql(len(rows), False), params)
            ids = [row[0] for row in cursor.fetchall()]
        if len(ids) != len(rows):
            raise RuntimeError("the task insert returned no ids")
        _sql.note_written(Task, max(ids))
    for r, pk in zip(rows, ids, strict=True):
        r.pk = pk


@cache
def _process_sql(with_id: bool) -> tuple[str, str]:
    from ..models import CaseProcess

    qn = connection.ops.quote_name
    columns = [qn(c) for c in ("flow_class", "status", "created", "data")]
    if with_id:
        columns.insert(0, qn("id"))
    values = ", ".join(["%s"] * len(columns))
    returning = "" if with_id else f" RETURNING {qn('id')}"
    process = f"INSERT INTO {qn(Process._meta.db_table)} ({', '.join(columns)}) VALUES ({values}){returning}"  # noqa: S608
    child = (
        f"INSERT INTO {qn(CaseProcess._meta.db_table)} ({qn('process_ptr_id')}, {qn('case_id')}) "  # noqa: S608
        f"VALUES (%s, %s)"
    )
    return process, child


def _new_process(case, at) -> int:
    """The round's ``CaseProcess`` (viewflow's process row and ours), with its id drawn
    ahead when there is one (then sent with the next statement)."""
    meta = Process._meta
    ids = _sql.take_ids(case, Process, 1) if connection.vendor == "postgresql" else None
    process_sql, child_sql = _process_sql(ids is not None)
    params = [
        meta.get_field("flow_class").get_prep_value(_flow()),
        PROCESS.NEW,
        at,
        meta.get_field("data").get_db_prep_save({}, connection),
    ]
    if ids is not None:
        pk = ids[0]
        defer(process_sql, [pk, *params])
    else:
        with connection.cursor() as cursor:
            cursor.execute(process_sql, params)
            pk = cursor.fetchone()[0]
        _sql.note_written(Process, pk)
    defer(child_sql, [pk, case.pk])
    return pk


def _finish(process_id: int, rows: list[Task], at) -> None:
    if rows and rows[-1].flow_task is _flow().end:
        qn = connection.ops.quote_name
        defer(
            f"UPDATE {qn(Process._meta.db_table)} SET {qn('status')} = %s, {qn('finished')} = %s "  # noqa: S608
            f"WHERE {qn('id')} = %s",
            [PROCESS.DONE, at, process_id],
        )


def advance(case, actor, held: HeldTask) -> None:
    """The actor completes ``held``; ``route`` creates the next task from the case's status."""
    at = timezone.now()
    set_started = held.status != STATUS.STARTED  # viewflow's start() stamps it
    defer(_complete_sql(set_started), [STATUS.DONE, actor.pk, at, *([at] if set_started else []), held.id])
    rows = _routed(case, held.process_id, at)
    _insert(case, rows)
    _link([(rows[0].pk, held.id), (rows[1].pk, rows[0].pk)])
    _history([held.id, rows[0].pk, rows[1].pk], actor, at, changed=held.id)
    _finish(held.process_id, rows, at)


def start_round(case, actor, *, reviewed: bool = False) -> None:
    """A new process for the case: ``start`` → ``route`` → the task for its status.

    ``reviewed``: the registering officer accepted at once, so the round passes the
    ``review`` task (done by ``actor``) before routing on the case's status.
    """
    flow = _flow()
    at = timezone.now()
    process_id = _new_process(case, at)
    rows = [_task(process_id, flow.start, at, status=STATUS.DONE, started=at, finished=at)]
    if reviewed:
        rows.append(_task(process_id, flow.route, at, status=STATUS.DONE, finished=at))
        rows.append(_done_by(_task(process_id, flow.review, at, status=STATUS.DONE), actor, at))
    rows += _routed(case, process_id, at)
    _insert(case, rows)
    _link([(rows[i].pk, rows[i - 1].pk) for i in range(1, len(rows))])
    _history([row.pk for row in rows], actor, at)
    _finish(process_id, rows, at)


__all__ = ["ACTIVE_TASK_STATUSES", "HeldTask", "active_tasks", "advance", "next_node", "start_round"]
