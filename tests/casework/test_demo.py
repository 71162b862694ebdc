"""The demo looks lived-in: cases over two years, worked on their own dates through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count
from django.utils import timezone

from casework import clock
from casework.demo import seed_demo
from casework.models import Case
from reports.selectors import dashboard as dash
from reports.selectors.scope import Scope
from reports.selectors.trends import monthly

pytestmark = pytest.mark.django_db


def test_the_clock_travels_only_inside_the_block():
    past = timezone.now() - dt.timedelta(days=400)
    with clock.travel(past):
        assert clock.now() == past and clock.travelled() == past
    assert clock.travelled() is None and abs(clock.now() - timezone.now()) < dt.timedelta(seconds=5)
    with clock.travel(timezone.now() + dt.timedelta(days=3)):
        assert clock.now() <= timezone.now()  # never into the future
    with pytest.raises(ValueError), clock.travel(dt.datetime(2025, 1, 1)):  # noqa: DTZ001 - the naive one refused
        pass


def test_seed_demo_spreads_cases_over_two_years_and_runs_once():
    assert seed_demo(cases=100) == 100
    today = timezone.localdate()
    trend = monthly(Scope(today - dt.timedelta(days=730), today, None))
    assert sum(1 for n in trend["intake"] if n) >= 12
    assert sum(1 for n in trend["closed"] if n) >= 12
    assert any(rate is not None for rate in trend["on_time"])
    assert dash.red_list(Case.objects.all(), timezone.now())  # some are overdue
    closed = Case.objects.filter(status="closed")
    assert closed.exists() and not closed.filter(satisfaction="").exists()
    for county in ("DEMO-K1", "DEMO-K2", "DEMO-K3"):  # every county's supervisor sees a lived-in world
        assert closed.filter(county__code=county).exists()
        assert dash.red_list(Case.objects.filter(county__code=county), timezone.now())
    oldest = Case.objects.order_by("received_at").first()
    assert oldest.received_at < timezone.now() - dt.timedelta(days=365)
    statuses = dict(Case.objects.values_list("status").annotate(n=Count("pk")))
    assert {"registered", "enterprise", "union", "government", "answered", "closed"} <= set(statuses)
    # Each step on its own date, in order, and the history rows carry those dates.
    case = closed.order_by("received_at").first()
    assert case.received_at < case.answered_at < case.replied_at < case.closed_at <= timezone.now()
    dates = list(case.history.order_by("history_id").values_list("history_date", flat=True))
    assert dates == sorted(dates) and dates[0] == case.received_at and dates[-1] == case.closed_at
    assert case.updated_at == case.closed_at  # 最近操作 on the red list and lists: the step's date
    # Numbers follow the dates they were received on.
    numbers = list(Case.objects.order_by("received_at").values_list("number", flat=True))
    assert numbers[0].split("-")[1] == str(timezone.localtime(oldest.received_at).year)
    assert seed_demo(cases=100) == 0 and Case.objects.count() == 100  # idempotent
