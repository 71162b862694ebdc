"""Three report-deadline sweeps at once on PostgreSQL: each notice is queued exactly once."""

import datetime as dt

import pytest

from notifications.models import Notification
from reporting.deadlines import SweepResult, sweep
from reporting.models import ReportDeadline, ReportingPeriod

from ..concurrency import side_by_side
from ..reception.conftest import SHANGHAI

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _side_by_side(at, n: int = 3) -> list[SweepResult]:
    """``n`` sweeps started together in threads (their own connections); fails on any error."""
    return side_by_side(lambda: sweep(at), n)


def test_parallel_sweeps_warn_and_breach_each_deadline_once(world):
    period = ReportingPeriod.objects.create(
        name="2026年第二季度", kind="quarter", starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2026, 6, 30),
        due_on=dt.date(2026, 7, 10),
    )  # fmt: skip
    warn = dt.datetime(2026, 7, 8, 9, tzinfo=SHANGHAI)
    results = _side_by_side(warn) + [sweep(warn)]
    units = ReportDeadline.objects.filter(period=period).count()
    assert units >= 4 and ReportDeadline.objects.filter(period=period).values("unit").distinct().count() == units
    assert sum(r.warned for r in results) == units and sum(r.errors for r in results) == 0
    late = dt.datetime(2026, 7, 11, 9, tzinfo=SHANGHAI)
    results = _side_by_side(late) + [sweep(late)]
    assert sum(r.breached for r in results) == units and sum(r.errors for r in results) == 0
    keys = list(Notification.objects.filter(key__startswith="reporting:").values_list("key", "recipient", "channel"))
    assert len(keys) == len(set(keys))
    assert ReportDeadline.objects.filter(period=period, breached_at__isnull=True).count() == 0
