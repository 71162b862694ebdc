"""Registering a worker's problem (登记受理): the first receiver becomes the owner."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import history, locking, notify, rules
from ..clock import now
from ..exceptions import InvalidInput, NotAllowed
from ..models import Case, CaseNumberSequence, Category, Channel, OrgUnit, Worker
from ..models.case import Status
from ..models.org import Role, UnitKind
from ..validators import check_received_at, id_contradictions, id_number_facts, normalize_id_number, normalize_phone
from . import core, workflow

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
    # 主席接待日: the receiving leader (接待领导) records on the case; with ``leader_takes_charge``
    # the leader also takes the case in personal charge (领导包案).
    receiving_leader: object | None = None
    leader_takes_charge: bool = False
    extra: dict = field(default_factory=dict)


def next_case_number(year: int) -> str:
    """``GH-2026-000123``: the year's counter row, locked until the transaction ends."""
    from django.conf import settings

    sequence, _created = CaseNumberSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{settings.CASEWORK_NUMBER_PREFIX}-{year}-{sequence.last:06d}"


def _lookups(data: CaseInput) -> tuple[OrgUnit, OrgUnit, Category, Channel]:
    """The active enterprise of the input (with its parent), the unit that handles its
    enterprise level (``OrgUnit.enterprise_union``: its union, else itself; both read in
    one query), its category and its channel."""
    code = (data.enterprise or "").strip()
    units = list(
        OrgUnit.objects.select_related("parent")
        .filter(
            Q(code=code, kind=UnitKind.ENTERPRISE)
            | Q(parent__code=code, parent__kind=UnitKind.ENTERPRISE, kind=UnitKind.ENTERPRISE_UNION),
            active=True,
        )
        .order_by("path")
    )
    enterprise = next((u for u in units if u.kind == UnitKind.ENTERPRISE), None)
    if enterprise is None:
        raise InvalidInput(fields={"enterprise": [_("企业不存在或已停用，请从列表中选择。")]})
    union = next((u for u in units if u.kind == UnitKind.ENTERPRISE_UNION), enterprise)
    category = Category.objects.filter(code=(data.category or "").strip(), active=True).first()
    if category is None:
        raise InvalidInput(fields={"category": [_("请选择有效的诉求类别。")]})
    channel = Channel.objects.filter(code=(data.channel or "").strip(), active=True).first()
    if channel is None:
        raise InvalidInput(fields={"channel": [_("请选择有效的受理渠道。")]})
    return enterprise, union, category, channel


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
    _fill_from_id_number(values, errors)
    return values, errors


def _fill_from_id_number(values: dict, errors: dict[str, list[str]]) -> None:
    """The ID number states birth month and gender: fill them when not given; a 出生年月 or a
    性别 that contradicts it is refused (``validators.id_contradictions``)."""
    facts = id_number_facts(values["id_number"])
    if facts is None:
        return
    for name, message in id_contradictions(
        facts, gender=values.get("gender", ""), birth_month=values.get("birth_month", "")
    ).items():
        errors[name] = [message]
    if not values.get("birth_month"):
        values["birth_month"] = facts.birth_month
    if values.get("gender", "unknown") in ("", "unknown"):
        values["gender"] = facts.gender


def _worker_from(values: dict, enterprise: OrgUnit) -> Worker:
    """The worker as told at this intake: a record of its own, which only this case uses
    (what one county records never changes what another county sees)."""
    worker = Worker(**values, enterprise=enterprise)
    try:
        core.full_clean_or_raise(worker, exclude=["enterprise"])
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


def _receiving_leader(data: CaseInput):
    """The receiving leader must be an active staff member in the leader (or admin) role."""
    leader = data.receiving_leader
    if leader is None:
        if data.leader_takes_charge:
            raise InvalidInput(fields={"receiving_leader": [_("领导包案须指定接待领导。")]})
        return None
    p = rules.profile(leader)
    if p is None or not leader.is_active or p.role not in (Role.LEADER, Role.ADMIN):
        raise InvalidInput(fields={"receiving_leader": [_("接待领导须为启用的工会领导。")]})
    return leader


# Received before this is a typing error (the oldest paper registers carried into the system).


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
    enterprise, enterprise_union, category, channel = _lookups(data)
    # The enterprise's county federation: usually its parent, read with it.
    parent = enterprise.parent
    county = parent if parent is not None and parent.kind == UnitKind.COUNTY_FEDERATION else enterprise.county
    if county is None:
        raise InvalidInput(fields={"enterprise": [_("该企业未归属任何区县，无法确定属地。")]})
    received_at = data.received_at or now()
    try:
        check_received_at(received_at, at=now())
    except ValidationError as exc:
        raise InvalidInput(fields={"received_at": list(exc.messages)}) from None
    if not isinstance(data.workers_involved, int) or not 1 <= data.workers_involved <= 100000:
        raise InvalidInput(fields={"workers_involved": [_("涉及人数应为1至100000之间的整数。")]})
    if worker_errors:
        raise InvalidInput(fields={f"worker.{k}": v for k, v in worker_errors.items()})
    receiving_leader = _receiving_leader(data)
    worker = _worker_from(worker_values, enterprise)
    case = Case(
        number="pending",
        receiving_unit=profile.unit,
        enterprise=enterprise,
        county=county,
        category=category,
        channel=channel,
        place=(data.place or "").strip(),
        summary=core.require_text(data.summary, "summary", _("反映问题")),
        request=core.require_text(data.request, "request", _("职工诉求")),
        workers_involved=data.workers_involved,
        urgent=bool(data.urgent),
        consent=True,
        owner=actor,
        received_at=received_at,
        receiving_leader=receiving_leader,
        leader=receiving_leader if data.leader_takes_charge else None,
    )
    # The related rows were just read; the number is drawn and the worker saved in the transaction.
    loaded = ["receiving_unit", "enterprise", "county", "category", "channel", "owner", "receiving_leader", "leader"]
    core.full_clean_or_raise(case, exclude=["number", "worker", "status", *loaded])

    reason = _("登记受理")
    # Both changes' outbox rows (register, accept) go in one insert.
    with transaction.atomic(), locking.holding(), notify.batched():
        with history.acting(actor, reason):
            worker.save()
        case.worker = worker
        case.number = next_case_number(timezone.localtime(received_at).year)
        core.enter_stage(case, "receipt")
        core.record(case, actor=actor, action="register", reason=reason, from_status="")
        if accept:
            reason = _accept(case, actor, "", sync=False, unit=enterprise_union)
        # The round starts from the status the case has now: accepted at once, it goes
        # straight to the enterprise level's queue; otherwise to the owner's 受理审查.
        workflow.start_round(case, actor, reason)
        return case


def case_accept(*, case: Case | str, actor, reason: str = "", expected_version: int | None = None) -> Case:
    """受理: the case enters the enterprise level and the enterprise union's queue."""
    with core.locked_case(case, expected_version=expected_version) as c:
        _accept(c, actor, reason)
        return c


def _accept(c: Case, actor, reason: str, *, sync: bool = True, unit: OrgUnit | None = None) -> str:
    core.apply_transition(c, "accept", actor)
    core.leave_stage(c, "receipt")
    core.enter_stage(c, "enterprise", unit=unit or core.unit_for_level(c, "enterprise"))
    reason = reason or _("受理，转企业层面办理")
    core.record(c, actor=actor, action="accept", reason=reason, from_status=Status.REGISTERED)
    if sync:
        workflow.sync(c, actor, reason)
    return reason


def case_not_accept(*, case: Case | str, actor, guidance: str, expected_version: int | None = None) -> Case:
    """不予受理: outside scope; the worker is told where to go (首问负责 still applies)."""
    guidance = core.require_text(guidance, "guidance", _("告知与指引"))
    with core.locked_case(case, expected_version=expected_version) as c:
        core.apply_transition(c, "not_accept", actor, guidance=guidance)
        core.leave_stage(c, "receipt")
        c.due_at = None
        c.closed_at = now()
        core.record(c, actor=actor, action="not_accept", reason=guidance, from_status=Status.REGISTERED)
        workflow.sync(c, actor, guidance)
        return c
