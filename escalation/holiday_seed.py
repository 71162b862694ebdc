"""The years ``chinese-calendar`` knows, as confirmed schedules (migration 0004 seeds them).

The package is read at migrate time only; afterwards the database is the one source
(``calendar.py``). A New Year holiday that begins in December (2022-12-31 for 2023)
belongs to the next year's notice, as the notices print it. ``ensure_package_schedules``
is idempotent: a year that has any schedule is left alone (tests that flush the database
call it again, like ``defaults.ensure_default_policies``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict

from django.utils import timezone

SOURCE_NOTE = "chinese-calendar"


def package_days() -> dict[int, list[tuple[dt.date, str, str]]]:
    """``{year: [(date, "off" | "work", Chinese name)]}`` from the installed package."""
    import chinese_calendar
    from chinese_calendar.constants import Holiday

    chinese = {h.value: h.chinese for h in Holiday}
    years = {day.year for day in chinese_calendar.holidays}
    new_year = Holiday.new_years_day.value
    found: dict[int, list] = defaultdict(list)
    for table, kind in ((chinese_calendar.holidays, "off"), (chinese_calendar.workdays, "work")):
        for day, name in table.items():
            year = day.year
            if day.month == 12 and name == new_year and year + 1 in years:
                year += 1
            found[year].append((day, kind, chinese.get(name, name)))
    return {year: sorted(days) for year, days in sorted(found.items())}


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("chinese_calendar")
    except PackageNotFoundError:
        return ""


def ensure_package_schedules(
    HolidaySchedule=None,  # noqa: N803 - the models, historical inside a migration
    HolidayDay=None,  # noqa: N803
    HolidayCalendarState=None,  # noqa: N803
    HistoricalHolidaySchedule=None,  # noqa: N803
    HistoricalHolidayDay=None,  # noqa: N803
) -> int:
    """Create the missing years as confirmed schedules; how many were created."""
    in_migration = HolidaySchedule is not None
    if not in_migration:
        from .models import HolidayCalendarState, HolidayDay, HolidaySchedule

    at = timezone.now()
    note = f"{SOURCE_NOTE} {package_version()}".strip()
    have = set(HolidaySchedule.objects.values_list("year", flat=True))
    created = 0
    for year, days in package_days().items():
        if year in have:
            continue
        schedule = HolidaySchedule(
            year=year,
            title=f"国务院办公厅关于{year}年部分节假日安排的通知",
            source="package",
            status="confirmed",
            revision=1,
            text=f"（由 {note} 导入）",
            created_at=at,
            confirmed_at=at,
        )
        if not in_migration:
            schedule._change_reason = f"由 {note} 导入"
        schedule.save()
        rows = [HolidayDay(schedule=schedule, date=day, kind=kind, name=name) for day, kind, name in days]
        if in_migration:
            HolidayDay.objects.bulk_create(rows)
            if HistoricalHolidaySchedule is not None:
                _history(HolidaySchedule, HistoricalHolidaySchedule, [schedule], at, note)
                _history(HolidayDay, HistoricalHolidayDay, HolidayDay.objects.filter(schedule=schedule), at, note)
        else:
            from simple_history.utils import bulk_create_with_history

            bulk_create_with_history(rows, HolidayDay, default_change_reason=f"由 {note} 导入")
        created += 1
    token = uuid.uuid4()
    state, fresh = HolidayCalendarState.objects.get_or_create(pk=1, defaults={"token": token})
    if created or fresh:
        # Seeded days change no clock (they are the package's, which computed the clocks so far).
        HolidayCalendarState.objects.filter(pk=1).update(
            token=token, changed_at=at, recomputed_token=token, recomputed_at=at
        )
    return created


def _history(model, historical, rows, at, note) -> None:
    """Inside a migration the historical models get no history signal: the '+' rows by hand."""
    historical.objects.bulk_create(
        [
            historical(
                **{f.attname: getattr(row, f.attname) for f in model._meta.fields},
                history_date=at,
                history_type="+",
                history_change_reason=f"由 {note} 导入",
            )
            for row in rows
        ]
    )
