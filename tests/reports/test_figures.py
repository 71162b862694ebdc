"""The period report adds up, figure by figure, against hand-computed values."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from casework import services
from reports.selectors.outcomes import outcome_report
from reports.selectors.scope import parse_scope

from .builders import escalated, fresh, resolved

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # a Monday


@pytest.fixture
def built(users, register):
    """15 cases in county A (DEMO-K1) and one in county B, the kinds numbered as in the test."""
    with time_machine.travel(T0 - dt.timedelta(days=40), tick=False):
        late = register()  # 15: 40 days at the enterprise level, then escalated (late)
    with time_machine.travel(T0, tick=False):
        services.case_escalate(case=late.number, actor=users["officer_enterprise"], reason="企业层面未能解决")
        cases = {
            "registered": register(accept=False),  # 1
            "enterprise": register(),  # 2
            "union": escalated(users, register, "union"),  # 3
            "government": escalated(users, register, "government"),  # 4
            "answered": resolved(users, register, reply=False),  # 5
            "replied": resolved(users, register),  # 6
            "satisfied": resolved(users, register, satisfaction="satisfied"),  # 7
            "explained": resolved(users, register, outcome="explained", satisfaction="basically_satisfied"),  # 8
            "partly": resolved(users, register, outcome="partly_resolved", satisfaction="dissatisfied"),  # 9
            "not_rated": resolved(users, register, outcome="explained", close=True),  # 10
        }
        cases["not_accepted"] = register(accept=False)  # 11
        services.case_not_accept(case=cases["not_accepted"].number, actor=users["desk"], guidance="请申请劳动仲裁。")
        cases["withdrawn"] = register()  # 12
        services.case_withdraw(case=cases["withdrawn"].number, actor=users["desk"], reason="职工撤回")
        cases["merged"] = register()  # 13
        services.case_merge(case=cases["merged"].number, actor=users["desk"], into=cases["enterprise"].number)
        cases["reopened"] = resolved(users, register, satisfaction="dissatisfied")  # 14
        services.case_reopen(case=cases["reopened"].number, actor=users["desk"], reason="职工不满意，申请复查")
        services.case_flag_systemic(case=cases["enterprise"].number, actor=users["desk"], reason="多家企业同类问题")
        cases["late"] = fresh(late)
        cases["elsewhere"] = register(enterprise="DEMO-E5")  # county B: never counted for county A
    return cases


def report_for(unit="DEMO-K1"):
    scope = parse_scope(date_from="2026-01-01", date_to="2026-03-31", unit=unit, everything=True)
    return outcome_report(scope, at=T0 + dt.timedelta(hours=1))


def test_every_case_is_in_exactly_one_bucket(built):
    r = report_for()
    assert r["received"] == 15
    assert r["open"] == 6  # registered, enterprise, union, government, reopened, late
    assert r["outcomes"] == {
        "resolved": 3,  # answered, replied, satisfied
        "partly_resolved": 1,
        "explained": 2,
        "not_accepted": 1,
        "withdrawn": 1,
        "merged": 1,
    }
    assert r["open"] + sum(r["outcomes"].values()) == r["received"]


def test_levels_channels_categories(built):
    r = report_for()
    assert {x["code"]: x["count"] for x in r["by_level"]} == {"": 2, "enterprise": 9, "union": 3, "government": 1}
    assert r["by_channel"] == [{"code": "reception_day", "name": r["by_channel"][0]["name"], "count": 15}]
    assert [(x["code"], x["count"]) for x in r["by_category"]] == [("wages", 15)]


def test_satisfaction_rates_and_gaps(built):
    r = report_for()
    # 14's 不满意 counts although 复查 reopened the case (#18: it used to vanish).
    assert r["satisfaction"] == {"satisfied": 1, "basically_satisfied": 1, "dissatisfied": 2, "not_rated": 1}
    assert r["rated_share"] == 0.8
    assert r["satisfaction_rate"] == 0.5
    assert r["resolution_rate"] == round(4 / 7, 4)  # (3 + 1) / (3 + 1 + 2 + 1)
    assert r["gaps"] == {"answered_not_replied": 1, "replied_no_follow_up": 1}
    assert r["reopened"] == 1 and r["reopens"] == 1
    assert r["systemic"] == 1


def test_clocks_and_handling_time(built):
    r = report_for()
    stages = {s["stage"]: s for s in r["stages"]}
    assert stages["enterprise"]["late"] == 1  # only the 40-day stay
    assert stages["receipt"]["late"] == 0
    assert r["response_rate"] == 1.0
    judged = sum(s["judged"] for s in r["stages"])
    on_time = sum(s["on_time"] for s in r["stages"])
    assert r["on_time_rate"] == round(on_time / judged, 4) and r["on_time_rate"] < 1
    enterprise = next(h for h in r["handling_time"] if h["level"] == "enterprise")
    # Finished enterprise stays: union, government, the 6 resolved, withdrawn, merged, reopened, late.
    assert enterprise["finished"] == 12
    assert enterprise["avg_days"] == round(40 / 12, 2)
    assert enterprise["p90_days"] == 0.0  # 11 stays of 0 days and one of 40: rank 9.9 lies among the zeros


def test_other_county_not_counted(built):
    assert report_for("DEMO-K2")["received"] == 1
    assert report_for("DEMO-P")["received"] == 16


def test_period_bounds(built):
    scope = parse_scope(date_from="2026-03-02", date_to="2026-03-02", unit="DEMO-K1", everything=True)
    assert outcome_report(scope, at=timezone.now())["received"] == 14  # the late case came in January
