"""定期上报: submit once with frozen figures, no edits after, only the head, returns need a comment."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from casework.exceptions import InvalidInput, NotAllowed
from casework.models import OrgUnit
from reporting import selectors, services
from reporting.models import PeriodReport, ReportingPeriod, ReportStatus

from ..reception.conftest import MORNING


@pytest.fixture
def period(morning):
    return ReportingPeriod.objects.create(
        name="2026年第二季度", kind="quarter", starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2026, 6, 30),
        due_on=dt.date(2026, 7, 10),
    )  # fmt: skip


def _k1():
    return OrgUnit.objects.get(code="DEMO-K1")


def _user(name):
    return get_user_model().objects.get(username=name)


@pytest.fixture
def city_leader(world):
    from casework.models.org import Role
    from casework.services.org import staff_ensure

    return staff_ensure(username="city_leader", password="x-pass-123", unit=OrgUnit.objects.get(code="DEMO-C1"),
                        role=Role.LEADER, full_name="市总工会王主席")  # fmt: skip


def test_submission_freezes_figures_while_the_live_report_moves_on(users, period, make_case):
    make_case()
    report = services.report_start(actor=users["desk"], period=period, unit=_k1())
    assert "本期共受理职工诉求1件" in report.work_done
    report = services.report_submit(actor=users["leader"], report=report)
    assert report.figures["received"] == 1 and report.status == ReportStatus.SUBMITTED
    make_case()
    make_case()
    assert selectors.live_figures(period, _k1())["received"] == 3
    report.refresh_from_db()
    assert report.figures["received"] == 1


def test_not_submitted_twice_nor_edited_after(users, period):
    report = services.report_start(actor=users["desk"], period=period, unit=_k1())
    services.report_submit(actor=users["leader"], report=report)
    with pytest.raises(InvalidInput) as exc:
        services.report_submit(actor=users["leader"], report=report)
    assert "重复上报" in str(exc.value.message)
    with pytest.raises(InvalidInput):
        services.report_edit(actor=users["desk"], report=report, problems="改一下")
    report.refresh_from_db()
    assert report.problems == "" and report.history.count() == 2
    assert services.report_start(actor=users["desk"], period=period, unit=_k1()) == report
    assert PeriodReport.objects.count() == 1


def test_only_the_unit_head_submits(users, period):
    report = services.report_start(actor=users["desk"], period=period, unit=_k1())
    for name in ("desk", "supervisor", "officer_union"):
        with pytest.raises(NotAllowed):
            services.report_submit(actor=users[name], report=report)
    with pytest.raises(NotAllowed):
        services.report_submit(actor=_user("leader_2"), report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.figures == {}


def test_return_needs_a_comment_and_the_upper_union(users, period, city_leader):
    report = services.report_start(actor=users["desk"], period=period, unit=_k1())
    services.report_submit(actor=users["leader"], report=report)
    with pytest.raises(InvalidInput) as exc:
        services.report_return(actor=city_leader, report=report, comment=" ")
    assert "comment" in exc.value.fields
    with pytest.raises(NotAllowed):
        services.report_return(actor=users["leader"], report=report, comment="自己退回")
    report = services.report_return(actor=city_leader, report=report, comment="请补充典型案例。")
    assert report.status == ReportStatus.RETURNED
    services.report_edit(actor=users["desk"], report=report, typical_cases="补充的典型案例")
    report = services.report_submit(actor=users["leader"], report=report)
    assert report.status == ReportStatus.SUBMITTED
    reasons = list(report.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert "请补充典型案例。" in reasons and reasons.count("签发上报") == 2


def test_upper_union_sees_late_and_totals_from_submissions(users, period, city_leader, make_case, time_machine):
    make_case()
    report = services.report_start(actor=users["desk"], period=period, unit=_k1())
    services.report_submit(actor=users["leader"], report=report)
    city = OrgUnit.objects.get(code="DEMO-C1")
    rows = selectors.children_status(city, period, today=dt.date(2026, 7, 11))
    states = {r.unit.code: (r.state, r.late) for r in rows}
    assert states["DEMO-K1"] == ("submitted", False)
    assert states["DEMO-K2"] == ("missing", True)
    make_case()  # after submission: the totals are what was reported
    totals = selectors.subtree_totals(rows)
    assert totals["received"] == 1 and totals["reports"] == 1


def test_systemic_cases_travel_with_the_submission(users, period, make_case, city_leader):
    from casework.services import case_flag_systemic

    case = make_case()
    case_flag_systemic(case=case, actor=users["leader"], reason="多家企业同类拖欠")
    report = services.report_start(actor=users["desk"], period=period, unit=_k1())
    assert case.number in report.typical_cases
    report = services.report_submit(actor=users["leader"], report=report)
    assert [c["number"] for c in report.systemic] == [case.number]
    onward = services.onward_record(
        actor=city_leader, report=report, recipient="party_government", reported_on=MORNING.date(),
        content="欠薪问题专报", response="市政府已部署专项检查",
    )  # fmt: skip
    assert onward.pk
    with pytest.raises(NotAllowed):
        services.onward_record(actor=users["leader"], report=report, recipient="upper_union",
                               reported_on=MORNING.date(), content="x")  # fmt: skip


def test_enterprise_units_do_not_report(users, period):
    with pytest.raises(InvalidInput):
        services.report_start(
            actor=users["officer_enterprise"], period=period, unit=OrgUnit.objects.get(code="DEMO-E1")
        )
