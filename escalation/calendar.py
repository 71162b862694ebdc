"""The working-day calendar (工作日), from the holiday schedules stored in the database.

A year whose schedule is confirmed (``models.HolidaySchedule``: the State Council's notice,
pasted by an administrator, or seeded from ``chinese-calendar`` for the years it knows)
counts exactly: its days off (放假) are not working days, its make-up days (调休上班) are,
and every other weekday is. A year without a confirmed schedule is never refused: its
working days are *provisional* — weekends and the statutory holidays' rules (the
``holidays`` package: 元旦, 春节 from 除夕, 清明, 劳动节, 端午, 中秋, 国庆, a holiday on a
weekend made up on a weekday, 全国年节及纪念日放假办法 Art. 6) — and the clock says so
(``DeadlineClock.provisional``) until the year's schedule is confirmed and the clock
recomputed (``services.holidays.deadlines_recompute``).

Counting rule (民法典 Art. 201/203): the day a period starts is not counted, and a period
in days ends at 24:00 of its last day, so ``due_at`` is local midnight after that day.
Hours are counted exactly.

Cache: each process keeps the confirmed days in memory with the token of
``HolidayCalendarState`` they were read under. Every working-day computation reads that
token (one query) and re-reads the days only when it changed, so a schedule confirmed in
one process counts in every other from its commit on. On PostgreSQL the token is read
``FOR SHARE`` inside a transaction: a confirmation (which updates that row) waits for the
transactions computing a deadline right now, and those started after it see the new
schedule, so no clock computed under the old schedule can commit after the recompute that
follows a confirmation has looked for it.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from .units import LengthUnit


@dataclass(frozen=True)
class Schedules:
    """The confirmed schedules as one process holds them."""

    token: uuid.UUID | None
    years: frozenset[int]
    off: dict[dt.date, str]
    work: dict[dt.date, str]

    def confirmed(self, year: int) -> bool:
        return year in self.years

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.work:
            return True
        if day in self.off:
            return False
        if day.weekday() >= 5:
            return False
        return day.year in self.years or day not in statutory_holidays(day.year)

    def provisional_between(self, first: dt.date, last: dt.date) -> bool:
        """Some day of ``first`` … ``last`` lies in a year without a confirmed schedule."""
        return any(year not in self.years for year in range(first.year, last.year + 1))


_loaded: Schedules | None = None


def _read_token() -> uuid.UUID | None:
    from .models import HolidayCalendarState

    if connection.vendor == "postgresql" and connection.in_atomic_block:
        table = connection.ops.quote_name(HolidayCalendarState._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT token FROM {table} WHERE id = 1 FOR SHARE")  # noqa: S608 - name from the model
            row = cursor.fetchone()
        return row[0] if row else None
    return HolidayCalendarState.objects.filter(pk=1).values_list("token", flat=True).first()


def _load(token: uuid.UUID | None) -> Schedules:
    from .models import DayKind, HolidayDay, HolidaySchedule, ScheduleStatus

    years = frozenset(HolidaySchedule.objects.filter(status=ScheduleStatus.CONFIRMED).values_list("year", flat=True))
    off: dict[dt.date, str] = {}
    work: dict[dt.date, str] = {}
    rows = HolidayDay.objects.filter(schedule__status=ScheduleStatus.CONFIRMED).values_list("date", "kind", "name")
    for day, kind, name in rows:
        (work if kind == DayKind.WORK else off)[day] = name
    return Schedules(token=token, years=years, off=off, work=work)


def schedules() -> Schedules:
    """The confirmed schedules as of now (one query; the days are re-read only after a change)."""
    global _loaded
    token = _read_token()
    cached = _loaded
    if cached is not None and cached.token == token:
        return cached
    _loaded = _load(token)
    return _loaded


@functools.lru_cache(maxsize=32)
def statutory_holidays(year: int) -> dict[dt.date, str]:
    """The statutory days off of ``year`` by the rules alone (no 调休), names in Chinese."""
    import holidays

    return dict(holidays.country_holidays("CN", years=year, language="zh_CN"))


def is_working_day(day: dt.date) -> bool:
    return schedules().is_working_day(day)


def is_confirmed(year: int) -> bool:
    return schedules().confirmed(year)


def missing_years(today: dt.date) -> list[int]:
    """Years that should have a confirmed schedule and have none: this year, and from
    1 November the next one (the State Council publishes it in October–December)."""
    wanted = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    loaded = schedules()
    return [year for year in wanted if not loaded.confirmed(year)]


def _working_days_after(loaded: Schedules, day: dt.date, n: int) -> dt.date:
    if n < 1:
        raise ValueError("n must be at least 1")
    count = 0
    while count < n:
        day += dt.timedelta(days=1)
        if loaded.is_working_day(day):
            count += 1
    return day


def working_days_after(day: dt.date, n: int) -> dt.date:
    """The ``n``-th working day strictly after ``day`` (调休 days count, holidays do not)."""
    return _working_days_after(schedules(), day, n)


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


def is_provisional(start: dt.datetime, due: dt.datetime | None, unit: str) -> bool:
    """A deadline counted in working days through a year without a confirmed schedule."""
    if unit != LengthUnit.WORKING_DAYS or due is None:
        return False
    return schedules().provisional_between(local_day(start), last_day_of(due))
