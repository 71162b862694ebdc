"""System check: the holiday schedule of this year (and from 1 November of the next) should be loaded.

Never an error: past the loaded schedules working-day deadlines are provisional, not
refused (``calendar.py``), so the site keeps running and the warning says what to do.
The schedules live in the database; the check reads them when it may (``migrate``,
``check --database default``, and a plain ``check`` when the database answers) and says
nothing when it cannot (before ``migrate``).
"""

from __future__ import annotations

from django.core.checks import Warning, register
from django.utils import timezone


def _missing_years(databases) -> list[int] | None:
    from django.db import DatabaseError

    from .calendar import missing_years

    try:
        return missing_years(timezone.localdate())
    except DatabaseError:  # no database yet, or not migrated
        return None


@register()
def check_holiday_calendar(app_configs, databases=None, **kwargs):
    years = _missing_years(databases)
    if not years:
        return []
    listed = ", ".join(str(y) for y in years)
    return [
        Warning(
            f"No confirmed holiday schedule for {listed}: working-day deadlines reaching into "
            f"{listed} are provisional (weekends and statutory holidays only) until it is loaded.",
            hint=(
                "Paste the State Council's notice (国务院办公厅关于部分节假日安排的通知) in the admin: "
                "节假日安排 → 粘贴通知录入 (docs/operations.md, Holiday schedule)."
            ),
            id="escalation.W001",
        )
    ]
