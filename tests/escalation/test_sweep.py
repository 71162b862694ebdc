"""The sweep: warnings, every breach action, idempotence, failures recorded, the command."""

import io

import pytest
from django.core.management import call_command

from casework import services as casework_services
from casework.models import Case
from escalation import policies
from escalation import sweep as sweep_module
from escalation.models import BreachOutcome, ClockKind, DeadlineClock, SweepRun, TimePolicy
from escalation.sweep import sweep

from .conftest import local


def history(case):
    return list(Case.objects.get(pk=case.pk).history.order_by("history_id"))


def test_nothing_due_does_nothing(make_case, monday):
    make_case()
    result = sweep()
    assert (result.warned, result.breached, result.errors) == (0, 0, 0)
    assert SweepRun.objects.get(name="deadlines").as_of == monday


def test_warning_once_then_breach_escalates_by_the_system_actor(make_case, users, monday, time_machine):
    """A case left alone walks enterprise → union on its own."""
    case = make_case()
    time_machine.move_to(local(2025, 3, 14), tick=False)  # past 2/3 of 15 days
    assert sweep().warned == 1
    assert sweep().warned == 0  # once
    row = history(case)[-1]
    assert row.last_action == "deadline_warning" and row.history_user.username == "system"

    time_machine.move_to(local(2025, 3, 19, 0, 1), tick=False)
    result = sweep()
    assert (result.breached, result.escalated, result.errors) == (1, 1, 0)
    case = Case.objects.get(pk=case.pk)
    assert case.status == "union" and case.handling_unit.code == "DEMO-K1"
    rows = history(case)
    assert [r.last_action for r in rows[-2:]] == ["deadline_breach", "escalate"]
    assert rows[-1].history_user.username == "system" and rows[-2].history_user.username == "system"
    assert "企业层面办理已超期" in rows[-1].history_change_reason
    assert rows[-1].prev_status == "enterprise" and rows[-1].status == "union"
    old = DeadlineClock.objects.get(case=case, stage="enterprise")
    assert old.breach_outcome == BreachOutcome.ESCALATED and old.late is True and old.stopped_at is not None
    new = DeadlineClock.objects.get(case=case, stopped_at__isnull=True)
    assert new.stage == "union" and case.due_at == new.due_at
    # the workflow followed: the union's queue has the task
    from casework import selectors

    assert [t.case.pk for t in selectors.with_cases(selectors.queue(users["officer_union"]))] == [case.pk]
    system = rows[-1].history_user
    assert not system.is_active and not system.has_usable_password()
    assert sweep().breached == 0  # idempotent
    # notifications queued: the breach for supervisors, the new task for the union's officers
    from notifications.models import Notification

    events = set(Notification.objects.values_list("event", flat=True))
    assert {"deadline_warning", "deadline_breach", "task_queued", "case_escalated"} <= events


def test_escalation_works_even_when_an_officer_holds_the_task(make_case, users, monday, time_machine):
    case = make_case()
    casework_services.task_claim(case=case.number, actor=users["officer_enterprise"])
    time_machine.move_to(local(2025, 3, 20), tick=False)
    assert sweep().escalated == 1
    assert Case.objects.get(pk=case.pk).status == "union"


def test_flag_marks_red_and_waits(make_case, users, monday, time_machine):
    case = make_case()
    casework_services.case_escalate(case=case.number, actor=users["officer_enterprise"], reason="企业拒绝。")
    time_machine.move_to(local(2025, 4, 5), tick=False)
    result = sweep()
    assert (result.breached, result.flagged, result.escalated) == (1, 1, 0)
    case = Case.objects.get(pk=case.pk)
    assert case.status == "union"
    row = history(case)[-1]
    assert row.last_action == "deadline_breach" and "工会层面办理已超期" in row.history_change_reason
    from casework.deadlines import deadline_state

    assert deadline_state(case, local(2025, 4, 5)) == "overdue"
    clock = DeadlineClock.objects.get(case=case, stopped_at__isnull=True)
    assert clock.breach_outcome == BreachOutcome.FLAGGED
    assert sweep().breached == 0


def test_follow_up_breach_closes_unrated(make_case, users, monday, time_machine):
    case = make_case()
    casework_services.case_resolve(case=case.number, actor=users["officer_enterprise"], outcome="resolved", result="好")
    casework_services.case_reply(case=case.number, actor=users["desk"], method="phone", content="已告知。")
    time_machine.move_to(local(2025, 3, 12), tick=False)
    result = sweep()
    assert result.closed == 1
    case = Case.objects.get(pk=case.pk)
    assert case.status == "closed" and case.satisfaction == "not_rated"
    assert history(case)[-1].history_user.username == "system"


def test_escalate_without_a_next_level_falls_back_to_flag(make_case, users, monday, time_machine):
    """A misconfigured policy (escalate at government level, bypassing admin validation) still marks red."""
    case = make_case()
    for _ in range(2):
        actor = users["officer_enterprise"] if _ == 0 else users["officer_union"]
        casework_services.case_escalate(case=case.number, actor=actor, reason="难以解决。")
    clock = DeadlineClock.objects.get(case=case, stopped_at__isnull=True)
    clock.policy_snapshot["breach_action"] = "escalate"
    clock.save()
    time_machine.move_to(local(2025, 6, 1), tick=False)
    result = sweep()
    assert (result.flagged, result.escalated, result.errors) == (1, 0, 0)
    row = history(case)[-1]
    assert row.last_action == "deadline_breach" and "自动处理未能执行" in row.history_change_reason
    assert [r.last_action for r in history(case)].count("deadline_breach") == 1
    assert Case.objects.get(pk=case.pk).status == "government"


def test_supervision_clock_breach_flags(make_case, users, monday, time_machine):
    import datetime as dt

    from escalation import services

    case = make_case()
    time_machine.move_to(local(2025, 3, 20), tick=False)
    TimePolicy.objects.filter(stage="enterprise").update(breach_action="flag")  # existing clock keeps its snapshot
    policies.forget()  # a queryset update sends no signal
    clock = DeadlineClock.objects.get(case=case, stopped_at__isnull=True)
    clock.policy_snapshot["breach_action"] = "flag"
    clock.save()
    assert sweep().flagged == 1
    services.case_supervise(
        case=case.number, actor=users["supervisor"], due_date=dt.date(2025, 3, 24), instructions="限期约谈企业。"
    )
    time_machine.move_to(local(2025, 3, 25, 0, 1), tick=False)
    result = sweep()
    assert result.flagged == 1
    order = DeadlineClock.objects.get(case=case, kind=ClockKind.SUPERVISION)
    assert order.breach_outcome == BreachOutcome.FLAGGED
    assert "督办事项已超期" in history(case)[-1].history_change_reason


def test_paused_clocks_do_not_breach(make_case, users, monday, time_machine):
    from escalation import services

    case = make_case()
    services.clock_pause(case=case.number, actor=users["officer_enterprise"], reason="等待材料。")
    time_machine.move_to(local(2025, 4, 30), tick=False)
    assert sweep().breached == 0


def test_a_failure_is_recorded_on_the_clock_and_the_sweep_goes_on(make_case, monday, time_machine, monkeypatch):
    first, second = make_case(), make_case()
    time_machine.move_to(local(2025, 3, 20), tick=False)
    real = sweep_module._breach

    def broken(case, clock, at, actor, result):
        if case.pk == first.pk:
            raise RuntimeError("gateway down")
        return real(case, clock, at, actor, result)

    monkeypatch.setattr(sweep_module, "_breach", broken)
    result = sweep()
    assert (result.errors, result.escalated) == (1, 1)
    failed = DeadlineClock.objects.get(case=first, stage="enterprise")
    assert failed.last_error == "RuntimeError: gateway down" and failed.attempts == 1
    assert failed.breached_at is None and Case.objects.get(pk=first.pk).status == "enterprise"  # rolled back
    assert Case.objects.get(pk=second.pk).status == "union"
    for _ in range(sweep_module.MAX_ATTEMPTS - 1):
        sweep()
    failed.refresh_from_db()
    assert failed.breach_outcome == BreachOutcome.FAILED and failed.attempts == sweep_module.MAX_ATTEMPTS
    assert sweep().errors == 0  # no longer retried


def test_command_with_now_and_its_summary_line(make_case, monday):
    make_case()
    out = io.StringIO()
    call_command("sweep_deadlines", "--now", "2025-03-14T12:00:00+08:00", stdout=out)
    assert out.getvalue().strip() == "warned=1 breached=0 escalated=0 flagged=0 closed=0 skipped=0 errors=0"
    out = io.StringIO()
    call_command("sweep_deadlines", "--now", "2025-03-19T08:00", stdout=out)
    assert "breached=1 escalated=1" in out.getvalue()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("sweep_deadlines", "--now", "tomorrow")


def test_registered_with_the_embedded_scheduler():
    from config import scheduler

    job = {j.name: j for j in scheduler.jobs()}["sweep_deadlines"]
    assert job.every == 60 and job.func is sweep_module.scheduled_sweep
