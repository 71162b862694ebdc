"""Clocks follow the case through its stages; the case shows the clock's deadline."""

import datetime as dt

from casework import services
from casework.models import Case
from escalation.models import ClockKind, DeadlineClock, TimePolicy

from .conftest import local


def test_registration_and_acceptance_start_and_stop_clocks(make_case, monday):
    case = make_case(accept=False)
    receipt = DeadlineClock.objects.get(case=case)
    assert receipt.stage == "receipt" and receipt.due_at == local(2025, 3, 19, 0, 0)  # 15 calendar days
    assert receipt.policy_snapshot["breach_action"] == "flag"
    services.case_accept(case=case.number, actor=case.owner)
    receipt.refresh_from_db()
    assert receipt.stopped_at == monday and receipt.late is False and receipt.late_by is None
    clock = DeadlineClock.objects.get(case=case, stopped_at__isnull=True)
    case.refresh_from_db()
    assert clock.stage == "enterprise" and clock.unit == case.handling_unit
    assert case.due_at == clock.due_at == local(2025, 3, 19, 0, 0)
    # warn: min(2/3 of 15 days, 3 days before) = 2/3 point
    assert case.warn_at == clock.warn_at == monday + (clock.due_at - monday) * 0.667
    assert case.stages.get(level="enterprise", ended_at__isnull=True).unit == clock.unit


def test_leaving_late_records_by_how_much(make_case, users, monday, time_machine):
    case = make_case()
    time_machine.move_to(local(2025, 3, 21, 0, 0), tick=False)  # two days past 24:00 of Mar 18
    services.case_escalate(case=case.number, actor=users["officer_enterprise"], reason="企业拒不整改。")
    old = DeadlineClock.objects.get(case=case, stage="enterprise")
    assert old.late is True and old.late_by == dt.timedelta(days=2)
    new = DeadlineClock.objects.get(case=case, stopped_at__isnull=True)
    assert new.stage == "union" and new.due_at == local(2025, 4, 21, 0, 0)  # 30 days after Mar 21


def test_a_case_keeps_the_policy_version_it_started_under(make_case, monday):
    case = make_case()
    policy = TimePolicy.objects.get(stage="enterprise", unit=None, category=None)
    policy.length = 5
    policy.save()
    clock = DeadlineClock.objects.get(case=case, stopped_at__isnull=True)
    assert clock.policy_snapshot["length"] == 15 and clock.due_at == local(2025, 3, 19, 0, 0)
    later = make_case()
    assert DeadlineClock.objects.get(case=later, stopped_at__isnull=True).policy_snapshot["length"] == 5
    assert later.due_at == local(2025, 3, 9, 0, 0)


def test_closing_paths_stop_every_clock(make_case, users, monday):
    case = make_case()
    services.case_withdraw(case=case.number, actor=users["desk"], reason="职工撤回。")
    assert not DeadlineClock.objects.filter(case=case, stopped_at__isnull=True).exists()
    assert Case.objects.get(pk=case.pk).due_at is None


def test_reply_and_follow_up_stages_have_clocks(make_case, users, monday):
    case = make_case()
    services.case_resolve(case=case.number, actor=users["officer_enterprise"], outcome="resolved", result="已补发。")
    assert DeadlineClock.objects.get(case=case, stopped_at__isnull=True).stage == "reply"
    services.case_reply(case=case.number, actor=users["desk"], method="phone", content="已告知。")
    clock = DeadlineClock.objects.get(case=case, stopped_at__isnull=True, kind=ClockKind.STAGE)
    assert clock.stage == "follow_up" and clock.policy_snapshot["breach_action"] == "close"
    assert clock.due_at == local(2025, 3, 11, 0, 0)
