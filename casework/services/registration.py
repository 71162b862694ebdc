"""Registering a worker's problem (登记受理): the first receiver becomes the owner."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Process, Task

from .. import notify, rules, signals
from ..clock import now
from ..exceptions import InvalidInput, NotAllowed
from ..models import Case, CaseNumberSequence, Category, Channel, OrgUnit, Worker
from ..models.case import Status
from ..models.org import UnitKind
from ..validators import normalize_id_number, normalize_phone
from . import _core, _history, _sql, _workflow

WORKER_FIELDS = (
    "name",
    "gender",
    "birth_month",
    "phone",
    "id_number",
    "hukou",
    "ethnicity",
    "political_status",
    "education",
    "post",
    "technical_title",
    "migrant",
    "dispatched",
    "province",
    "city",
    "county",
)


@dataclass
class CaseInput:
    """What intake records (DOMAIN.md). ``enterprise``/``category``/``channel`` are codes."""

    worker: dict
    enterprise: str
    category: str
    channel: str
    summary: str
    request: str
    consent: bool
    workers_involved: int = 1
    urgent: bool = False
    place: str = ""
    received_at: dt.datetime | None = None
    extra: dict = field(default_factory=dict)


def _number_query(year: int) -> tuple[str, list]:
    """One statement: create or bump the year's counter row, read the new value."""
    table = connection.ops.quote_name(CaseNumberSequence._meta.db_table)
    return (
        f"INSERT INTO {table} (year, last) VALUES (%s, 1) "  # noqa: S608 - the table name is ours
        f"ON CONFLICT (year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
        [year],
    )


def _case_number(year: int, last: int) -> str:
    from django.conf import settings

    return f"{settings.CASEWORK_NUMBER_PREFIX}-{year}-{last:06d}"


def _number_and_reads_ahead(case: Case, year: int, stages: list[tuple]) -> str:
    """``GH-2026-000123`` (the year's counter row stays locked until the transaction ends),
    read in one round trip with what the receivers of ``stages_ahead`` will read for
    ``stages`` (the time-limit policies of each stage)."""
    reads = [
        read
        for _receiver, answer in signals.stages_ahead.send(sender=Case, case=case, stages=stages)
        for read in answer or ()
    ]
    number, *rows = _sql.fetch_sets(
        [_number_query(year), *((sql, params, key) if key else (sql, params) for sql, params, key, _s in reads)]
    )
    for (_sql_text, _params, _key, store), found in zip(reads, rows, strict=True):
        store(found)
    return _case_number(year, number[0][0])


@cache
def _enterprise_sql() -> tuple[str, _sql.Reader]:
    read = _sql.reader(OrgUnit, "e", ("parent",))
    qn = _sql.qn
    sql = (
        f"SELECT {read.columns} FROM {qn(OrgUnit._meta.db_table)} e {read.joins} "  # noqa: S608
        f"WHERE e.{qn('code')} = %s AND e.{qn('active')} AND e.{qn('kind')} = %s"
    )
    return sql, read




@cache
def _references_sql() -> tuple[str, _sql.Reader, _sql.Reader]:
    """Category and channel share one abstract model, so one ``UNION ALL`` reads both."""
    qn = _sql.qn
    category, channel = _sql.reader(Category, "r"), _sql.reader(Channel, "r")
    branches = [
        f"SELECT {i}, {read.columns} FROM {qn(model._meta.db_table)} r "  # noqa: S608
        f"WHERE r.{qn('code')} = %s AND r.{qn('active')}"
        for i, (model, read) in enumerate([(Category, category), (Channel, channel)])
    ]
    return " UNION ALL ".join(branches), category, channel


@cache
def _union_by_code_sql() -> tuple[str, _sql.Reader]:
    """The enterprise union that ``_core.unit_for_level`` picks, by the enterprise's code."""
    read, qn = _sql.reader(OrgUnit, "u"), _sql.qn
    table = qn(OrgUnit._meta.db_table)
    sql = (
        f"SELECT {read.columns} FROM {table} u WHERE u.{qn('parent_id')} = (SELECT e.{qn('id')} "  # noqa: S608
        f"FROM {table} e WHERE e.{qn('code')} = %s AND e.{qn('active')} AND e.{qn('kind')} = %s) "
        f"AND u.{qn('kind')} = %s AND u.{qn('active')} ORDER BY u.{qn('path')} LIMIT 1"
    )
    return sql, read


# The ids registration writes ahead of its rows (PostgreSQL): the case, its two history
# rows (registered, accepted), its workflow round (the process, and up to five tasks:
# start, route, review, route, the task routed to), then a new worker and its history row.
@cache
def _case_ids() -> list[tuple[type, int]]:
    return [(Case, 1), (_history.history_model(Case), 2), (Process, 1), (Task, 5)]


@cache
def _worker_ids() -> list[tuple[type, int]]:
    return [(Worker, 1), (_history.history_model(Worker), 1)]


@cache
def _ids_sql() -> str:
    return "SELECT " + _sql.next_ids_sql(*_sql.id_columns(_case_ids() + _worker_ids()))


def _lookups(data: CaseInput, worker: dict) -> tuple[OrgUnit, Category, Channel, Worker | None, tuple | None]:
    """The active enterprise of the input (with its parent and its union, which handles the
    enterprise level), its category, its channel and the worker on file (``worker``: the
    normalised fields; none when they are bad): statements written once, sent in one round
    trip, with the ids written ahead on PostgreSQL (``_ids_sql``; ids drawn for input that
    is then refused are left unused, like those of a rolled-back insert)."""
    enterprise_sql, enterprise_read = _enterprise_sql()
    union_sql, union_read = _union_by_code_sql()
    references_sql, category_read, channel_read = _references_sql()
    code = (data.enterprise or "").strip()
    # Prepared statements of the connection (planning the five took ~0.4 ms per call).
    statements = [
        (enterprise_sql, [code, UnitKind.ENTERPRISE], "register_enterprise"),
        (union_sql, [code, UnitKind.ENTERPRISE, UnitKind.ENTERPRISE_UNION], "register_union"),
        (references_sql, [(data.category or "").strip(), (data.channel or "").strip()], "register_references"),
    ]
    known_read = _known_worker_read(worker)
    if known_read is not None:
        sql, params, _read, key = known_read
        statements.append((sql, params, key))
    if connection.vendor == "postgresql":
        statements.append((_ids_sql(), [], "register_ids"))
    enterprises, unions, references, *rest = _sql.fetch_sets(statements)
    known = None
    if known_read is not None:
        found = rest.pop(0)
        known = known_read[2].build(found[0]) if found else None
    if not enterprises:
        raise InvalidInput(fields={"enterprise": [_("企业不存在或已停用，请从列表中选择。")]})
    enterprise = enterprise_read.build(enterprises[0])
    enterprise.__dict__[_core.ENTERPRISE_UNION] = union_read.build(unions[0]) if unions else None
    found = {row[0]: row for row in references}
    if 0 not in found:
        raise InvalidInput(fields={"category": [_("请选择有效的诉求类别。")]})
    if 1 not in found:
        raise InvalidInput(fields={"channel": [_("请选择有效的受理渠道。")]})
    category, channel = category_read.build(found[0], 1), channel_read.build(found[1], 1)
    return enterprise, category, channel, known, rest[0][0] if rest else None


def _worker_values(data: dict) -> tuple[dict, dict[str, list[str]]]:
    """The worker fields of the input, trimmed and normalised, and what is wrong with them."""
    unknown = set(data) - set(WORKER_FIELDS)
    if unknown:
        return {}, {k: [_("未知字段。")] for k in sorted(unknown)}
    values = {k: v for k, v in data.items() if v is not None}
    for key in (
        "name",
        "birth_month",
        "hukou",
        "ethnicity",
        "political_status",
        "education",
        "post",
        "technical_title",
        "province",
        "city",
        "county",
    ):
        if key in values:
            values[key] = str(values[key]).strip()
    errors: dict[str, list[str]] = {}
    try:
        values["phone"] = normalize_phone(values.get("phone", ""))
    except Exception as exc:  # ValidationError from phonenumbers checks
        errors["phone"] = list(getattr(exc, "messages", [str(exc)]))
    values["id_number"] = normalize_id_number(values.get("id_number", ""))
    return values, errors


@cache
def _known_worker_sql(by_id_number: bool) -> tuple[str, _sql.Reader]:
    read, qn = _sql.reader(Worker, "w"), _sql.qn
    where = f"w.{qn('id_number')} = %s" if by_id_number else f"w.{qn('name')} = %s AND w.{qn('phone')} = %s"
    sql = f"SELECT {read.columns} FROM {qn(Worker._meta.db_table)} w WHERE {where} ORDER BY w.{qn('id')} LIMIT 1"  # noqa: S608
    return sql, read


def _known_worker_read(values: dict) -> tuple[str, list, _sql.Reader, str] | None:
    """The worker already on file: by ID number, else by name and phone (else none); with
    the key of its prepared statement."""
    if values.get("id_number"):
        sql, read = _known_worker_sql(True)
        return sql, [values["id_number"]], read, "register_worker_by_id_number"
    if values.get("phone") and values.get("name"):
        sql, read = _known_worker_sql(False)
        return sql, [values["name"], values["phone"]], read, "register_worker_by_name_phone"
    return None


def _worker_from(values: dict, known: Worker | None, enterprise: OrgUnit) -> Worker:
    """The worker on file (``known``) or a new one, with what was given."""
    worker = known if known is not None else Worker()
    for key, value in values.items():
        setattr(worker, key, value)
    worker.enterprise = enterprise
    try:
        _core.full_clean_or_raise(worker, exclude=_core.loaded_relations(worker))
    except InvalidInput as exc:
        raise InvalidInput(fields={f"worker.{k}": v for k, v in exc.fields.items()}) from None
    return worker


def _refuse_nul(data: CaseInput) -> None:
    """A NUL character is refused as bad input (PostgreSQL text cannot hold it; the forms
    and the API refuse it too), not left to fail the insert."""
    values = {f"worker.{k}": v for k, v in data.worker.items()}
    values.update(
        enterprise=data.enterprise, category=data.category, channel=data.channel,
        summary=data.summary, request=data.request, place=data.place,
    )  # fmt: skip
    bad = sorted(k for k, v in values.items() if isinstance(v, str) and "\x00" in v)
    if bad:
        raise InvalidInput(fields={k: [_("不能包含空字符。")] for k in bad})


def case_register(*, actor, data: CaseInput, accept: bool = True) -> Case:
    """登记: create worker and case, owner = ``actor`` (首问负责), start the workflow.

    With ``accept`` (the desk's usual path) the case is accepted at once and enters the
    enterprise level; otherwise it waits in the owner's inbox for 受理审查.
    Writes nothing when any input is bad.
    """
    profile = rules.profile(actor)
    if profile is None or not actor.has_perm("casework.register_case"):
        raise NotAllowed(_("您没有登记案件的权限。"))
    if not data.consent:
        raise InvalidInput(fields={"consent": [_("须告知职工并取得其同意后，方可登记个人信息。")]})
    _refuse_nul(data)
    worker_values, worker_errors = _worker_values(data.worker)
    enterprise, category, channel, known, ids = _lookups(data, {} if worker_errors else worker_values)
    # The enterprise's county federation: usually its parent, read with it.
    parent = enterprise.parent
    county = parent if parent is not None and parent.kind == UnitKind.COUNTY_FEDERATION else enterprise.county
    if county is None:
        raise InvalidInput(fields={"enterprise": [_("该企业未归属任何区县，无法确定属地。")]})
    received_at = data.received_at or now()
    if received_at > now() + dt.timedelta(minutes=5):
        raise InvalidInput(fields={"received_at": [_("受理时间不能晚于当前时间。")]})
    if not isinstance(data.workers_involved, int) or not 1 <= data.workers_involved <= 100000:
        raise InvalidInput(fields={"workers_involved": [_("涉及人数应为1至100000之间的整数。")]})
    if worker_errors:
        raise InvalidInput(fields={f"worker.{k}": v for k, v in worker_errors.items()})

    # The outbox rows of register and accept in one insert; the writes nobody reads back
    # travel with the next statement (``_sql.carrying``).
    with transaction.atomic(), _sql.carrying(), notify.batched():
        worker = _worker_from(worker_values, known, enterprise)
        case = Case(
            number="pending",
            receiving_unit=profile.unit,
            enterprise=enterprise,
            county=county,
            worker=worker,
            category=category,
            channel=channel,
            place=(data.place or "").strip(),
            summary=_core.require_text(data.summary, "summary", _("反映问题")),
            request=_core.require_text(data.request, "request", _("职工诉求")),
            workers_involved=data.workers_involved,
            urgent=bool(data.urgent),
            consent=True,
            owner=actor,
            received_at=received_at,
        )
        _core.full_clean_or_raise(case, exclude=["number", "worker", "status", *_core.loaded_relations(case)])
        worker._history_user = actor
        if ids is not None:  # rows written with their ids drawn ahead (``_sql.take_ids``)
            drawn = _sql.draw_ids(case, _case_ids(), ids)
            _sql.draw_ids(worker, _worker_ids(), ids[drawn:])
            (case.pk,) = _sql.take_ids(case, Case, 1)
            if worker.pk is None:
                (worker.pk,) = _sql.take_ids(worker, Worker, 1)
        _history.save(worker)
        case.worker = worker
        stages = [("receipt", None)]
        if accept:
            stages.append(("enterprise", _core.unit_for_level(case, "enterprise")))
        case.number = _number_and_reads_ahead(case, timezone.localtime(received_at).year, stages)
        _core.enter_stage(case, "receipt")
        # Accepted at once: the case row is written once, in its accepted state.
        _core.record(case, actor=actor, action="register", reason=_("登记受理"), from_status="", row_later=accept)
        if accept:
            # The row was inserted by this transaction, so no one else can see or lock it:
            # accept on the instance in hand instead of reading it back.
            _accept(case, actor, "", sync=False)
        # The round's task rows in one go: start, then review (done at once when accepted).
        _workflow.start_round(case, actor, reviewed=accept)
        return case


def case_accept(*, case: Case | str, actor, reason: str = "", expected_version: int | None = None) -> Case:
    """受理: the case enters the enterprise level and the enterprise union's queue."""
    with _core.locked_case(case, expected_version=expected_version) as c:
        _accept(c, actor, reason)
        return c


def _accept(c: Case, actor, reason: str, *, sync: bool = True) -> None:
    _core.apply_transition(c, "accept", actor)
    _core.leave_stage(c, "receipt")
    _core.enter_stage(c, "enterprise", unit=_core.unit_for_level(c, "enterprise"))
    reason = reason or _("受理，转企业层面办理")
    _core.record(c, actor=actor, action="accept", reason=reason, from_status=Status.REGISTERED)
    if sync:
        _core.sync_workflow(c, actor)


def case_not_accept(*, case: Case | str, actor, guidance: str, expected_version: int | None = None) -> Case:
    """不予受理: outside scope; the worker is told where to go (首问负责 still applies)."""
    guidance = _core.require_text(guidance, "guidance", _("告知与指引"))
    with _core.locked_case(case, expected_version=expected_version) as c:
        _core.apply_transition(c, "not_accept", actor, guidance=guidance)
        _core.leave_stage(c, "receipt")
        c.due_at = None
        c.closed_at = now()
        _core.record(c, actor=actor, action="not_accept", reason=guidance, from_status=Status.REGISTERED)
        _core.sync_workflow(c, actor)
        return c
