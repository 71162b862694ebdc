"""System checks: the holiday calendar must cover today, and should cover the months ahead."""

from __future__ import annotations

import datetime as dt

from django.core.checks import Error, Warning, register
from django.utils import timezone

# The longest clock the default policies run: 60 days at government level + a 30-day extension.
HORIZON = dt.timedelta(days=90)


@register()
def check_holiday_calendar(app_configs, **kwargs):
    from .calendar import known_range

    first, last = known_range()
    today = timezone.localdate()
    if not first <= today <= last:
        return [
            Error(
                f"The chinese-calendar package knows holidays for {first.year}-{last.year} only; "
                f"today ({today}) is outside, so no working-day deadline can be computed.",
                hint="Upgrade chinese-calendar (pinned in requirements.lock) to a release with this year's schedule.",
                id="escalation.E001",
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
