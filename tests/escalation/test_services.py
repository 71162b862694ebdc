"""挂起/恢复, 延期, 催办, 督办: arithmetic, history rows, and refusals."""

import datetime as dt

import pytest

from casework import selectors
from casework.exceptions import InvalidInput, NotAllowed, TransitionRefused
from casework.models import Case
from escalation import policies, services
from escalation.models import ClockKind, ClockPause, DeadlineClock, TimePolicy

from .conftest import local


def stage_clock(case):
    return DeadlineClock.objects.get(case=case, kind=ClockKind.STAGE, stopped_at__isnull=True)


def last_history(case):
    return Case.objects.get(pk=case.pk).history.order_by("-history_id").first()


def test_pause_and_resume_move_the_deadline_by_the_paused_time(make_case, users, monday, time_machine):
    case = make_case()
    officer = users["officer_enterprise"]
    due = case.due_at
    time_machine.move_to(local(2025, 3, 5), tick=False)
    services.clock_pause(case=case.number, actor=officer, reason="等待职工补充工资条。")
    c = Case.objects.get(pk=case.pk)
    assert c.paused_at == local(2025, 3, 5)
    assert last_history(case).last_action == "pause" and last_history(case).history_user == officer
    with pytest.raises(TransitionRefused):
        services.clock_pause(case=case.number, actor=officer, reason="再次挂起")
    time_machine.move_to(local(2025, 3, 9, 16), tick=False)
    services.clock_resume(case=case.number, actor=officer)
    c = Case.objects.get(pk=case.pk)
    clock = stage_clock(case)
    held = dt.timedelta(days=4, hours=6)
    assert c.paused_at is None and clock.paused_total == held
    assert c.due_at == clock.due_at == due + held
    pause = ClockPause.objects.get(clock=clock)
    assert pause.reason == "等待职工补充工资条。" and pause.paused_by == officer and pause.resumed_by == officer
    assert pause.ended_at == local(2025, 3, 9, 16)
    with pytest.raises(TransitionRefused):
        services.clock_resume(case=case.number, actor=officer)


def test_leaving_a_stage_while_paused_does_not_count_the_pause(make_case, users, monday, time_machine):
    case = make_case()
    officer = users["officer_enterprise"]
    services.clock_pause(case=case.number, actor=officer, reason="等待仲裁结果。")
    time_machine.move_to(local(2025, 4, 3), tick=False)  # a month, all paused
    from casework.services import case_resolve

    case_resolve(case=case.number, actor=officer, outcome="resolved", result="已补发。")
    clock = DeadlineClock.objects.get(case=case, stage="enterprise")
    assert clock.late is False and clock.paused_total == dt.timedelta(days=31)
    assert Case.objects.get(pk=case.pk).paused_at is None


def test_only_people_working_the_case_may_pause(make_case, users, monday):
    case = make_case()
    with pytest.raises(NotAllowed):
        services.clock_pause(case=case.number, actor=users["officer_elsewhere"], reason="x")
    with pytest.raises(InvalidInput):
        services.clock_pause(case=case.number, actor=users["officer_enterprise"], reason="  ")
    assert Case.objects.get(pk=case.pk).paused_at is None


def test_one_extension_per_stage_approved_by_the_leader(make_case, users, monday):
    case = make_case()
    officer, leader = users["officer_enterprise"], users["leader"]
    due = case.due_at
    with pytest.raises(InvalidInput) as exc:
        services.extension_request(case=case.number, actor=officer, days=16, reason="企业负责人出差。")
    assert "1至15天" in str(exc.value.fields["days"][0])
    services.extension_request(case=case.number, actor=officer, days=5, reason="企业负责人出差。")
    assert last_history(case).last_action == "extension_requested"
    with pytest.raises(TransitionRefused):
        services.extension_request(case=case.number, actor=officer, days=2, reason="再延")
    with pytest.raises(NotAllowed):
        services.extension_approve(case=case.number, actor=officer)
    services.extension_approve(case=case.number, actor=leader)
    c = Case.objects.get(pk=case.pk)
    assert c.due_at == stage_clock(case).due_at == due + dt.timedelta(days=5)
    row = last_history(case)
    assert row.last_action == "extension_approved" and row.history_user == leader
    assert "企业负责人出差" in row.history_change_reason
    with pytest.raises(TransitionRefused):
        services.extension_approve(case=case.number, actor=leader)
    assert "request_extension" not in selectors.allowed_actions(c, officer)


def test_extension_in_working_days_skips_the_holidays(make_case, users, time_machine):
    TimePolicy.objects.filter(stage="enterprise", unit=None).update(length=3, length_unit="working_days")
    policies.forget()  # a queryset update sends no signal
    time_machine.move_to(local(2025, 9, 26, 9), tick=False)
    case = make_case()
    assert case.due_at == local(2025, 10, 1, 0, 0)  # Sun 28 (调休), Mon 29, Tue 30
    services.extension_request(case=case.number, actor=users["officer_enterprise"], days=2, reason="节前无法约谈。")
    services.extension_approve(case=case.number, actor=users["leader"])
    assert Case.objects.get(pk=case.pk).due_at == local(2025, 10, 11, 0, 0)  # Thu Oct 9, Fri Oct 10


def test_no_extension_once_overdue(make_case, users, monday, time_machine):
    case = make_case()
    time_machine.move_to(local(2025, 3, 20), tick=False)
    with pytest.raises(TransitionRefused):
        services.extension_request(case=case.number, actor=users["officer_enterprise"], days=3, reason="晚了")


def test_urge_is_for_supervisors(make_case, users, monday):
    case = make_case()
    with pytest.raises(NotAllowed):
        services.case_urge(case=case.number, actor=users["officer_enterprise"], message="快办")
    services.case_urge(case=case.number, actor=users["supervisor"], message="请三日内反馈进展。")
    row = last_history(case)
    assert (row.last_action, row.history_user, row.history_change_reason) == (
        "urge",
        users["supervisor"],
        "请三日内反馈进展。",
    )


def test_supervision_order_only_on_a_red_case_and_runs_its_own_clock(make_case, users, monday, time_machine):
    case = make_case()
    supervisor = users["supervisor"]
    with pytest.raises(TransitionRefused):
        services.case_supervise(
            case=case.number, actor=supervisor, due_date=dt.date(2025, 3, 25), instructions="限期办结。"
        )
    time_machine.move_to(local(2025, 3, 20), tick=False)
    with pytest.raises(InvalidInput):
        services.case_supervise(case=case.number, actor=supervisor, due_date=dt.date(2025, 3, 20), instructions="x")
    with pytest.raises(NotAllowed):
        services.case_supervise(
            case=case.number, actor=users["officer_enterprise"], due_date=dt.date(2025, 3, 25), instructions="x"
        )
    assert "supervise" in selectors.allowed_actions(Case.objects.get(pk=case.pk), supervisor)
    services.case_supervise(
        case=case.number, actor=supervisor, due_date=dt.date(2025, 3, 25), instructions="三日内与企业面谈。"
    )
    order = DeadlineClock.objects.get(case=case, kind=ClockKind.SUPERVISION, stopped_at__isnull=True)
    assert order.due_at == local(2025, 3, 26, 0, 0) and order.created_by == supervisor
    assert Case.objects.get(pk=case.pk).due_at == order.due_at
    assert last_history(case).last_action == "supervise"
    # a newer order replaces the open one
    services.case_supervise(case=case.number, actor=supervisor, due_date=dt.date(2025, 3, 28), instructions="再督办。")
    assert DeadlineClock.objects.filter(case=case, kind=ClockKind.SUPERVISION).count() == 2
    assert DeadlineClock.objects.get(case=case, kind=ClockKind.SUPERVISION, stopped_at__isnull=True).instructions == (
        "再督办。"
    )


def test_actions_are_registered_and_offered_to_the_right_people(make_case, users, monday):
    from casework.actions import ACTIONS

    case = make_case()
    for code in ("pause", "resume", "request_extension", "approve_extension", "urge", "supervise"):
        assert code in ACTIONS
    officer = selectors.allowed_actions(case, users["officer_enterprise"])
    assert "pause" in officer and "request_extension" in officer and "urge" not in officer
    assert "resume" not in officer and "approve_extension" not in officer
    assert "urge" in selectors.allowed_actions(case, users["supervisor"])
    assert "pause" not in selectors.allowed_actions(case, users["officer_elsewhere"])
    assert selectors.ACTION_LABELS["deadline_breach"] == "超期"


def test_actions_run_through_the_registry(make_case, users, monday):
    from casework.actions import ACTIONS, perform

    case = make_case()
    form = ACTIONS["request_extension"].form(data={"version": case.version, "days": "3", "reason": "等待材料。"})
    assert form.is_valid(), form.errors
    perform("request_extension", case, users["officer_enterprise"], form.cleaned_data, case.version)
    assert stage_clock(case).extension_days == 3
