"""The single-pass queries give exactly what the separate queries they replaced gave."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count

from casework.models import Case
from casework.models.case import status_lookup
from reports.selectors import dashboard
from reports.selectors.outcomes import case_figures, case_figures_grouped, grouped
from reports.selectors.scope import cohort, home_unit, jurisdiction_cases, parse_scope

from .test_figures import T0, built  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def _scope(unit="DEMO-K1", date_from="2026-01-01", date_to="2026-03-31"):
    return parse_scope(date_from=date_from, date_to=date_to, unit=unit, everything=True)


@pytest.mark.parametrize("unit", ["DEMO-K1", "DEMO-P", None])
def test_folded_case_figures_equal_separate_queries(built, unit):  # noqa: F811
    cases = cohort(_scope(unit))
    figures, by_channel, by_category = case_figures_grouped(cases)
    assert figures == case_figures(cases)
    assert by_channel == grouped(cases, "channel__code", "channel__name")
    assert by_category == grouped(cases, "category__code", "category__name")


def test_folded_case_figures_on_an_empty_cohort(built):  # noqa: F811
    cases = cohort(_scope(date_from="2020-01-01", date_to="2020-01-31"))
    figures, by_channel, by_category = case_figures_grouped(cases)
    assert figures == case_figures(cases)
    assert figures["received"] == 0 and figures["reopens"] is None
    assert by_channel == [] and by_category == []


def test_dashboard_one_pass_equals_grouping_each_way(built, users):  # noqa: F811
    at = T0 + dt.timedelta(days=30)
    cases = jurisdiction_cases(users["supervisor"])
    levels, units = dashboard.state_counts(cases, at)
    clocked = cases.filter(status__in=dashboard.CLOCKED)
    counts = dashboard._state_counts(at)
    assert sum(row["open"] for row in levels) == clocked.count()
    for row in levels:  # answered as its two steps (status_lookup: answered_unreplied / answered_replied)
        expected = clocked.filter(**status_lookup(row["code"])).aggregate(**counts)
        assert [row[k] for k in ("open", "yellow", "red", "paused")] == [
            expected[k] for k in ("open", "yellow", "red", "paused")
        ]
    expected_units = list(
        clocked.values("handling_unit__code", "handling_unit__name")
        .annotate(**counts)
        .order_by("-red", "-yellow", "-open", "handling_unit__code")
    )
    assert [(u["handling_unit__code"], u["open"], u["yellow"], u["red"], u["paused"]) for u in units] == [
        (u["handling_unit__code"], u["open"], u["yellow"], u["red"], u["paused"]) for u in expected_units
    ]
    assert sum(u["open"] for u in units) == clocked.count() > 0


def test_jurisdiction_is_visible_cases_in_the_subtree(built, users):  # noqa: F811
    from casework import selectors

    user = users["supervisor"]
    unit = home_unit(user)
    assert unit is not None
    visible = selectors.visible_cases(user)
    visible = visible.filter(county__path__startswith=unit.path)
    assert set(jurisdiction_cases(user).values_list("pk", flat=True)) == set(visible.values_list("pk", flat=True))
    assert Case.objects.aggregate(n=Count("pk"))["n"] > jurisdiction_cases(user).count() > 0
