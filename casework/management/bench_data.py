"""Generated cases for the benchmark commands (``benchmark``, ``bench_pages``): ``generate_cases``.

Every generated case copies one real case registered through ``services.case_register`` (the
template: its worker, case, stage, open clock, history, process and tasks as the services left
them), with its own number, worker, dates, status and handling unit. The rows are written the
way the libraries write many rows, never by SQL naming a library's table:

* workers, cases, stages, open clocks: the ORM's ``bulk_create`` (PostgreSQL returns the ids,
  so none is drawn ahead);
* two history rows per case — registration at ``received_at``, outcome a day later — through
  simple_history's ``bulk_history_create``, dated per row by its documented per-instance
  ``_history_date``, and their audit links (``audit.chain.append_many``, as the sweep's bulk path);
* viewflow's ``Process`` rows and their ``start`` (done) and ``handle`` (new while the case is
  open, done when closed) ``Task`` rows: ``bulk_create`` on viewflow's models;
* the ``CaseProcess`` row of each process: a multi-table child of viewflow's ``Process``, which
  ``bulk_create`` refuses (Django ticket #28821). Its parent row exists, so it is written the way
  ``loaddata`` writes such a child — Django's documented deserialization
  (``DeserializedObject.save``: a raw save, the child's table only), one insert per case.

Chunks of ``CHUNK`` cases, one transaction each: memory stays flat, and an interrupted run
resumes after the last committed chunk (the ``BN-`` cases are counted). Randomness is
``random.Random`` seeded per chunk (2026 and the chunk's first index), so a chunk holds the
same cases whatever ran before it.

Shape (as the figures in docs/performance.md assume): received over the last two years; ~10 %
open (half at the enterprise level, a quarter each at union and government, with an open stage
clock due within 15 days), ~3 % answered, the rest closed; handling units spread over every
enterprise union, the case's enterprise and county those of the union.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.core import serializers
from django.db import connections, transaction
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

from audit.chain import append_many
from casework import services
from casework.clock import now
from casework.flows import CaseFlow
from casework.models import Case, CaseProcess, CaseStage, OrgUnit, Worker
from casework.models.org import UnitKind
from escalation.models import DeadlineClock

PREFIX = "BN-"
CHUNK = 5_000
PROGRESS_EVERY = 50_000
DAY = dt.timedelta(days=1)


def case_input(i: int, enterprise: str = "DEMO-E2") -> services.CaseInput:
    """A registration's input. Not DEMO-E1 by default, whose union's officer the benchmark's
    page figures read: the cases it registers would otherwise pile up in the queue it measures."""
    return services.CaseInput(
        worker={"name": f"基准职工{i}", "gender": "male", "phone": f"139{i % 100_000_000:08d}"},
        enterprise=enterprise,
        category="wages",
        channel="reception_day",
        summary="企业拖欠工资三个月。",
        request="要求足额支付工资。",
        consent=True,
    )


def _values(instance, *skip: str) -> dict:
    """The concrete field values of ``instance`` (by attname), to build copies from."""
    return {
        f.attname: getattr(instance, f.attname)
        for f in type(instance)._meta.concrete_fields
        if f.attname not in skip and not f.primary_key
    }


@dataclass(frozen=True)
class Template:
    """What every generated case copies: the template case's rows as values."""

    actor: object
    worker: dict
    case: dict
    stage: dict
    clock: dict
    process: dict
    start: dict
    handle: dict
    register_reason: str
    outcome_reason: str
    units: list[tuple[int, int, int]]  # (handling enterprise union, its enterprise, the county)

    @classmethod
    def register(cls, actor) -> Template:
        case = services.case_register(actor=actor, data=case_input(0), accept=True)
        process = CaseProcess.objects.get(case=case)
        tasks = Task.objects.filter(process=process)
        history = list(case.history.order_by("history_id").values_list("history_change_reason", flat=True))
        county = dict(OrgUnit.objects.filter(kind=UnitKind.ENTERPRISE).values_list("pk", "parent_id"))
        unions = OrgUnit.objects.filter(kind=UnitKind.ENTERPRISE_UNION).order_by("pk").values_list("pk", "parent_id")
        return cls(
            actor=actor,
            worker=_values(case.worker, "name", "phone", "enterprise_id", "created_at"),
            case=_values(case, "number", "worker_id"),
            stage=_values(case.stages.get(ended_at__isnull=True), "case_id"),
            clock=_values(DeadlineClock.objects.get(case=case, stopped_at__isnull=True), "case_id"),
            process=_values(Process.objects.get(pk=process.pk)),
            start=_values(tasks.get(flow_task=CaseFlow.start), "process_id"),
            handle=_values(tasks.get(flow_task=CaseFlow.handle), "process_id"),
            register_reason=history[0] or "",
            outcome_reason=history[-1] or "",
            units=[(u, e, county[e]) for u, e in unions],
        )


@dataclass(frozen=True)
class Draw:
    """One generated case's random facts: its index, unit, receipt and the share ``r`` its
    status, deadlines and closing follow (as the former SQL generator drew them)."""

    g: int
    unit: tuple[int, int, int]
    received: dt.datetime
    r: float

    @property
    def open(self) -> bool:
        return self.r < 0.1

    @property
    def status(self) -> str:
        if self.open:
            return ("enterprise", "enterprise", "union", "government")[int(self.r * 40)]
        return "answered" if self.r < 0.13 else "closed"

    @property
    def closed_at(self) -> dt.datetime | None:
        return None if self.open else self.received + self.r * 40 * DAY


# What the forked processes of ``generate_cases`` inherit (the template holds viewflow's node
# objects, which do not pickle): set before the pool starts, read in ``_generate_piece``.
_forked: dict = {}


def generate_cases(total: int, *, actor, processes: int = 1, progress: Callable[[int], None] | None = None) -> int:
    """Generate ``BN-`` cases until ``BN-00000000`` … ``BN-{total - 1}`` all exist; returns how
    many were added. ``actor`` registers the template case (a desk officer) and is the history
    rows' user. ``processes`` > 1: the chunks are shared by that many forked processes (each
    chunk its own transaction, so they never wait on each other). ``progress`` is told the
    running count every ``PROGRESS_EVERY`` cases and at the end."""
    pieces = _missing(total)
    if not pieces:
        return 0
    _forked["template"] = Template.register(actor)
    _forked["at"] = now()
    todo, done = sum(stop - start for start, stop in pieces), 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None and (done == todo or done // PROGRESS_EVERY > (done - count) // PROGRESS_EVERY):
            progress(done)

    try:
        if processes <= 1:
            for piece in pieces:
                advance(_generate_piece(piece))
        else:
            connections.close_all()  # each forked process opens its own connection
            with multiprocessing.get_context("fork").Pool(processes) as pool:
                for count in pool.imap_unordered(_generate_piece, pieces):
                    advance(count)
    finally:
        _forked.clear()
    return done


def _number(g: int) -> str:
    return f"{PREFIX}{g:08d}"


def _missing(total: int) -> list[tuple[int, int]]:
    """The ranges of case indexes still to generate, one per chunk. A chunk commits whole, so
    each holds a prefix of its range (the last chunk of a smaller earlier run, partly)."""
    pieces = []
    for start in range(0, total, CHUNK):
        stop = min(start + CHUNK, total)
        have = Case.objects.filter(number__gte=_number(start), number__lt=_number(stop)).count()
        if start + have < stop:
            pieces.append((start + have, stop))
    return pieces


def _generate_piece(piece: tuple[int, int]) -> int:
    start, stop = piece
    with transaction.atomic():
        _chunk(_forked["template"], start, stop, _forked["at"])
    return stop - start


def _draws(template: Template, start: int, stop: int, at: dt.datetime) -> list[Draw]:
    rng = random.Random(f"2026:{start}")  # noqa: S311 - test data
    return [
        Draw(g, rng.choice(template.units), at - rng.random() * 730 * DAY, rng.random()) for g in range(start, stop)
    ]


def _chunk(template: Template, start: int, stop: int, at: dt.datetime) -> None:
    draws = _draws(template, start, stop, at)
    workers = Worker.objects.bulk_create(
        [
            Worker(**template.worker, name=f"职工{d.g}", phone=f"139{d.g % 100_000_000:08d}", enterprise_id=d.unit[1])
            for d in draws
        ]
    )
    cases = Case.objects.bulk_create(
        [_case(template, d, worker, at, outcome=True) for d, worker in zip(draws, workers, strict=True)]
    )
    CaseStage.objects.bulk_create(
        [
            CaseStage(
                **{
                    **template.stage,
                    "case_id": case.pk,
                    "unit_id": d.unit[0],
                    "started_at": d.received,
                    "ended_at": None if d.open else d.received + d.r * 30 * DAY,
                }
            )
            for d, case in zip(draws, cases, strict=True)
        ]
    )
    _history(template, draws, cases, workers, at)
    DeadlineClock.objects.bulk_create(
        [
            DeadlineClock(
                **{
                    **template.clock,
                    "case_id": case.pk,
                    "unit_id": d.unit[0],
                    "started_at": d.received,
                    "due_at": at + d.r * 150 * DAY,
                    "warn_at": at + d.r * 100 * DAY,
                }
            )
            for d, case in zip(draws, cases, strict=True)
            if d.open
        ]
    )
    _workflow(template, draws, cases)


def _case(template: Template, d: Draw, worker: Worker, at: dt.datetime, *, outcome: bool) -> Case:
    """The case as it stands (``outcome``), or as the registration's history row saw it."""
    status = d.status if outcome else "enterprise"
    values = {
        **template.case,
        "number": _number(d.g),
        "worker_id": worker.pk,
        "status": status,
        "level": status if d.open or not outcome else "enterprise",
        "handling_unit_id": d.unit[0],
        "enterprise_id": d.unit[1],
        "county_id": d.unit[2],
        "received_at": d.received,
        "due_at": at + d.r * 150 * DAY if d.open else None,
        "warn_at": at + d.r * 100 * DAY if d.open else None,
        "closed_at": d.closed_at if outcome else None,
        "last_action": "close" if outcome else "register",
    }
    return Case(**values)


def _history(template: Template, draws: list[Draw], cases: list[Case], workers: list[Worker], at) -> None:
    """Two history rows per case, each dated by simple_history's per-instance ``_history_date``,
    and their audit links."""
    registered = []
    for d, case, worker in zip(draws, cases, workers, strict=True):
        row = _case(template, d, worker, at, outcome=False)
        row.pk = case.pk
        row._history_date = d.received
        registered.append(row)
        case._history_date = d.received + DAY
    rows = Case.history.bulk_history_create(
        registered, default_user=template.actor, default_change_reason=template.register_reason
    )
    rows += Case.history.bulk_history_create(
        cases, update=True, default_user=template.actor, default_change_reason=template.outcome_reason
    )
    append_many(rows)


def _workflow(template: Template, draws: list[Draw], cases: list[Case]) -> None:
    """A process per case with its start task (done) and its handle task (waiting in the
    unit's queue while the case is open), as the service leaves them."""
    processes = Process.objects.bulk_create(
        [
            Process(
                **{
                    **template.process,
                    "created": d.received,
                    "status": PROCESS.NEW if d.open else PROCESS.DONE,
                    "finished": d.closed_at,
                }
            )
            for d in draws
        ]
    )
    # The multi-table child rows of those processes (see the module docstring).
    children = [
        {"model": "casework.caseprocess", "pk": process.pk, "fields": {"case": case.pk}}
        for process, case in zip(processes, cases, strict=True)
    ]
    for child in serializers.deserialize("python", children):
        child.save(force_insert=True)
    tasks = []
    for d, process in zip(draws, processes, strict=True):
        done = None if d.open else d.received
        start = {"created": d.received, "started": d.received, "finished": d.received}
        tasks.append(Task(**{**template.start, **start, "process_id": process.pk}))
        tasks.append(
            Task(
                **{
                    **template.handle,
                    "process_id": process.pk,
                    "created": d.received,
                    "status": STATUS.NEW if d.open else STATUS.DONE,
                    "finished": done,
                }
            )
        )
    Task.objects.bulk_create(tasks)
