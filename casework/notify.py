"""Who hears about what (首问负责, 限时办结): case events → notifications.

``on_case_event`` listens to ``casework.signals.case_event``, which services send inside
their transaction, so the outbox rows commit or roll back with the change they report.
Delivery happens later, after commit (``notifications.delivery``).

Each recorded change gets a key ``<number>:v<version>:<event>`` (the version grows with
every history row), so a repeated signal for one change queues nothing new.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache

from django.contrib.auth import get_user_model
from django.db.models import F
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from notifications import recipients as to
from notifications.services import active_endpoints, channel_preferences_of, outbox_fields, queue

from .catalog import ACTION_LABELS
from .models import Case
from .models.case import status_label
from .models.org import Role
from .selectors import open_task

# The escalation engine's actions (recorded through ``record`` like any other).
EXTRA_LABELS = {
    "deadline_warning": _("黄色预警"),
    "deadline_breach": _("红色预警（超期）"),
    "urge": _("催办"),
    "supervise": _("督办"),
    "extension_requested": _("申请延期"),
    "extension_approved": _("批准延期"),
}

OWNER, OFFICERS, SUPERVISORS, LEADERS, WORKER_SMS, OLD_OWNER, HOLDER = (
    "owner",
    "officers",
    "supervisors",
    "leaders",
    "worker_sms",
    "old_owner",
    "holder",  # whoever holds the open task now (指派: the officer it was given to)
)

# action → [(event, audiences)]
ROUTES: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "register": [("case_registered", (OWNER, WORKER_SMS))],
    "accept": [("task_queued", (OFFICERS,))],
    "claim": [("case_claimed", (OWNER,))],
    "assign": [("task_assigned", (HOLDER,))],
    "escalate": [("task_queued", (OFFICERS,)), ("case_escalated", (OWNER, WORKER_SMS))],
    "resolve": [("case_resolved", (OWNER,))],
    "reply": [("case_replied", (OWNER, WORKER_SMS))],
    # 告知职工: the words are on the worker's portal page; the SMS says there is something to read.
    "inform": [("case_informed", (WORKER_SMS,))],
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
    "deadline_recomputed": [("deadline_recomputed", (OWNER,))],
}
# Events the actor gets too. None: nobody is told of their own action (#18: the desk had
# hundreds of unread notices of cases they had registered); what they must do next is a task.
TO_ACTOR_TOO: frozenset[str] = frozenset()


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


def audience(case: Case, who: str) -> list:
    if who == OWNER:
        return [case.owner]
    if who == OFFICERS:
        return _staff(Role.OFFICER, staff__unit_id=case.handling_unit_id) if case.handling_unit_id else []
    if who == SUPERVISORS:
        return _staff(Role.SUPERVISOR, staff__unit__path__in=jurisdiction_prefixes(case))
    if who == LEADERS:
        if case.leader_id:
            return [case.leader]
        return _staff(Role.LEADER, staff__unit__path__in=jurisdiction_prefixes(case))
    if who == WORKER_SMS:
        phone = case.worker.phone if case.worker_id else ""
        return [to.sms(phone)] if phone else []
    if who == HOLDER:
        task = open_task(case)
        return [task.owner] if task is not None and task.owner_id else []
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


def case_url(number: str) -> str:
    return reverse("casework:detail", args=[number])


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
        "status_label": status_label(case.status, case.replied_at is not None),
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


@dataclass
class _Batch:
    rows: list = field(default_factory=list)
    endpoints: list | None = None


_batch: ContextVar[_Batch | None] = ContextVar("casework_notify_batch", default=None)


@contextmanager
def batched() -> Iterator[None]:
    """Inside the block (one service call that records several changes, e.g. registration
    that accepts at once), the changes' outbox rows are collected and the webhook endpoints
    read once; the rows go in one insert when the block ends, still in the caller's
    transaction. An exception discards them with the rest of the transaction."""
    if _batch.get() is not None:  # nested: the outer block inserts
        yield
        return
    token = _batch.set(_Batch())
    try:
        yield
        rows = _batch.get().rows
    finally:
        _batch.reset(token)
    queue(rows)


def on_case_event(sender, *, case: Case, action: str, actor=None, reason: str = "", from_status=None, **kwargs) -> None:
    """Every message of one recorded change goes into the outbox, in one insert."""
    on_case_events([(case, reason)], action=action, actor=actor, from_status=from_status, audiences=_Single())


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


class _Single:
    """``audience`` as it is, for one recorded change (nothing worth reading ahead)."""

    def prefetch(self, cases: list[Case], audiences: set[str]) -> None:
        pass

    def __call__(self, case: Case, who: str) -> list:
        return audience(case, who)


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
                self._officers[user.staff_unit_id].append(user)
        roles = [Role.SUPERVISOR] if SUPERVISORS in audiences else []
        if LEADERS in audiences and any(not case.leader_id for case in cases):
            roles.append(Role.LEADER)
        for role in roles:
            found = self._by_path[role]
            paths = {p for case in cases for p in jurisdiction_prefixes(case)} - found.keys()
            for path in paths:
                found[path] = []
            for user in self._read(role, staff__unit__path__in=paths):
                found[user.staff_unit_path].append(user)

    @staticmethod
    def _read(role: str, **filters) -> list:
        if not next(iter(filters.values())):
            return []
        return list(
            get_user_model()
            .objects.filter(is_active=True, staff__role=role, **filters)
            .annotate(staff_unit_id=F("staff__unit_id"), staff_unit_path=F("staff__unit__path"))
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

    The keys carry the version each case just took under its row lock."""
    from notifications.recipients import is_user

    who = audiences or Audiences()
    who.prefetch([case for case, _reason in events], {a for _e, group in ROUTES.get(action, []) for a in group})
    batch = _batch.get()
    if batch is None:
        endpoints = active_endpoints()
    else:
        if batch.endpoints is None:
            batch.endpoints = active_endpoints()
        endpoints = batch.endpoints
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
    if batch is None:
        queue(rows)
    else:
        batch.rows += rows
