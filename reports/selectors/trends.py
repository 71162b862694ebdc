"""Series for the charts: month by month, and the backlog by age. One grouped query each."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models.case import OPEN_STATUSES, Status
from escalation.models import ClockKind, DeadlineClock

from .scope import Scope, unit_cases

AGE_BUCKETS = [(0, 7), (8, 15), (16, 30), (31, 60), (61, 90), (91, None)]


def months(scope: Scope) -> list[dt.date]:
    out, day = [], scope.date_from.replace(day=1)
    while day <= scope.date_to:
        out.append(day)
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


def _key(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date().replace(day=1) if timezone.is_aware(value) else value.date()
    return value


def _by_month(qs, field: str) -> dict:
    rows = qs.annotate(m=TruncMonth(field)).values("m").annotate(n=Count("pk")).order_by("m")
    return {_key(r["m"]): r["n"] for r in rows}


def monthly(scope: Scope) -> dict:
    """Intake (by received), closure (by closed), on-time share of clocks ending that month."""
    cases = unit_cases(scope)
    intake = _by_month(cases.filter(received_at__gte=scope.start, received_at__lt=scope.end), "received_at")
    closed = _by_month(cases.filter(closed_at__gte=scope.start, closed_at__lt=scope.end), "closed_at")
    clocks = DeadlineClock.objects.filter(
        case__in=cases.values("pk"),
        kind=ClockKind.STAGE,
        stopped_at__gte=scope.start,
        stopped_at__lt=scope.end,
        late__isnull=False,
    )
    on_time = {
        _key(r["m"]): (r["ok"], r["n"])
        for r in clocks.annotate(m=TruncMonth("stopped_at"))
        .values("m")
        .annotate(n=Count("pk"), ok=Count("pk", filter=Q(late=False)))
        .order_by("m")
    }
    labels = months(scope)
    return {
        "months": labels,
        "intake": [intake.get(m, 0) for m in labels],
        "closed": [closed.get(m, 0) for m in labels],
        "on_time": [(on_time[m][0] / on_time[m][1]) if on_time.get(m) and on_time[m][1] else None for m in labels],
    }


def backlog_ageing(scope: Scope, at: dt.datetime) -> list[tuple[str, int]]:
    """Cases still open (or answered, waiting for the reply/follow-up) by days since received."""
    cases = unit_cases(scope).filter(status__in=[*OPEN_STATUSES, Status.ANSWERED])
    aggregates = {}
    for low, high in AGE_BUCKETS:
        q = Q(received_at__lte=at - dt.timedelta(days=low))
        if high is not None:
            q &= Q(received_at__gt=at - dt.timedelta(days=high + 1))
        aggregates[f"b{low}"] = Count("pk", filter=q)
    row = cases.aggregate(**aggregates)
    return [
        (
            _("%(low)d–%(high)d天") % {"low": low, "high": high}
            if high is not None
            else _("%(days)d天以上") % {"days": low - 1},
            row[f"b{low}"],
        )
        for low, high in AGE_BUCKETS
    ]
