"""The working-day calendar (工作日), from the official schedule the State Council publishes.

Holidays and the make-up working days (调休) come from the maintained ``chinese-calendar``
package, never from a hand-written list. The package knows a fixed range of years; a date
outside it raises ``CalendarUnknown`` (and ``checks.py`` warns ahead of time) instead of
guessing that a weekday is a working day.

Counting rule (民法典 Art. 201/203): the day a period starts is not counted, and a period
in days ends at 24:00 of its last day, so ``due_at`` is local midnight after that day.
Hours are counted exactly.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.exceptions import CaseworkError


class LengthUnit:
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    HOURS = "hours"


class CalendarUnknown(CaseworkError):
    """A working day was asked for a date the holiday calendar does not know."""

    http_status = 503
    code = "calendar_unknown"


def known_range() -> tuple[dt.date, dt.date]:
    """First and last day the installed holiday calendar covers (whole years)."""
    years = [d.year for d in chinese_calendar.holidays]
    return dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)


def is_working_day(day: dt.date) -> bool:
    first, last = known_range()
    if not first <= day <= last:
        raise CalendarUnknown(
            _(
                "节假日日历只覆盖 %(first)s 至 %(last)s，无法判断 %(day)s 是否为工作日。"
                "请升级 chinese-calendar 软件包（国务院公布次年放假安排后发布），或改用自然日时限。"
            )
            % {"first": first.isoformat(), "last": last.isoformat(), "day": day.isoformat()}
        )
    return chinese_calendar.is_workday(day)


def working_days_after(day: dt.date, n: int) -> dt.date:
    """The ``n``-th working day strictly after ``day`` (调休 Saturdays count, holidays do not)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    count = 0
    while count < n:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return day


def end_of_day(day: dt.date) -> dt.datetime:
    """24:00 of ``day`` in the project's time zone (= 00:00 of the next day), aware."""
    tz = timezone.get_current_timezone()
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min), tz)


def local_day(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date()


def last_day_of(due: dt.datetime) -> dt.date:
    """The calendar day a deadline falls on (a 24:00 deadline belongs to the day before)."""
    return local_day(due - dt.timedelta(microseconds=1))


def add_length(start: dt.datetime, length: int, unit: str) -> dt.datetime:
    """The deadline ``length`` units after ``start``."""
    if length < 1:
        raise ValueError("length must be at least 1")
    if unit == LengthUnit.HOURS:
        return start + dt.timedelta(hours=length)
    day = local_day(start)
    if unit == LengthUnit.WORKING_DAYS:
        return end_of_day(working_days_after(day, length))
    if unit == LengthUnit.CALENDAR_DAYS:
        return end_of_day(day + dt.timedelta(days=length))
    raise ValueError(f"unknown length unit {unit!r}")


def extend(due: dt.datetime, days: int, unit: str) -> dt.datetime:
    """Move a deadline by an extension of ``days`` (working days when the policy counts them)."""
    if unit == LengthUnit.WORKING_DAYS:
        last = last_day_of(due)
        return due + (working_days_after(last, days) - last)
    return due + dt.timedelta(days=days)
