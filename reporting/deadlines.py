"""Submission deadlines of 定期上报, judged like escalation's deadline clocks.

Each federation that reports upward (a county or city federation) gets one
``ReportDeadline`` per active period: warn ``warn_days`` before the due date, breach at
the end of the due day (24:00, as a period in days ends — escalation's rule). The sweep
(``sweep``; every 60 s from the embedded scheduler, ``reporting.sweep_report_deadlines``
in Celery beat, ``manage.py sweep_report_deadlines [--now ISO]``) does what escalation's
sweep does for a case's clock:

- keyset walks over two partial indexes of open deadlines (breaches first, then warnings),
  a page at a time; each page in one transaction, its rows locked ``SKIP LOCKED`` and
  re-checked under the lock, so two sweeps in parallel act on each deadline once;
- a warning notification (``report_due_warning``) to the unit head (its leaders and
  admins, who sign the report), a breach notification (``report_overdue``) to the unit
  head and the union above (its leaders and supervisors); the mark (``warned_at`` /
  ``breached_at``) commits with the outbox rows, and the notification key
  (``reporting:<period>:<unit>:<kind>``) makes a repeat queue nothing;
- each deadline in a savepoint of its own: a failure rolls back alone and is stored on the
  row (``attempts``, ``last_error``); after ``MAX_ATTEMPTS`` it is marked done.

The deadline stops when the report is submitted (``services.report_submit``) and runs
again when it is returned; the sweep also skips a unit whose report is submitted. Why not
``escalation.DeadlineClock``: a clock belongs to a case (its stage, policy, the case's row
lock and history); a period report has none of these, so reporting keeps the same shape
in its own table and escalation stays about cases.

Periods whose due date is more than ``REPORTING_LATE_WINDOW_DAYS`` (default 30) in the
past get no deadlines: configuring last year's periods does not notify anyone.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from casework.clock import now
from casework.models import OrgUnit
from casework.models.org import FEDERATION_KINDS, Role
from notifications.services import notify

from .models import PeriodReport, ReportDeadline, ReportingPeriod, ReportStatus

logger = logging.getLogger(__name__)

BATCH = 200
MAX_ATTEMPTS = 5
HEAD_ROLES = (Role.LEADER, Role.ADMIN)  # who signs (services.is_head)
UPPER_ROLES = (Role.LEADER, Role.SUPERVISOR)


@dataclass
class SweepResult:
    created: int = 0
    warned: int = 0
    breached: int = 0
    skipped: int = 0
    errors: int = 0

    def line(self) -> str:
        return (
            f"created={self.created} warned={self.warned} breached={self.breached} "
            f"skipped={self.skipped} errors={self.errors}"
        )


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def due_at(period: ReportingPeriod) -> dt.datetime:
    """The end of the due day (24:00)."""
    return _start_of(period.due_on + dt.timedelta(days=1))


def warn_at(period: ReportingPeriod) -> dt.datetime:
    """The start of the day ``warn_days`` before the due date."""
    return _start_of(period.due_on - dt.timedelta(days=period.warn_days))


def reporting_units():
    """The federations that report upward: active county and city federations."""
    return OrgUnit.objects.filter(active=True, kind__in=FEDERATION_KINDS, parent__isnull=False)


def sync(at: dt.datetime) -> int:
    """Open a deadline for every reporting unit of every current active period, and keep
    open deadlines in step with their period's due date. Returns how many were opened."""
    window = getattr(settings, "REPORTING_LATE_WINDOW_DAYS", 30)
    since = timezone.localdate(at) - dt.timedelta(days=window)
    created = 0
    units = list(reporting_units().values_list("pk", flat=True))
    for period in ReportingPeriod.objects.filter(active=True, due_on__gte=since):
        due, warn = due_at(period), warn_at(period)
        ReportDeadline.objects.filter(period=period, stopped_at__isnull=True, breached_at__isnull=True).exclude(
            due_at=due, warn_at=warn
        ).update(due_at=due, warn_at=warn)
        have = set(ReportDeadline.objects.filter(period=period).values_list("unit_id", flat=True))
        missing = [pk for pk in units if pk not in have]
        if not missing:
            continue
        submitted = dict(
            PeriodReport.objects.filter(period=period, unit_id__in=missing, status=ReportStatus.SUBMITTED)
            .values_list("unit_id", "submitted_at")
        )  # fmt: skip
        rows = [
            ReportDeadline(period=period, unit_id=pk, started_at=at, warn_at=warn, due_at=due,
                           stopped_at=submitted.get(pk))
            for pk in missing
        ]  # fmt: skip
        ReportDeadline.objects.bulk_create(rows, ignore_conflicts=True)
        created += len(rows)
    return created


def stop(report: PeriodReport, at: dt.datetime) -> None:
    """The report is submitted: its deadline stops (inside the submitting transaction)."""
    ReportDeadline.objects.filter(period_id=report.period_id, unit_id=report.unit_id, stopped_at__isnull=True).update(
        stopped_at=at
    )


def restart(report: PeriodReport) -> None:
    """The report is returned: the deadline runs again (a breach already notified stays notified)."""
    ReportDeadline.objects.filter(period_id=report.period_id, unit_id=report.unit_id).update(stopped_at=None)


_OPEN = Q(stopped_at__isnull=True, breached_at__isnull=True, period__active=True)


def due_for_breach(at: dt.datetime):
    return ReportDeadline.objects.filter(_OPEN, due_at__lte=at)


def due_for_warning(at: dt.datetime):
    return ReportDeadline.objects.filter(_OPEN, warned_at__isnull=True, warn_at__lte=at, due_at__gt=at)


def _pages(queryset, field: str):
    """Pages of ids in ``(field, id)`` order (a keyset walk: a failed row is not met twice)."""
    last = None
    while True:
        qs = queryset
        if last is not None:
            qs = qs.filter(Q(**{f"{field}__gt": last[0]}) | Q(**{field: last[0], "pk__gt": last[1]}))
        page = list(qs.order_by(field, "pk").values_list(field, "pk")[:BATCH])
        if not page:
            return
        yield [pk for _value, pk in page]
        last = page[-1]


def _staff(unit_id: int | None, roles) -> list:
    if unit_id is None:
        return []
    return list(
        get_user_model().objects.filter(is_active=True, staff__unit_id=unit_id, staff__role__in=roles).order_by("pk")
    )


def _context(deadline: ReportDeadline, at: dt.datetime) -> dict:
    period = deadline.period
    left = (period.due_on - timezone.localdate(at)).days
    return {
        "unit": deadline.unit.name,
        "period": period.name,
        "due_on": f"{period.due_on:%Y-%m-%d}",
        "days_left": max(left, 0),
        "days_late": max(-left, 0),
        "url": reverse("reporting:periods"),
    }


def _act(deadline: ReportDeadline, kind: str, at: dt.datetime) -> None:
    key = f"reporting:{deadline.period_id}:{deadline.unit_id}:{kind}"
    heads = _staff(deadline.unit_id, HEAD_ROLES)
    if kind == "warning":
        notify(event="report_due_warning", recipients=heads, context=_context(deadline, at), key=key)
        deadline.warned_at = at
    else:
        upper = _staff(deadline.unit.parent_id, UPPER_ROLES)
        notify(event="report_overdue", recipients=heads + upper, context=_context(deadline, at), key=key)
        deadline.breached_at = at
        deadline.warned_at = deadline.warned_at or at  # no warning after the breach
    deadline.save(update_fields=["warned_at", "breached_at"])


def _still_due(deadline: ReportDeadline, kind: str, at: dt.datetime) -> bool:
    if deadline.stopped_at or deadline.breached_at or not deadline.period.active:
        return False
    if kind == "breach":
        return deadline.due_at <= at
    return deadline.warned_at is None and deadline.warn_at <= at < deadline.due_at


def _batch(ids: list[int], kind: str, at: dt.datetime, result: SweepResult) -> None:
    with transaction.atomic():
        qs = ReportDeadline.objects.filter(pk__in=ids).select_related("period", "unit").order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True, of=("self",))
        deadlines = list(qs)
        result.skipped += len(ids) - len(deadlines)
        submitted = {
            (p, u): s
            for p, u, s in PeriodReport.objects.filter(
                status=ReportStatus.SUBMITTED,
                period_id__in={d.period_id for d in deadlines},
                unit_id__in={d.unit_id for d in deadlines},
            ).values_list("period_id", "unit_id", "submitted_at")
        }
        for deadline in deadlines:
            if (deadline.period_id, deadline.unit_id) in submitted:
                deadline.stopped_at = submitted[(deadline.period_id, deadline.unit_id)]
                deadline.save(update_fields=["stopped_at"])
                result.skipped += 1
                continue
            if not _still_due(deadline, kind, at):
                result.skipped += 1
                continue
            try:
                with transaction.atomic():
                    _act(deadline, kind, at)
            except Exception as exc:
                logger.exception("report deadline sweep failed on %s", deadline.pk)
                result.errors += 1
                _failed(deadline, kind, at, exc)
                continue
            if kind == "warning":
                result.warned += 1
            else:
                result.breached += 1


def _failed(deadline: ReportDeadline, kind: str, at: dt.datetime, exc: Exception) -> None:
    deadline.attempts += 1
    deadline.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    fields = ["attempts", "last_error"]
    if deadline.attempts >= MAX_ATTEMPTS:  # stop retrying; the error stays in the admin
        field = "warned_at" if kind == "warning" else "breached_at"
        setattr(deadline, field, at)
        fields.append(field)
    deadline.save(update_fields=fields)


def sweep(at: dt.datetime | None = None) -> SweepResult:
    """Open missing deadlines, then breach and warn what is due at ``at`` (default: now)."""
    at = at or now()
    result = SweepResult()
    result.created = sync(at)
    walks = (("breach", due_for_breach(at), "due_at"), ("warning", due_for_warning(at), "warn_at"))
    for kind, queryset, field in walks:
        for page in _pages(queryset, field):
            try:
                _batch(page, kind, at, result)
            except Exception:  # the claim or the commit: nothing of the page was done
                logger.exception("report deadline sweep: a page of %s failed", len(page))
                result.errors += 1
    return result


def scheduled_sweep() -> None:
    """The embedded scheduler's job (every minute in ``serve``)."""
    result = sweep()
    if result.errors:
        logger.warning("report deadline sweep: %s", result.line())
