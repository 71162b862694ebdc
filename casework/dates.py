"""The one way dates, times and deadlines read on every page, letter and notification.

- a day: ``2026年12月19日`` (``format_day``; the templates' ``|day``);
- a moment: ``2026年12月19日 09:30`` (``format_moment``; ``|moment``);
- a deadline: its last day, ``12月19日前`` (the year only when it is not this year's), with
  ``剩余 N 天`` / ``今天到期`` / ``超期 N 天`` (``due_day``, ``due_left``; ``{% due %}``).

A deadline is either a moment (a case's clock: a limit counted in days ends at 00:00 of the
next day, so a midnight deadline's last day is the day before) or a day (a commitment's or a
reporting period's ``due_on``: the last day itself). Days left are calendar days against the
project clock (``casework.clock.now``), as the case pages count them; working days only decide
where a case's deadline falls (escalation's calendar), not how the days left to it are shown.
ISO dates stay for machines only: ``<time datetime>``, ``<input type=date>`` values, the API.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from .clock import now as clock_now


def _local_date(value: dt.date | dt.datetime) -> dt.date:
    return timezone.localtime(value).date() if isinstance(value, dt.datetime) else value


def format_day(value: dt.date | dt.datetime | None) -> str:
    """``2026年12月19日`` (a moment on its local day); empty for None."""
    if not value:
        return ""
    day = _local_date(value)
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}


def format_moment(value: dt.datetime | None) -> str:
    """``2026年12月19日 09:30`` in local time; empty for None."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{format_day(local)} {local:%H:%M}"


def last_day(due: dt.date | dt.datetime) -> dt.date:
    """The last day one may still act: a deadline at local midnight ends the day before
    (a limit counted in days ends at 00:00 of the next day); a date is its own last day."""
    if not isinstance(due, dt.datetime):
        return due
    local = timezone.localtime(due)
    day = local.date()
    return day - dt.timedelta(days=1) if local.time() == dt.time(0) else day


def today(at: dt.datetime | None = None) -> dt.date:
    """The local day of ``at`` (default: the project clock's now)."""
    return timezone.localtime(at or clock_now()).date()


def days_left(due: dt.date | dt.datetime, at: dt.datetime | None = None) -> int:
    """Calendar days from today to the deadline's last day (0 = due today, < 0 = overdue)."""
    return (last_day(due) - today(at)).days


def due_day(due: dt.date | dt.datetime | None, at: dt.datetime | None = None) -> str:
    """``12月19日前`` (``2027年1月3日前`` when not this year's): the deadline as its last day."""
    if not due:
        return "—"
    day = last_day(due)
    if day.year == today(at).year:
        return _("%(m)d月%(d)d日前") % {"m": day.month, "d": day.day}
    return _("%(y)d年%(m)d月%(d)d日前") % {"y": day.year, "m": day.month, "d": day.day}


def due_left(due: dt.date | dt.datetime | None, at: dt.datetime | None = None) -> str:
    """剩余 N 天 / 今天到期 / 超期 N 天."""
    if not due:
        return ""
    left = days_left(due, at)
    if left > 0:
        return _("剩余 %(n)d 天") % {"n": left}
    if left == 0:
        return _("今天到期")
    return _("超期 %(n)d 天") % {"n": -left}


def due_date(due: dt.date | dt.datetime | None) -> str:
    """The deadline's last day in full (``2026年12月19日``), for letters, notices and reasons;
    a deadline at another time than midnight (a limit in hours) keeps its time."""
    if not due:
        return ""
    if isinstance(due, dt.datetime) and timezone.localtime(due).time() != dt.time(0):
        return format_moment(due)
    return format_day(last_day(due))
