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

from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications import recipients as to
from notifications.services import outbox_rows, queue

from .models import Case
from .models.org import Role
from .selectors import ACTION_LABELS

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
def _unit_staff_sql() -> str:
    from .models import StaffProfile

    user = get_user_model()
    qn = connection.ops.quote_name
    columns = ", ".join(f"u.{qn(f.column)}" for f in user._meta.concrete_fields)
    return (
        f"SELECT {columns} FROM {qn(user._meta.db_table)} u "  # noqa: S608 - names from the models
        f"JOIN {qn(StaffProfile._meta.db_table)} s ON s.{qn('user_id')} = u.{qn('id')} "
        f"WHERE u.{qn('is_active')} AND s.{qn('role')} = %s AND s.{qn('unit_id')} = %s ORDER BY u.{qn('id')}"
    )


def _unit_staff(role: str, unit_id: int) -> list:
    """``_staff(role, staff__unit_id=unit_id)``, written once (every level move announces the
    task to the unit's officers)."""
    return list(get_user_model().objects.raw(_unit_staff_sql(), [role, unit_id]))


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
        "status_label": str(case.get_status_display()),
        "level": case.level,
        "level_label": str(case.get_level_display()) if case.level else "",
        "unit": case.handling_unit.name if case.handling_unit_id else "",
        "outcome_label": str(case.get_outcome_display()) if case.outcome else "",
        "due_at": case.due_at,
        "new_owner": _name(case.owner),
        "url": reverse("casework:detail", args=[case.number]),
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
    queue(rows)


def on_case_event(sender, *, case: Case, action: str, actor=None, reason: str = "", from_status=None, **kwargs) -> None:
    """Every message of one recorded change goes into the outbox in one insert."""
    batch = _batch.get()
    endpoints = None
    if batch is not None:
        if batch["endpoints"] is None:
            from notifications.models import WebhookEndpoint

            batch["endpoints"] = list(WebhookEndpoint.objects.filter(active=True))
        endpoints = batch["endpoints"]
    context = None
    rows: list = []
    for event, audiences in ROUTES.get(action, []):
        context = context or case_context(case, action=action, actor=actor, reason=reason)
        people: list = []
        for who in audiences:
            people.extend(audience(case, who))
        if event not in TO_ACTOR_TOO and actor is not None:
            people = [p for p in people if getattr(p, "pk", None) != actor.pk]
        if people:
            rows += outbox_rows(
                event=event, recipients=people, context=context, key=f"{case.number}:v{case.version}:{event}"
            )
    rows += outbox_rows(
        event=f"case.{action}",
        recipients=[to.WEBHOOKS],
        context=webhook_payload(case, action=action, from_status=from_status),
        key=f"{case.number}:v{case.version}:case.{action}",
        endpoints=endpoints,
    )
    if batch is not None:
        batch["rows"] += rows
    else:
        queue(rows)
