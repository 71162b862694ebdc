"""Who hears about what (首问负责, 限时办结): case events → notifications.

``on_case_event`` listens to ``casework.signals.case_event``, which services send inside
their transaction, so the outbox rows commit or roll back with the change they report.
Delivery happens later, after commit (``notifications.delivery``).

Each recorded change gets a key ``<number>:v<version>:<event>`` (the version grows with
every history row), so a repeated signal for one change queues nothing new.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F
from django.urls import get_script_prefix, reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from notifications import recipients as to
from notifications.services import channel_preferences_of, outbox_fields, queue, queue_many

from .models import Case
from .models.org import Role
from .selectors import ACTION_LABELS
from .services import _sql
from .services._sql import defer, flush

# The escalation engine's actions (recorded through ``record`` like any other).
EXTRA_LABELS = {
    "deadline_warning": _("黄色预警"),
    "deadline_breach": _("红色预警（超期）"),
    "urge": _("催办"),
    "supervise": _("督办"),
    "extension_requested": _("申请延期"),
    "extension_approved": _("批准延期"),
}

OWNER, OFFICERS, SUPERVISORS, LEADERS, WORKER_SMS, OLD_OWNER = (
    "owner",
    "officers",
    "supervisors",
    "leaders",
    "worker_sms",
    "old_owner",
)

# action → [(event, audiences)]
ROUTES: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "register": [("case_registered", (OWNER, WORKER_SMS))],
    "accept": [("task_queued", (OFFICERS,))],
    "claim": [("case_claimed", (OWNER,))],
    "escalate": [("task_queued", (OFFICERS,)), ("case_escalated", (OWNER, WORKER_SMS))],
    "resolve": [("case_resolved", (OWNER,))],
    "reply": [("case_replied", (OWNER, WORKER_SMS))],
    "follow_up": [("case_closed", (OWNER, LEADERS))],
    "close": [("case_closed", (OWNER, LEADERS))],
    "reopen": [("case_reopened", (OFFICERS, OWNER, WORKER_SMS))],
    "withdraw": [("case_withdrawn", (OWNER, OFFICERS))],
    "merge": [("case_merged", (OWNER, OFFICERS))],
    "handover": [("case_handover", (OWNER, OLD_OWNER))],
    "take_charge": [("case_take_charge", (OWNER,))],
    "deadline_warning": [("deadline_warning", (OWNER, OFFICERS))],
    "deadline_breach": [("deadline_breach", (OWNER, OFFICERS, SUPERVISORS))],
    "urge": [("urge", (OFFICERS, OWNER))],
    "supervise": [("supervise", (OFFICERS, OWNER, SUPERVISORS))],
    "extension_requested": [("extension_requested", (LEADERS, OWNER))],
    "extension_approved": [("extension_approved", (OWNER, OFFICERS, WORKER_SMS))],
}
# Events the actor gets too: they ask the actor to do something next.
TO_ACTOR_TOO = {"case_registered", "case_replied", "case_handover"}


def _name(user) -> str:
    if user is None:
        return str(_("系统"))
    return user.get_full_name() or user.get_username()


def jurisdiction_prefixes(case: Case) -> list[str]:
    """The paths of the county's unit and every unit above it ("000001.", "000001.000004.", ...)."""
    parts = case.county.path.split(".")[:-1]
    return [".".join(parts[: i + 1]) + "." for i in range(len(parts))]


def _staff(role: str, **filters):
    return list(get_user_model().objects.filter(is_active=True, staff__role=role, **filters).order_by("pk"))


@functools.cache
def _unit_staff_sql() -> tuple[str, _sql.Reader]:
    from .models import StaffProfile

    read, qn = _sql.reader(get_user_model(), "u"), connection.ops.quote_name
    sql = (
        f"SELECT {read.columns} FROM {qn(get_user_model()._meta.db_table)} u "  # noqa: S608 - names from the models
        f"JOIN {qn(StaffProfile._meta.db_table)} s ON s.{qn('user_id')} = u.{qn('id')} "
        f"WHERE u.{qn('is_active')} AND s.{qn('role')} = %s AND s.{qn('unit_id')} = %s ORDER BY u.{qn('id')}"
    )
    return sql, read


def _unit_staff(role: str, unit_id: int) -> list:
    """``_staff(role, staff__unit_id=unit_id)``, written once and prepared (every level move
    announces the task to the unit's officers)."""
    sql, read = _unit_staff_sql()
    return [read.build(row) for row in _sql.fetchall_prepared("unit_staff", sql, [role, unit_id])]


def audience(case: Case, who: str) -> list:
    if who == OWNER:
        return [case.owner]
    if who == OFFICERS:
        return _unit_staff(Role.OFFICER, case.handling_unit_id) if case.handling_unit_id else []
    if who == SUPERVISORS:
        return _staff(Role.SUPERVISOR, staff__unit__path__in=jurisdiction_prefixes(case))
    if who == LEADERS:
        if case.leader_id:
            return [case.leader]
        return _staff(Role.LEADER, staff__unit__path__in=jurisdiction_prefixes(case))
    if who == WORKER_SMS:
        phone = case.worker.phone if case.worker_id else ""
        return [to.sms(phone)] if phone else []
    if who == OLD_OWNER:
        owners = list(case.history.order_by("-history_date", "-history_id").values_list("owner_id", flat=True)[:2])
        if len(owners) == 2 and owners[1] != case.owner_id:
            return list(get_user_model().objects.filter(pk=owners[1]))
        return []
    raise ValueError(who)


@lru_cache(maxsize=512)
def _choice_label(field: str, value: str, language: str | None) -> str:
    """``case.get_<field>_display()`` in ``language``, once per value (the batch paths
    build thousands of contexts; Django rebuilds the translated choices on every call)."""
    return str(dict(Case._meta.get_field(field).flatchoices).get(value, value))


_NUMBER = "CASENUMBER"


@lru_cache(maxsize=16)
def _case_url_pattern(script_prefix: str) -> str:
    return reverse("casework:detail", args=[_NUMBER])


def case_url(number: str) -> str:
    """``reverse("casework:detail", args=[number])`` (~50 µs per call, one per recorded
    change), from the pattern reversed once per script prefix."""
    return _case_url_pattern(get_script_prefix()).replace(_NUMBER, quote(number, safe=RFC3986_SUBDELIMS + "~:@"), 1)


def case_context(case: Case, *, action: str, actor, reason: str) -> dict:
    """What the templates may use. No worker data: texts go to staff, workers and webhooks."""
    label = ACTION_LABELS.get(action) or EXTRA_LABELS.get(action) or action
    return {
        "case_number": case.number,
        "action": action,
        "action_label": str(label),
        "actor": _name(actor),
        "reason": (reason or "")[:500],
        "status": case.status,
        "status_label": _choice_label("status", case.status, get_language()),
        "level": case.level,
        "level_label": _choice_label("level", case.level, get_language()) if case.level else "",
        "unit": case.handling_unit.name if case.handling_unit_id else "",
        "outcome_label": _choice_label("outcome", case.outcome, get_language()) if case.outcome else "",
        "due_at": case.due_at,
        "new_owner": _name(case.owner),
        "url": case_url(case.number),
    }


def webhook_payload(case: Case, *, action: str, from_status: str) -> dict:
    """The JSON case event for hotline and province platforms (no personal data)."""
    return {
        "case": case.number,
        "action": action,
        "from_status": from_status or "",
        "status": case.status,
        "level": case.level,
        "handling_unit": case.handling_unit.code if case.handling_unit_id else "",
        "county": case.county.code,
        "category": case.category.code,
        "due_at": case.due_at.isoformat() if case.due_at else None,
        "outcome": case.outcome,
        "version": case.version,
    }


_batch: ContextVar[dict | None] = ContextVar("casework_notify_batch", default=None)


@contextmanager
def batched() -> Iterator[None]:
    """Inside the block, ``on_case_event`` collects its outbox rows (and reads the webhook
    endpoints once); they go in one insert when the block ends, still inside the caller's
    transaction. An exception discards them with the rest of the transaction."""
    if _batch.get() is not None:  # nested: the outer block inserts
        yield
        return
    token = _batch.set({"rows": [], "endpoints": None})
    try:
        yield
        rows = _batch.get()["rows"]
    finally:
        _batch.reset(token)
    queue(rows, execute=defer)


# Audiences known without a read (the owner, the worker's phone) or read with the
# preferences (the unit's officers): a change for only these reads everything in one round trip.
_READ_AT_ONCE = {OWNER, OFFICERS, WORKER_SMS}


@functools.cache
def _officer_ids_sql() -> str:
    from .models import StaffProfile

    qn = connection.ops.quote_name
    return (
        f"SELECT s.{qn('user_id')} FROM {qn(StaffProfile._meta.db_table)} s "  # noqa: S608 - names from the model
        f"WHERE s.{qn('role')} = %s AND s.{qn('unit_id')} = %s"
    )


def on_case_event(sender, *, case: Case, action: str, actor=None, reason: str = "", from_status=None, **kwargs) -> None:
    """Every message of one recorded change goes into the outbox in one insert. Its reads
    take one round trip when the change is for the owner, the unit's officers and the
    worker (the officers, the webhook endpoints, and the channel preferences of the owner
    and the officers); otherwise two (the preferences once the people are known)."""
    from notifications import events as notification_events
    from notifications.recipients import is_user
    from notifications.services import active_endpoints_sql, endpoints_from, preferences_from, preferences_read

    batch = _batch.get()
    routes = ROUTES.get(action, [])
    endpoints = batch["endpoints"] if batch is not None else None
    wants_officers = bool(case.handling_unit_id) and any(OFFICERS in group for _e, group in routes)
    reads: list[tuple] = []
    if wants_officers:
        staff_sql, staff_read = _unit_staff_sql()
        reads.append((staff_sql, [Role.OFFICER, case.handling_unit_id], "unit_staff"))
    if endpoints is None:
        reads.append((active_endpoints_sql(), [], "notify_endpoints"))
    optional = [event for event, _group in routes if not notification_events.spec(event).mandatory]
    prefs_read = None
    if optional and all(set(group) <= _READ_AT_ONCE for _e, group in routes):
        officers = (_officer_ids_sql(), [Role.OFFICER, case.handling_unit_id]) if wants_officers else None
        owners = [case.owner_id] if case.owner_id else []
        prefs_read = preferences_read(optional, owners, officers)
        # Prepared per shape (events, owner, officers): few shapes, planned once each.
        reads.append((*prefs_read[:2], f"notify_prefs_{len(optional)}_{len(owners)}_{int(wants_officers)}"))
    results = _sql.fetch_sets(reads) if reads else []
    known = {OFFICERS: [staff_read.build(row) for row in results.pop(0)]} if wants_officers else {}
    if endpoints is None:
        endpoints = endpoints_from(results.pop(0))
        if batch is not None:
            batch["endpoints"] = endpoints
    context = None
    messages: list[tuple[str, list]] = []
    for event, audiences in routes:
        context = context or case_context(case, action=action, actor=actor, reason=reason)
        people: list = []
        for who in audiences:
            people.extend(known[who] if who in known else audience(case, who))
        if event not in TO_ACTOR_TOO and actor is not None:
            people = [p for p in people if getattr(p, "pk", None) != actor.pk]
        if people:
            messages.append((event, people))
    wanted = {
        event: [p.pk for p in people if is_user(p) and p.is_active]
        for event, people in messages
        if not notification_events.spec(event).mandatory
    }
    prefs = preferences_from(results.pop(0), prefs_read[2], wanted) if prefs_read else channel_preferences_of(wanted)
    rows = _case_outbox(
        case, action=action, context=context, messages=messages, prefs=prefs, endpoints=endpoints,
        from_status=from_status,
    )  # fmt: skip
    if batch is not None:
        batch["rows"] += rows
    else:
        queue(rows, execute=defer)


def _case_outbox(case: Case, *, action, context, messages, prefs, endpoints, from_status) -> list[dict]:
    """The outbox rows of one recorded change, as field dicts (``outbox_fields``: no model
    instance per row): each event's message to its people, then the webhook event."""
    rows: list = []
    for event, people in messages:
        key = f"{case.number}:v{case.version}:{event}"
        rows += outbox_fields(event=event, recipients=people, context=context, key=key, prefs=prefs.get(event, {}))
    rows += outbox_fields(
        event=f"case.{action}",
        recipients=[to.WEBHOOKS],
        context=webhook_payload(case, action=action, from_status=from_status),
        key=f"{case.number}:v{case.version}:case.{action}",
        endpoints=endpoints,
    )
    return rows


class Audiences:
    """``audience`` for batches of cases (the deadline sweep): the officers of each unit and
    the supervisors / leaders of each jurisdiction read in one query per role and batch
    (same people, same order as ``_staff``), and kept for the next batches of the same run.
    """

    def __init__(self) -> None:
        self._officers: dict[int, list] = {}  # unit id → its officers
        self._by_path: dict[str, dict[str, list]] = {Role.SUPERVISOR: {}, Role.LEADER: {}}  # role → path → staff

    def prefetch(self, cases: list[Case], audiences: set[str]) -> None:
        if OFFICERS in audiences:
            units = {case.handling_unit_id for case in cases if case.handling_unit_id} - self._officers.keys()
            for unit in units:
                self._officers[unit] = []
            for user in self._read(Role.OFFICER, staff__unit_id__in=units):
                self._officers[user._unit_id].append(user)
        roles = [Role.SUPERVISOR] if SUPERVISORS in audiences else []
        if LEADERS in audiences and any(not case.leader_id for case in cases):
            roles.append(Role.LEADER)
        for role in roles:
            found = self._by_path[role]
            paths = {p for case in cases for p in jurisdiction_prefixes(case)} - found.keys()
            for path in paths:
                found[path] = []
            for user in self._read(role, staff__unit__path__in=paths):
                found[user._unit_path].append(user)

    @staticmethod
    def _read(role: str, **filters) -> list:
        if not next(iter(filters.values())):
            return []
        return list(
            get_user_model()
            .objects.filter(is_active=True, staff__role=role, **filters)
            .annotate(_unit_id=F("staff__unit_id"), _unit_path=F("staff__unit__path"))
            .order_by("pk")
        )

    def _in_jurisdiction(self, role: str, case: Case) -> list:
        found = self._by_path[role]
        people = [u for p in jurisdiction_prefixes(case) for u in found.get(p, [])]
        return sorted(people, key=lambda u: u.pk)

    def __call__(self, case: Case, who: str) -> list:
        if who == OFFICERS:
            return list(self._officers.get(case.handling_unit_id, [])) if case.handling_unit_id else []
        if who == SUPERVISORS:
            return self._in_jurisdiction(Role.SUPERVISOR, case)
        if who == LEADERS and not case.leader_id:
            return self._in_jurisdiction(Role.LEADER, case)
        return audience(case, who)


def on_case_events(
    events: list[tuple[Case, str]], *, action: str, actor=None, from_status=None, audiences: Audiences | None = None
) -> None:
    """``on_case_event`` for many recorded changes of one ``action`` (``(case, reason)`` each):
    the same outbox rows, in one insert, with the staff of each unit and jurisdiction, the
    webhook endpoints and the channel preferences read once for the lot (the deadline sweep).
    ``audiences``: the staff already read for earlier batches of the same run.

    Call it right after the changes were recorded (``escalation.bulk.record_many``): the
    keys carry the version each case just took under its row lock, so no row can have them
    yet and the rows go straight into the outbox (``queue_many(new_keys=True)``)."""
    from notifications.models import WebhookEndpoint
    from notifications.recipients import is_user

    who = audiences or Audiences()
    who.prefetch([case for case, _reason in events], {a for _e, group in ROUTES.get(action, []) for a in group})
    endpoints = list(WebhookEndpoint.objects.filter(active=True))
    planned: list[tuple[Case, str, dict | None, list[tuple[str, list]]]] = []
    users_by_event: dict[str, set[int]] = {}
    for case, reason in events:
        context = None
        messages = []
        for event, audiences in ROUTES.get(action, []):
            context = context or case_context(case, action=action, actor=actor, reason=reason)
            people: list = []
            for audience_name in audiences:
                people.extend(who(case, audience_name))
            if event not in TO_ACTOR_TOO and actor is not None:
                people = [p for p in people if getattr(p, "pk", None) != actor.pk]
            if people:
                messages.append((event, people))
                users_by_event.setdefault(event, set()).update(p.pk for p in people if is_user(p))
        planned.append((case, reason, context, messages))
    from notifications import events as notification_events

    prefs = channel_preferences_of(
        {event: list(ids) for event, ids in users_by_event.items() if not notification_events.spec(event).mandatory}
    )
    rows: list = []
    for case, _reason, context, messages in planned:
        rows += _case_outbox(
            case, action=action, context=context, messages=messages, prefs=prefs, endpoints=endpoints,
            from_status=from_status or case.prev_status,
        )  # fmt: skip
    # The keys carry the version ``record`` / ``record_many`` just took under the case lock.
    flush()  # its ``COPY`` bypasses the cursor that would carry statements still queued
    queue_many(rows, new_keys=True)
