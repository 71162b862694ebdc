"""The daily digest for supervisors (督导每日简报): new, warning, overdue and closed cases
in each supervisor's jurisdiction, as one notification.

Run hourly (embedded scheduler / Celery beat) or by hand (``send_supervisor_digest``); it
sends nothing before ``CASEWORK_DIGEST_HOUR`` (local time) and at most one digest per
supervisor per day (the notification key carries the date).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.services import notify

from .clock import now as clock_now
from .models import Case, StaffProfile
from .models.case import OPEN_STATUSES, Status
from .models.org import Role

LISTED = 20  # case numbers named per list in one digest

# Lines other apps add to every digest, each a function of the moment returning a text or
# "" (escalation: next year's holiday schedule is not loaded yet).
_notices: list = []


def register_notice(notice) -> None:
    if notice not in _notices:
        _notices.append(notice)


# Lines about the supervisor's own jurisdiction, each a function of (unit, moment) returning
# a text or "" (voices: workers' voices still unanswered there; campaign: 联系点 / 联系户
# overdue this quarter in that unit's subtree).
_unit_notices: list = []


def register_unit_notice(notice) -> None:
    if notice not in _unit_notices:
        _unit_notices.append(notice)


def _numbers(qs) -> tuple[list[str], int]:
    numbers = list(qs.order_by("due_at").values_list("number", flat=True)[: LISTED + 1])
    total = len(numbers) if len(numbers) <= LISTED else qs.count()
    return numbers[:LISTED], max(total - LISTED, 0)


def digest_context(unit, at: dt.datetime) -> dict:
    cases = Case.objects.filter(county__path__startswith=unit.path)
    clocked = cases.filter(status__in=[*OPEN_STATUSES, Status.ANSWERED], due_at__isnull=False, paused_at__isnull=True)
    overdue = clocked.filter(due_at__lt=at)
    warning = clocked.filter(due_at__gte=at, warn_at__lte=at)
    since = at - dt.timedelta(days=1)
    overdue_cases, overdue_more = _numbers(overdue)
    warning_cases, warning_more = _numbers(warning)
    return {
        "date": timezone.localtime(at).date().isoformat(),
        "unit": unit.name,
        "new": cases.filter(received_at__gte=since, received_at__lt=at).count(),
        "warning": len(warning_cases) + warning_more,
        "overdue": len(overdue_cases) + overdue_more,
        "closed": cases.filter(closed_at__gte=since, closed_at__lt=at).count(),
        "overdue_cases": overdue_cases,
        "overdue_more": overdue_more,
        "warning_cases": warning_cases,
        "warning_more": warning_more,
        "url": reverse("casework:list"),
        "notices": [
            text
            for text in [*(notice(at) for notice in _notices), *(notice(unit, at) for notice in _unit_notices)]
            if text
        ],
    }


def send_supervisor_digest(*, at: dt.datetime | None = None, force: bool = False) -> int:
    """Queue today's digest for every active supervisor; returns how many were new."""
    at = at or clock_now()
    local = timezone.localtime(at)
    if not force and local.hour < getattr(settings, "CASEWORK_DIGEST_HOUR", 8):
        return 0
    queued = 0
    profiles = StaffProfile.objects.filter(role=Role.SUPERVISOR, user__is_active=True).select_related("user", "unit")
    for profile in profiles.order_by("pk"):
        with transaction.atomic():
            queued += notify(
                event="supervisor_digest",
                recipients=[profile.user],
                context=digest_context(profile.unit, at),
                key=f"digest:{local.date().isoformat()}:{profile.user_id}",
            )
    return queued
