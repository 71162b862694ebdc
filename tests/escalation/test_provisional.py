"""Past the loaded holiday schedules a deadline is provisional, never refused; loading the
year's schedule recomputes it, records it and tells the owner (issue 23)."""


import pytest
from django.core import checks
from django.core.management import call_command

from casework import notify, services
from casework.models import Case
from escalation import calendar, policies
from escalation.models import ClockKind, DeadlineClock, HolidaySchedule, TimePolicy
from escalation.services.holidays import deadlines_recompute, holiday_schedule_save, recompute_pending
from notifications.models import Notification

from .conftest import local

# A 2027 notice as the test needs it: 春节 one weekday longer than the statutory rules give
# (Thu Feb 11 off: the rules give Feb 5, 8 and, for the weekend days, 9 and 10), and one
# 调休 Saturday (Mar 6, right after the provisional deadline).
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
国办发明电〔2026〕99号
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（周五）至11日（周四）放假调休，共7天。3月6日（周六）上班。
国务院办公厅
2026年12月10日
"""


@pytest.fixture
def routed():
    """casework.notify routes ``deadline_recomputed`` to the owner."""
    assert notify.ROUTES["deadline_recomputed"] == [("deadline_recomputed", (notify.OWNER,))]


@pytest.fixture
def sixty_working_days(db):
    TimePolicy.objects.filter(stage="government", unit=None).update(length=60, length_unit="working_days")
    policies.forget()  # a queryset update sends no signal


def stage_clock(case) -> DeadlineClock:
    return DeadlineClock.objects.get(case=case, kind=ClockKind.STAGE, stopped_at__isnull=True)


def to_government(users, make_case) -> Case:
    case = make_case()
    services.case_escalate(case=case.number, actor=users["officer_enterprise"], reason="企业无力解决")
    services.case_escalate(case=case.number, actor=users["officer_union"], reason="需党委政府协调")
    return Case.objects.get(pk=case.pk)


def test_escalated_in_december_gets_a_provisional_2027_deadline_then_the_notice_moves_it(
    users, make_case, time_machine, sixty_working_days, routed, client
):
    time_machine.move_to(local(2026, 12, 4), tick=False)
    case = to_government(users, make_case)
    assert case.status == "government"  # moves on: not refused
    # Dec 7–31: 19 working days; 2027 by the rules: Jan 1 元旦, Feb 5 除夕, Feb 8 春节, Feb 9–10 补假
    # → the 60th working day is Fri Mar 5.
    assert case.due_at == local(2027, 3, 6, 0, 0)
    clock = stage_clock(case)
    assert clock.provisional and clock.due_at == case.due_at
    client.force_login(users["officer_government"])
    page = client.get(f"/cases/{case.number}/").content.decode()
    assert "（暂定）" in page
    api = client.get(f"/api/v1/cases/{case.number}/").json()
    assert api["due_provisional"] is True and api["due_at"].startswith("2027-03-06T00:00")

    rows, messages = case.history.count(), Notification.objects.filter(event="deadline_recomputed").count()
    time_machine.move_to(local(2026, 12, 10), tick=False)
    schedule = holiday_schedule_save(actor=users["admin"], text=NOTICE_2027, confirm=True)
    assert schedule.status == "confirmed" and schedule.year == 2027 and schedule.recomputed == 1

    case = Case.objects.get(pk=case.pk)
    # One more weekday off (Feb 11) → one working day later, and that day is the 调休 Saturday Mar 6.
    assert case.due_at == local(2027, 3, 7, 0, 0)
    clock = stage_clock(case)
    assert clock.due_at == case.due_at and not clock.provisional
    assert case.warn_at == clock.warn_at
    assert case.history.count() == rows + 1
    row = case.history.order_by("-history_id").first()
    assert row.last_action == "deadline_recomputed"
    assert "国务院办公厅关于2027年部分节假日安排的通知" in row.history_change_reason
    assert "国办发明电〔2026〕99号" in row.history_change_reason
    assert "由 2027年3月5日 改为 2027年3月6日" in row.history_change_reason
    told = Notification.objects.filter(event="deadline_recomputed")
    assert told.count() == messages + 1
    assert told.get().user == case.owner
    client.force_login(users["officer_government"])  # six days later: a new session
    api = client.get(f"/api/v1/cases/{case.number}/").json()
    assert api["due_provisional"] is False
    assert api["timeline"][-1]["action"] == "deadline_recomputed" and "2027年3月6日" in api["timeline"][-1]["reason"]
    assert "（暂定）" not in client.get(f"/cases/{case.number}/").content.decode()

    # Running the recompute again (the scheduled job, a second process) changes nothing.
    assert deadlines_recompute() == 0 and recompute_pending() == 0
    assert case.history.count() == rows + 1


def test_a_schedule_that_changes_nothing_writes_nothing(users, make_case, time_machine, sixty_working_days, routed):
    time_machine.move_to(local(2026, 12, 4), tick=False)
    case = to_government(users, make_case)
    rows = case.history.count()
    same = "元旦：1月1日（周五）至3日（周日）放假，共3天。\n春节：2月5日（周五）至10日（周三）放假调休，共6天。"
    holiday_schedule_save(actor=users["admin"], text=same, year=2027, confirm=True)
    case = Case.objects.get(pk=case.pk)
    assert case.due_at == local(2027, 3, 6, 0, 0) and not stage_clock(case).provisional
    assert case.history.count() == rows
    assert not Notification.objects.filter(event="deadline_recomputed").exists()


def test_a_draft_counts_for_nothing_until_confirmed(users, make_case, time_machine, sixty_working_days, routed):
    from escalation.services.holidays import holiday_schedule_confirm

    time_machine.move_to(local(2026, 12, 4), tick=False)
    case = to_government(users, make_case)
    draft = holiday_schedule_save(actor=users["admin"], text=NOTICE_2027)
    assert draft.status == "draft" and not calendar.is_confirmed(2027)
    assert Case.objects.get(pk=case.pk).due_at == local(2027, 3, 6, 0, 0)
    holiday_schedule_confirm(schedule=draft, actor=users["admin"])
    assert calendar.is_confirmed(2027)
    assert Case.objects.get(pk=case.pk).due_at == local(2027, 3, 7, 0, 0)


def test_paused_and_extended_clocks_are_recomputed_from_their_history(
    users, make_case, time_machine, sixty_working_days, routed
):
    from escalation import services as esc

    time_machine.move_to(local(2026, 12, 4), tick=False)
    case = to_government(users, make_case)
    officer, leader = users["officer_government"], users["leader"]
    esc.clock_pause(case=case.number, actor=officer, reason="等待职工补充材料")
    time_machine.move_to(local(2026, 12, 6), tick=False)  # two days stood still
    esc.clock_resume(case=case.number, actor=officer)
    assert Case.objects.get(pk=case.pk).due_at == local(2027, 3, 8, 0, 0)
    esc.extension_request(case=case.number, actor=officer, days=2, reason="需多部门会商")
    esc.extension_approve(case=case.number, actor=leader)
    # Sun Mar 7 24:00 (two days held), then 2 working days from Sunday: Mon 8, Tue 9 → 24:00 Tue Mar 9.
    assert Case.objects.get(pk=case.pk).due_at == local(2027, 3, 10, 0, 0)
    holiday_schedule_save(actor=users["admin"], text=NOTICE_2027, confirm=True)
    # Under the notice: Sat Mar 6 24:00, two days held → Mon Mar 8 24:00, + Tue 9, Wed 10.
    case = Case.objects.get(pk=case.pk)
    assert case.due_at == stage_clock(case).due_at == local(2027, 3, 11, 0, 0)
    assert case.history.filter(last_action="deadline_recomputed").count() == 1


def test_at_new_year_with_nothing_loaded_every_policy_works_and_check_only_warns(users, make_case, time_machine):
    TimePolicy.objects.update(length_unit="working_days", warn_days_left=None)
    policies.forget()  # a queryset update sends no signal
    time_machine.move_to(local(2027, 1, 2), tick=False)
    assert not calendar.is_confirmed(2027)
    case = make_case()
    for actor, service, kwargs in [
        ("officer_enterprise", services.case_escalate, {"reason": "企业无力解决"}),
        ("officer_union", services.case_escalate, {"reason": "需党委政府协调"}),
    ]:
        service(case=case.number, actor=users[actor], **kwargs)
        case = Case.objects.get(pk=case.pk)
        assert case.due_at is not None and case.due_at.year == 2027 and stage_clock(case).provisional
    services.task_claim(case=case.number, actor=users["officer_government"])
    services.case_resolve(
        case=case.number, actor=users["officer_government"], outcome="resolved", result="已督促企业补发工资。"
    )
    case = Case.objects.get(pk=case.pk)
    assert case.status == "answered" and stage_clock(case).stage == "reply" and stage_clock(case).provisional
    found = checks.run_checks(databases=["default"])
    ours = [m for m in found if m.id.startswith("escalation.")]
    assert [m.id for m in ours] == ["escalation.W001"] and "2027" in ours[0].msg
    assert all(m.level < checks.ERROR for m in found)
    call_command("check")  # a warning does not fail the command


def test_schedule_missing_from_november_only(users, time_machine):
    from escalation.provisional import schedule_missing_notice

    time_machine.move_to(local(2026, 10, 31), tick=False)
    assert schedule_missing_notice(local(2026, 10, 31)) == ""
    assert not [m for m in checks.run_checks(databases=["default"]) if m.id.startswith("escalation.")]
    time_machine.move_to(local(2026, 11, 1), tick=False)
    text = schedule_missing_notice(local(2026, 11, 1))
    assert "2027年的节假日安排" in text and "尚未录入" in text
    holiday_schedule_save(actor=users["admin"], text=NOTICE_2027, confirm=True)
    assert schedule_missing_notice(local(2026, 11, 1)) == ""
    assert HolidaySchedule.objects.get(year=2027, status="confirmed").number == "国办发明电〔2026〕99号"


def test_a_case_that_fails_does_not_stop_the_others_and_the_job_tries_again(
    users, make_case, time_machine, sixty_working_days, routed
):
    from escalation.models import HolidayCalendarState

    time_machine.move_to(local(2026, 12, 4), tick=False)
    broken, fine = to_government(users, make_case), to_government(users, make_case)
    clock = stage_clock(broken)
    DeadlineClock.objects.filter(pk=clock.pk).update(policy_snapshot={**clock.policy_snapshot, "length": 0})
    schedule = holiday_schedule_save(actor=users["admin"], text=NOTICE_2027, confirm=True)
    assert schedule.recomputed == 1
    assert Case.objects.get(pk=fine.pk).due_at == local(2027, 3, 7, 0, 0)
    assert Case.objects.get(pk=broken.pk).due_at == local(2027, 3, 6, 0, 0)  # untouched, still provisional
    state = HolidayCalendarState.objects.get()
    assert state.recomputed_token != state.token and state.pending_years == [2027]
    DeadlineClock.objects.filter(pk=clock.pk).update(policy_snapshot=clock.policy_snapshot)  # repaired
    assert recompute_pending() == 1
    assert Case.objects.get(pk=broken.pk).due_at == local(2027, 3, 7, 0, 0)
    assert recompute_pending() == 0
