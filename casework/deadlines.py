"""Default stage time limits (DOMAIN.md), in calendar days.

The escalation app replaces these with policies and the working-day calendar by
receiving ``signals.stage_entered``; these defaults keep casework usable alone.
"""

import datetime as dt

DEFAULT_LIMIT_DAYS = {
    "receipt": 15,
    "enterprise": 15,
    "union": 30,
    "government": 60,
    "reply": 3,
    "follow_up": 7,
}


def default_due_at(stage: str, start: dt.datetime) -> dt.datetime | None:
    days = DEFAULT_LIMIT_DAYS.get(stage)
    return start + dt.timedelta(days=days) if days else None


def default_warn_at(start: dt.datetime, due: dt.datetime | None) -> dt.datetime | None:
    """Yellow from two thirds of the time used or three days left, whichever is earlier."""
    if due is None:
        return None
    return min(start + (due - start) * 2 / 3, due - dt.timedelta(days=3))


def deadline_state(case, at: dt.datetime) -> str:
    """``ok`` / ``warning`` / ``overdue`` / ``paused`` / ``none`` (no clock running)."""
    if getattr(case, "paused_at", None) is not None:
        return "paused"
    if case.due_at is None:
        return "none"
    if at >= case.due_at:
        return "overdue"
    if case.warn_at is not None and at >= case.warn_at:
        return "warning"
    return "ok"


# 暂定期限: whether the deadline a case shows is provisional (counted past the loaded holiday
# schedule). The escalation app registers its answer (``escalation.provisional``); casework
# alone has none, and depends on nothing above it.
_provisional_checks: list = []


def register_provisional(check) -> None:
    if check not in _provisional_checks:
        _provisional_checks.append(check)


def is_due_provisional(case) -> bool:
    return any(check(case) for check in _provisional_checks)


# 即将超期: an open case whose clock is yellow, or due within this many working days.
DUE_SOON_WORKING_DAYS = 3
# How to count working days ahead: the escalation app registers its holiday calendar
# (``escalation.calendar.working_days_after``); casework alone counts calendar days.
_working_days_after: list = []


def register_working_days(count) -> None:
    """``count(day, n)``: the ``n``-th working day strictly after ``day``."""
    _working_days_after[:] = [count]


def due_soon_horizon(at: dt.datetime, days: int = DUE_SOON_WORKING_DAYS) -> dt.datetime:
    """The end of the ``days``-th working day after ``at``'s local day (aware)."""
    from django.utils import timezone

    today = timezone.localtime(at).date()
    last = _working_days_after[0](today, days) if _working_days_after else today + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
