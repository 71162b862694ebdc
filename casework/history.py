"""Who made a change and why, for every history row simple_history writes during a service call.

The services run their writes inside ``acting(actor, reason)``. ``ActingHistory`` — the
``HistoricalRecords`` of the case, the worker and viewflow's task rows — takes the user and
the reason from there through simple_history's own hooks (``get_user`` and
``get_change_reason_for_object``), so a row written by viewflow's activations (a task
assigned, finished, created by the flow's switch) carries the same actor and reason as the
case's own row, without anyone setting attributes on library instances.

Outside a service call simple_history behaves as usual: the request's user (its
``HistoryRequestMiddleware``) and no reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from simple_history.manager import HistoryManager
from simple_history.models import HistoricalRecords


@dataclass(frozen=True)
class Acting:
    actor: object
    reason: str


_acting: ContextVar[Acting | None] = ContextVar("casework_acting", default=None)


@contextmanager
def acting(actor, reason: str = "") -> Iterator[None]:
    """History rows written in the block carry ``actor`` and ``reason``."""
    token = _acting.set(Acting(actor, reason or ""))
    try:
        yield
    finally:
        _acting.reset(token)


def current() -> Acting | None:
    return _acting.get()


def date_history_row(sender, history_instance, **kwargs) -> None:
    """simple_history's ``pre_create_historical_record``: a row written while the project's clock
    travels (``casework.clock.travel``, the demo's past cases) is dated by that clock."""
    from .clock import travelled

    at = travelled()
    if at is not None:
        history_instance.history_date = at


def acting_user(request=None, instance=None, **kwargs):
    """simple_history's ``get_user`` hook: the service's actor, else the request's user."""
    now = _acting.get()
    if now is not None:
        return now.actor
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


_manager_classes: dict[tuple, type] = {}


class ActingHistoryManager(HistoryManager):
    """simple_history's ``HistoryManager`` (the ``history_manager`` option) whose manager class
    for a queryset class is built once: ``instance.history``, which simple_history reads for
    every history row it writes, builds it with ``Manager.from_queryset`` — an ``inspect``
    walk over every queryset method — on each access."""

    @classmethod
    def from_queryset(cls, queryset_class, class_name=None):
        key = (cls, queryset_class, class_name)
        if key not in _manager_classes:
            _manager_classes[key] = super().from_queryset(queryset_class, class_name)
        return _manager_classes[key]


class ActingHistory(HistoricalRecords):
    """``HistoricalRecords`` whose rows carry the acting user and reason (see the module)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("get_user", acting_user)
        kwargs.setdefault("history_manager", ActingHistoryManager)
        super().__init__(*args, **kwargs)

    def get_change_reason_for_object(self, instance, history_type, using):
        reason = super().get_change_reason_for_object(instance, history_type, using)
        if reason:
            return reason
        now = _acting.get()
        return now.reason if now is not None else None
