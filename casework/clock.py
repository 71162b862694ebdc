"""The one injectable clock: code calls ``now()``; tests move time with time-machine.

``travel(at)`` sets the clock to a past moment for a block — the demo (``casework.demo``)
registers and works its cases on the dates they happened, through the same services. Only
what reads this clock moves (the services' timestamps, stage clocks and deadlines, and the
history rows: ``casework.history.date_history_row``); database defaults such as viewflow's
``auto_now_add`` keep the real time. Nothing at run time travels: pages, API and sweeps use
the real time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_travelled: ContextVar[dt.datetime | None] = ContextVar("casework_clock", default=None)


def now() -> dt.datetime:
    return _travelled.get() or timezone.now()


def travelled() -> dt.datetime | None:
    """The moment ``travel`` set, or None when the clock runs at the real time."""
    return _travelled.get()


@contextmanager
def travel(at: dt.datetime) -> Iterator[None]:
    """Inside the block ``now()`` answers ``at`` (aware; never later than the real time)."""
    if timezone.is_naive(at):
        raise ValueError("travel() needs an aware datetime")
    token = _travelled.set(min(at, timezone.now()))
    try:
        yield
    finally:
        _travelled.reset(token)


def parse_moment(value: str) -> dt.datetime:
    """An ISO-8601 moment typed on a command line (``--now``); naive means the project's time
    zone. ``ValueError`` when it is not one."""
    from django.utils.dateparse import parse_datetime

    at = parse_datetime(value)
    if at is None:
        raise ValueError(f"not an ISO-8601 datetime: {value!r}")
    return timezone.make_aware(at) if timezone.is_naive(at) else at
