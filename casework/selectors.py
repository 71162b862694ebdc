"""Reads shared by pages and the API, each a fixed number of queries (house rule 3)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import Count, Exists, F, Lookup, OuterRef, Q, QuerySet, Window
from django.http import Http404
from django_fsm import can_proceed, has_transition_perm
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from . import catalog, rules
from .models import Case, CaseStage, OrgUnit, ReplyTemplate, Worker
from .models.case import (
    LEVEL_STATUSES,
    OPEN_STATUSES,
    TERMINAL_STATUSES,
    ReplyMethod,
    Satisfaction,
    Status,
    status_label,
)
from .models.org import Role
from .search import SEARCH_MIN_LENGTH, search_filter  # noqa: F401 - the lists' and the API's search

CASE_RELATED = ("worker", "category", "channel", "handling_unit", "enterprise", "county", "owner", "leader")
# What a row of a list shows: the pages' tables (case list, task lists) and the API's
# ``CaseSummary``. Fewer joined tables: fewer model instances, and a page query that is cheap
# to plan (planning time grows exponentially with the number of joined tables).
LIST_RELATED = ("worker", "category", "channel", "handling_unit", "enterprise")
SUMMARY_RELATED = (*LIST_RELATED, "owner", "leader")
# The columns a summary reads (the API's ``CaseSummary`` and ``case_summary_data``): a list
# loads only these (psycopg converts every column it is sent; a case row has 41, a user 11).
SUMMARY_ONLY = (
    "number", "status", "level", "summary", "urgent", "workers_involved", "outcome", "satisfaction", "systemic",
    "anonymous_to_enterprise",  # rules.hides_worker: whether the worker's name may be shown
    "received_at", "due_at", "warn_at", "paused_at", "version",
    *(f"{unit}__{f}" for unit in ("handling_unit", "enterprise") for f in ("code", "name", "kind")),
    *(f"{user}__{f}" for user in ("owner", "leader") for f in ("username", "first_name", "last_name")),
    *(f"{ref}__{f}" for ref in ("category", "channel") for f in ("code", "name")),
    *(f"worker__{f}" for f in ("name", "gender", "phone", "id_number", "birth_month", "post", "migrant", "dispatched")),
)  # fmt: skip


def summaries(cases: QuerySet[Case]) -> QuerySet[Case]:
    """``cases`` with what a summary shows: ``SUMMARY_RELATED`` joined, ``SUMMARY_ONLY`` loaded."""
    return cases.select_related(*SUMMARY_RELATED).only(*SUMMARY_ONLY)


def visible_cases(user, *, listing: bool = False) -> QuerySet[Case]:
    """The cases ``user`` may see at all; anything else answers 404.

    Owner and leader always; leaders, supervisors and admins their unit's subtree;
    the intake desk what its unit received; officers what their unit handled.
    ``listing``: the same cases, in the form that suits a list of many rather than one
    case looked up (for officers on PostgreSQL, see below).
    """
    if user is None or not user.is_authenticated:
        return Case.objects.none()
    if user.is_superuser:
        return Case.objects.all()
    profile = rules.profile(user)
    visible = Q(owner=user) | Q(leader=user)
    if profile is not None:
        if profile.role in (Role.LEADER, Role.SUPERVISOR, Role.ADMIN):
            # ``county_id IN (subtree)`` rather than a join on the path: the planner can
            # then walk the received_at / due_at index and stop after one page.
            visible |= Q(county_id__in=subtree_unit_ids(profile.unit))
        elif profile.role == Role.INTAKE:
            visible |= Q(receiving_unit=profile.unit)
        elif profile.role == Role.OFFICER:
            if listing and connection.vendor == "postgresql":
                # ``id = ANY(ARRAY(the unit's case ids))``: read once, and an index condition
                # the planner can OR with the owner and leader indexes, where an ``EXISTS`` per
                # case made a list walk the case table probing stages (a search for a common
                # term read every case). One case looked up keeps the ``EXISTS``: one
                # probe rather than every id the unit ever handled.
                handled = CaseStage.objects.filter(unit=profile.unit).values("case_id")
                visible |= Q(_AnyOf(F("pk"), ArraySubquery(handled)))
            else:
                visible |= Q(Exists(CaseStage.objects.filter(case=OuterRef("pk"), unit=profile.unit)))
    return Case.objects.filter(visible)


class _AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = compiler.compile(self.rhs)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


def subtree_unit_ids(unit: OrgUnit) -> QuerySet:
    """The ids of ``unit`` and every unit below it (lazy: a subquery, or ``list()`` it)."""
    return OrgUnit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True)


def get_visible_case(user, number: str) -> Case:
    case = visible_case(user, number)
    if case is None:
        raise Http404
    return case


def visible_case(user, number: str) -> Case | None:
    """The case ``number`` if ``user`` may see it (else ``None``), with ``CASE_RELATED`` and
    ``merged_into``: its id found by number first, without joins, then ``case_with_related``."""
    pk = visible_cases(user).filter(number=number).values_list("pk", flat=True).first()
    return None if pk is None else case_with_related(pk)


def case_with_related(pk: int) -> Case | None:
    """Case ``pk`` with ``CASE_RELATED`` and ``merged_into``, its ten tables joined in the order
    written (``pagination.rows_by_ids``): planning that join cost PostgreSQL many times what
    reading the one row did."""
    from .pagination import rows_by_ids

    found = rows_by_ids(Case.objects.select_related(*CASE_RELATED, "merged_into"), [pk])
    return found[0] if found else None


# --- task lists ---------------------------------------------------------------------

TASK_RELATED = tuple(f"process__caseprocess__case__{r}" for r in SUMMARY_RELATED) + ("owner",)
# The task pages' rows: the case's number, worker, enterprise, category, status and deadline.
TASK_PAGE_RELATED = tuple(f"process__caseprocess__case__{r}" for r in ("worker", "enterprise", "category"))


def _tasks() -> QuerySet[Task]:
    return Task.objects.filter(flow_task_type="HUMAN").select_related(*TASK_RELATED)


def with_cases(tasks) -> list[Task]:
    result = list(tasks)
    for task in result:
        task.case = task.process.caseprocess.case
    return result


def inbox(user) -> QuerySet[Task]:
    """Tasks assigned to ``user`` (claimed level tasks, and the owner's review/reply/follow-up)."""
    return (
        _tasks()
        .filter(owner=user, status__in=[STATUS.ASSIGNED, STATUS.STARTED])
        .order_by("process__caseprocess__case__due_at", "created")
    )


def _queue_unit_id(user) -> int | None:
    """The unit whose queue ``user`` works from: an officer's, with the permission to handle."""
    profile = rules.profile(user)
    if profile is None or profile.role != Role.OFFICER or not user.has_perm("casework.handle_case"):
        return None
    return profile.unit_id


def queue(user) -> QuerySet[Task]:
    """Unclaimed level tasks of the user's unit."""
    unit_id = _queue_unit_id(user)
    if unit_id is None:
        return Task.objects.none()
    # An unclaimed task is a level's ``handle`` task, which exists only while the case is at a
    # level (the flow routes on the status and every transition completes the open task).
    # Saying so lets PostgreSQL start from the unit's open cases (``case_unit_status``)
    # instead of every case the unit ever handled.
    return (
        _tasks()
        .filter(
            status=STATUS.NEW,
            owner__isnull=True,
            process__caseprocess__case__handling_unit_id=unit_id,
            process__caseprocess__case__status__in=LEVEL_STATUSES,
        )
        .order_by("process__caseprocess__case__due_at", "created")
    )


def task_page(user, which: str, limit: int) -> tuple[list[tuple], int]:
    """The first ``limit`` rows of ``inbox(user)`` (``which="inbox"``) or ``queue(user)``, in
    their order, as ``(task id, node, status, owner's username, created, case id)``, and how
    many rows the list has (``COUNT(*) OVER ()`` in the same query: an inbox and a unit's
    queue are bounded by their open cases)."""
    tasks = inbox(user) if which == "inbox" else queue(user)
    columns = ("pk", "flow_task", "status", "owner__username", "created", "process__caseprocess__case_id")
    rows = list(tasks.select_related(None).annotate(total=Window(Count("pk"))).values_list(*columns, "total")[:limit])
    return [row[:-1] for row in rows], (rows[0][-1] if rows else 0)


def archive(user) -> QuerySet[Task]:
    return _tasks().filter(owner=user, finished__isnull=False).exclude(status=STATUS.CANCELED).order_by("-finished")


# --- one case ---------------------------------------------------------------------


@dataclass
class TimelineEntry:
    at: object
    actor: object
    action: str
    from_status: str
    to_status: str
    reason: str
    replied: bool = False  # the worker had been told (答复) once this change was made

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def is_internal(self) -> bool:
        return self.action in catalog.INTERNAL_NOTES

    @property
    def is_told(self) -> bool:
        return self.action in catalog.TOLD_WORKER

    @property
    def from_label(self) -> str:
        # The reply itself is what moves 已形成结果·待答复职工 to 已答复·待回访.
        replied_before = self.replied and self.action != "reply"
        return status_label(self.from_status, replied_before) if self.from_status else ""

    @property
    def to_label(self) -> str:
        return status_label(self.to_status, self.replied) if self.to_status else ""


def timeline(case: Case) -> list[TimelineEntry]:
    """Every recorded change: who, when, from which status to which, and why."""
    rows = case.history.select_related("history_user").order_by("history_date", "history_id")
    return [
        TimelineEntry(
            at=row.history_date,
            actor=row.history_user,
            action=row.last_action,
            from_status=row.prev_status,
            to_status=row.status,
            reason=row.history_change_reason or "",
            replied=row.replied_at is not None,
        )
        for row in rows
    ]


def internal_notes(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """内部记录 among ``timeline(case)``: written for staff, never shown to the worker."""
    return [e for e in entries if e.is_internal]


def told_worker(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """告知职工 among ``timeline(case)``, in order: the 不予受理 guidance, what the worker was
    told along the way, each 答复 (one per round)."""
    return [e for e in entries if e.is_told and e.reason]


def reply_letters(case: Case) -> list[Case]:
    """答复意见书 as sent, one per round: the case as it stood at each ``reply`` (its history
    row), so a letter stays readable after 复查 clears the case's result for the next round.
    The instances are read-only snapshots (never saved)."""
    rows = case.history.filter(last_action="reply").order_by("history_date", "history_id")
    return [row.instance for row in rows]


def reply_letter_rounds(case: Case) -> list[int]:
    """The round numbers of the letters sent, for a reopened case's page (no query otherwise:
    a case never reopened has at most its current letter)."""
    if not case.reopen_count:
        return []
    return list(range(1, case.history.filter(last_action="reply").count() + 1))


def reply_templates(category_id: int | None) -> list[ReplyTemplate]:
    """常用答复语 offered for a case of this category: the active ones of the category first,
    then those for every category, each group in the admins' order. One query."""
    rows = ReplyTemplate.objects.filter(
        Q(category_id=category_id) | Q(category__isnull=True), active=True
    ).select_related("category")
    return sorted(rows, key=lambda t: (t.category_id is None, t.order, t.pk))


def stages(case: Case) -> list[CaseStage]:
    return list(case.stages.select_related("unit"))


ACTIVE_TASK_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def open_task(case: Case) -> Task | None:
    """The case's open human task (the flow keeps at most one), with its process and the
    case link viewflow's activations read."""
    return (
        Task.objects.filter(
            process__caseprocess__case_id=case.pk, flow_task_type="HUMAN", status__in=ACTIVE_TASK_STATUSES
        )
        .select_related("process__caseprocess", "owner")
        .order_by("-created", "-id")
        .first()
    )


# Action codes, shared by the pages and the API (``catalog``; other apps add theirs there).
ACTION_LABELS = catalog.ACTION_LABELS
STATUS_ACTIONS = catalog.STATUS_ACTIONS


def allowed_actions(case: Case, user, task: Task | None = None) -> list[str]:
    """The actions ``user`` may take on ``case`` now (and only those)."""
    if user is None or not user.is_authenticated:
        return []
    actions: list[str] = []

    def fsm(code: str, method_name: str) -> None:
        method = getattr(case, method_name)
        if can_proceed(method) and has_transition_perm(method, user):
            actions.append(code)

    task = task if task is not None else open_task(case)
    holder_ok = task is None or task.owner_id in (None, user.pk) or rules.is_leader_of(case, user)

    fsm("accept", "accept")
    fsm("not_accept", "not_accept")
    if case.status in LEVEL_STATUSES:
        if task is not None and task.owner_id is None and rules.can_handle(case, user):
            actions.append("claim")
        if task is not None and task.owner_id == user.pk and task.flow_task.name == "handle":
            actions.append("release")
        if task is not None and task.flow_task.name == "handle" and rules.can_lead(case, user):
            actions.append("assign")
        if holder_ok:
            if case.status != Status.GOVERNMENT:
                fsm("escalate", "escalate_to_union" if case.status == Status.ENTERPRISE else "escalate_to_government")
            fsm("resolve", "resolve")
    if case.status == Status.ANSWERED and case.replied_at is None and rules.is_owner(case, user):
        actions.append("reply")
    fsm("followup", "follow_up")
    fsm("close", "close")
    fsm("reopen", "reopen")
    fsm("withdraw", "withdraw")
    fsm("merge", "merge")
    if case.status not in TERMINAL_STATUSES:
        if rules.can_handle(case, user) or rules.is_owner(case, user) or rules.can_lead(case, user):
            actions.append("note")
            actions.append("inform")
        if rules.can_handover(case, user):
            actions.append("handover")
        if (
            (case.status in OPEN_STATUSES or case.status == Status.ANSWERED)
            and rules.can_lead(case, user)
            and case.leader_id != user.pk
        ):
            actions.append("take_charge")
    if not case.systemic and rules.can_flag(case, user):
        actions.append("flag_systemic")
    actions.extend(code for code, allowed in catalog.EXTRA_ALLOWED.items() if allowed(case, user))
    held = catalog.HELD_TASK_RULE
    return [a for a in actions if a not in held or rules.may_act_on_held_task(case, user, task, held[a])]


# --- intake: possible duplicates, related cases, attachments ---------------------------

DUPLICATE_WINDOW_DAYS = 90
DUPLICATE_TEXT_CANDIDATES = 200  # the enterprise's latest cases whose text is compared
DUPLICATE_TEXT_OVERLAP = 0.6


def _bigrams(text: str) -> set[str]:
    chars = "".join(ch for ch in text if ch.isalnum())
    return {chars[i : i + 2] for i in range(len(chars) - 1)}


def similar_text(a: str, b: str, *, threshold: float = DUPLICATE_TEXT_OVERLAP) -> bool:
    """Two complaints tell the same story: most character pairs of the shorter one occur in
    the other (Chinese has no spaces to split words on)."""
    x, y = _bigrams(a), _bigrams(b)
    if not x or not y:
        return False
    return len(x & y) / min(len(x), len(y)) >= threshold


def possible_duplicates(
    user,
    *,
    id_number: str = "",
    phone: str = "",
    name: str = "",
    enterprise: str = "",
    text: str = "",
    limit: int = 10,
) -> list[Case]:
    """Cases ``user`` can see that may be the same problem: the same worker (ID number, phone,
    or name at the same enterprise), or at the same enterprise within 90 days a complaint
    telling the same story (``similar_text``). Never the enterprise or category alone.
    Newest first; four queries at most."""
    import datetime as dt

    from .clock import now

    worker_q = Q()
    if id_number:
        worker_q |= Q(id_number=id_number)
    if phone:
        worker_q |= Q(phone=phone)
    if name and enterprise:
        worker_q |= Q(name=name.strip(), enterprise__code=enterprise)
    found: list[Case] = []
    if worker_q:
        worker_ids = list(Worker.objects.filter(worker_q).values_list("pk", flat=True)[:50])
        if worker_ids:
            found = list(
                visible_cases(user)
                .filter(worker_id__in=worker_ids)
                .select_related("worker", "enterprise", "category")
                .order_by("-received_at")[:limit]
            )
    if enterprise and text.strip() and len(found) < limit:
        since = now() - dt.timedelta(days=DUPLICATE_WINDOW_DAYS)
        seen = {c.pk for c in found}
        nearby = (
            visible_cases(user)
            .filter(enterprise__code=enterprise, received_at__gte=since)
            .exclude(pk__in=seen)
            .select_related("worker", "enterprise", "category")
            .order_by("-received_at")[:DUPLICATE_TEXT_CANDIDATES]
        )
        found += [c for c in nearby if similar_text(text, f"{c.summary}{c.request}")][: limit - len(found)]
    return sorted(found, key=lambda c: c.received_at, reverse=True)


def related_cases(case: Case) -> list[tuple[str, Case]]:
    """(how related, case) pairs: repeats either way, merged into, merged here. Four queries."""
    from django.utils.translation import gettext as _t

    from .models import CaseLink

    rows: list[tuple[str, Case]] = []
    if case.merged_into_id:
        rows.append((_t("已合并至"), case.merged_into))
    for link in CaseLink.objects.filter(case=case).select_related("related"):
        rows.append((_t("本案为其重复来访"), link.related))
    for link in CaseLink.objects.filter(related=case).select_related("case"):
        rows.append((_t("重复来访"), link.case))
    for merged in Case.objects.filter(merged_into=case).only("number", "status", "received_at"):
        rows.append((_t("已合并到本案"), merged))
    seen, unique = set(), []
    for label, other in rows:
        if (label, other.pk) not in seen:
            seen.add((label, other.pk))
            unique.append((label, other))
    return unique


def attachments(case: Case):
    return list(case.attachments.select_related("uploaded_by"))


# --- a worker's page -------------------------------------------------------------------

WORKER_CASES_LIMIT = 100
WORKER_HISTORY_ACTIONS = ("reply", "follow_up", "reopen", "close")


def same_worker_cases(user, case: Case) -> list[Case]:
    """The cases ``user`` can see of the worker of ``case``, newest first: matched like the
    duplicate check (``possible_duplicates``) — the same ID number, the same phone, or the
    same name at the same enterprise — since each case keeps its own worker record. A case
    whose worker is anonymous towards ``user``'s side (``rules.hides_worker``) is left out."""
    w = case.worker
    same = Q(pk=w.pk)
    if w.id_number:
        same |= Q(id_number=w.id_number)
    if w.phone:
        same |= Q(phone=w.phone)
    if w.name and w.enterprise_id:
        same |= Q(name=w.name, enterprise_id=w.enterprise_id)
    rows = (
        visible_cases(user)
        .filter(worker_id__in=Worker.objects.filter(same).values("pk"))
        .select_related("worker", "enterprise", "category", "handling_unit")
        .order_by("-received_at", "-pk")[:WORKER_CASES_LIMIT]
    )
    return [c for c in rows if not rules.hides_worker(c, user)]


@dataclass
class WorkerEvent:
    """One 答复, 回访, 复查 or 办结 of a case, as recorded (a history row)."""

    at: object
    action: str
    label: str
    reply_method: str = ""
    reply_content: str = ""
    satisfaction: str = ""
    comment: str = ""


def worker_case_events(cases: list[Case]) -> dict[int, list[WorkerEvent]]:
    """Each case's replies and satisfaction ratings in order (one query for all cases)."""
    methods, ratings = dict(ReplyMethod.choices), dict(Satisfaction.choices)
    events: dict[int, list[WorkerEvent]] = {c.pk: [] for c in cases}
    rows = (
        Case.history.filter(id__in=list(events), last_action__in=WORKER_HISTORY_ACTIONS)
        .order_by("history_date", "history_id")
        .values_list("id", "history_date", "last_action", "reply_method", "reply_content", "satisfaction",
                     "satisfaction_comment", "history_change_reason")
    )  # fmt: skip
    for pk, at, action, method, content, satisfaction, comment, reason in rows:
        event = WorkerEvent(at=at, action=action, label=str(ACTION_LABELS.get(action, action)))
        if action == "reply":
            event.reply_method, event.reply_content = str(methods.get(method, method)), content
        elif action == "follow_up":
            event.satisfaction, event.comment = str(ratings.get(satisfaction, satisfaction)), comment
        else:
            event.comment = reason or ""
        events[pk].append(event)
    return events
