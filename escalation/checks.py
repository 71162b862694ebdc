"""System checks: the holiday calendar must cover today, and should cover the months ahead."""

from __future__ import annotations

import datetime as dt

from django.core.checks import Error, Warning, register
from django.utils import timezone

# The longest clock the default policies run: 60 days at government level + a 30-day extension.
HORIZON = dt.timedelta(days=90)


def _working_day_policies(databases) -> list[str]:
    """Names of active policies counting working days (only when the check may use the database)."""
    if not databases:
        return []
    from django.db import DatabaseError

    from .models import TimePolicy

    try:
        return list(TimePolicy.objects.filter(length_unit="working_days").values_list("name", flat=True)[:5])
    except DatabaseError:  # not migrated yet
        return []


@register()
def check_holiday_calendar(app_configs, databases=None, **kwargs):
    """Past the calendar's years, working-day deadlines cannot be computed.

    That is an error when a working-day policy exists (every case entering its stage would be
    refused); with calendar-day and hour policies only (the defaults) nothing needs the
    calendar, so it is a warning and the site keeps running. The database is consulted only
    when the check is run with databases (``migrate``, ``check --database default``).
    """
    from .calendar import known_range

    first, last = known_range()
    today = timezone.localdate()
    if not first <= today <= last:
        policies = _working_day_policies(databases)
        message = (
            f"The chinese-calendar package knows holidays for {first.year}-{last.year} only; "
            f"today ({today}) is outside, so no working-day deadline can be computed."
        )
        hint = "Upgrade chinese-calendar (pinned in requirements.lock) to a release with this year's schedule."
        if policies:
            return [
                Error(
                    f"{message} Policies counting working days: {', '.join(policies)}.", hint=hint, id="escalation.E001"
                )
            ]
        return [
            Warning(
                f"{message} Only calendar-day and hour policies were found (or the database was "
                "not checked); a working-day policy will be refused with an error.",
                hint=hint,
                id="escalation.W002",
            )
        ]
    if today + HORIZON > last:
        return [
            Warning(
                f"The chinese-calendar package knows holidays up to {last} only; working-day deadlines "
                f"after that date will be refused.",
                hint="Upgrade chinese-calendar once the State Council publishes next year's holiday schedule.",
                id="escalation.W001",
            )
        ]
    return []
