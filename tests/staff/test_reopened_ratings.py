"""Every recorded satisfaction counts in the 事事有结果 report, reopened (复查) or not."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from casework import services
from reports.selectors.outcomes import outcome_report
from reports.selectors.scope import parse_scope
from tests.casework.helpers import bring_to

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _report():
    scope = parse_scope(date_from="2026-01-01", date_to="2026-03-31", unit="DEMO-K1", everything=True)
    return outcome_report(scope, at=T0 + dt.timedelta(days=3))


def test_dissatisfied_then_reopened_then_satisfied(users, make_case):
    with time_machine.travel(T0, tick=False):
        case = bring_to("closed", users, make_case, satisfaction="dissatisfied")
        services.case_reopen(case=case.number, actor=users["desk"], reason="职工不满意，申请复查")
    r = _report()
    assert r["satisfaction"]["dissatisfied"] == 1
    assert r["satisfaction_rate"] == 0.0

    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        officer = users["officer_union"]
        services.case_resolve(case=case.number, actor=officer, outcome="resolved", result="复查后补发工资")
        services.case_reply(case=case.number, actor=users["desk"], method="phone", content="电话告知复查结果")
        services.case_follow_up(case=case.number, actor=users["desk"], satisfaction="satisfied")
    r = _report()
    assert r["satisfaction"] == {"satisfied": 1, "basically_satisfied": 0, "dissatisfied": 1, "not_rated": 0}
    assert r["satisfaction_rate"] == 0.5


def test_a_reopen_without_a_rating_adds_nothing(users, make_case):
    with time_machine.travel(T0, tick=False):
        case = bring_to("replied", users, make_case)
        services.case_reopen(case=case.number, actor=users["desk"], reason="职工申请复查")
    assert sum(_report()["satisfaction"].values()) == 0
