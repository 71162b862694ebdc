"""Whether this thread's current transaction holds a case's lock: ``services.core.locked_case``
(the row lock) or registration (a case the transaction just inserted). viewflow's lock for
the case flow (``flows.CaseRowLock``) asks, so the flow's tasks move only under it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_held: ContextVar[int] = ContextVar("casework_case_lock_held", default=0)


@contextmanager
def holding() -> Iterator[None]:
    token = _held.set(_held.get() + 1)
    try:
        yield
    finally:
        _held.reset(token)


def held() -> bool:
    return _held.get() > 0
