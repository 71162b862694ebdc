"""定期上报 deadlines: a warning before the due date to the unit head, the breach after it to the
head and the union above, each once, driven by the scheduled sweep; nothing after submission."""

import datetime as dt

import pytest
from django.core.management import call_command

from casework.models import OrgUnit
from casework.models.org import Role
from notifications.models import Notification
from reporting import deadlines, selectors, services
from reporting.models import ReportDeadline, ReportingPeriod

from ..reception.conftest import SHANGHAI


def at(day: int, hour: int = 9, month: int = 7) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=SHANGHAI)


@pytest.fixture
def period(time_machine, world):
    time_machine.move_to(at(1), tick=False)
    return ReportingPeriod.objects.create(
        name="2026年第二季度", kind="quarter", starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2026, 6, 30),
        due_on=dt.date(2026, 7, 10), warn_days=3,
    )  # fmt: skip


@pytest.fixture
def city_leader(world):
    from casework.services.org import staff_ensure

    return staff_ensure(username="city_leader", password="x-pass-123", unit=OrgUnit.objects.get(code="DEMO-C1"),
                        role=Role.LEADER, full_name="市总工会王主席")  # fmt: skip


def k(code):
    return OrgUnit.objects.get(code=code)


def sent(period, unit, kind):
    return set(
        Notification.objects.filter(key=f"reporting:{period.pk}:{unit.pk}:{kind}").values_list(
            "user__username", flat=True
        )
    )


def test_every_reporting_federation_gets_one_deadline_at_the_end_of_the_due_day(period):
    deadlines.sweep(at(1))
    units = set(ReportDeadline.objects.filter(period=period).values_list("unit__code", flat=True))
    assert {"DEMO-K1", "DEMO-C1"} <= units
    assert "DEMO-P" not in units  # the province reports to no union
    assert not any(code.startswith("DEMO-E") for code in units)
    d = ReportDeadline.objects.get(period=period, unit=k("DEMO-K1"))
    assert d.due_at == at(11, 0) and d.warn_at == at(7, 0)
    deadlines.sweep(at(2))
    assert ReportDeadline.objects.filter(period=period, unit=k("DEMO-K1")).count() == 1


def test_warning_goes_to_the_unit_head_once_and_only_from_warn_days_before(users, period, city_leader):
    assert deadlines.sweep(at(6, 23)).warned == 0
    assert not Notification.objects.filter(event="report_due_warning").exists()
    result = deadlines.sweep(at(7, 1))
    assert result.warned >= 1 and result.breached == 0
    heads = sent(period, k("DEMO-K1"), "warning")
    assert "leader" in heads  # the county's leader signs
    assert "city_leader" not in heads and "desk" not in heads
    n = Notification.objects.filter(event="report_due_warning").count()
    again = deadlines.sweep(at(8))
    assert again.warned == 0
    assert Notification.objects.filter(event="report_due_warning").count() == n
    note = Notification.objects.filter(key=f"reporting:{period.pk}:{k('DEMO-K1').pk}:warning", user__username="leader",
                                       channel="inapp").get()  # fmt: skip
    assert "2026-07-10" in note.body and "临近期限" in note.subject


def test_breach_goes_to_the_head_and_the_union_above_once(users, period, city_leader):
    deadlines.sweep(at(10, 23))
    assert not Notification.objects.filter(event="report_overdue").exists()
    result = deadlines.sweep(at(11, 0))
    assert result.breached >= 1
    who = sent(period, k("DEMO-K1"), "breach")
    assert {"leader", "city_leader"} <= who
    assert "officer_union" not in who
    n = Notification.objects.filter(event="report_overdue").count()
    assert deadlines.sweep(at(12)).breached == 0
    assert deadlines.sweep(at(20)).warned == 0
    assert Notification.objects.filter(event="report_overdue").count() == n


def test_a_deadline_breached_without_a_warning_is_not_warned_after(users, period, city_leader):
    deadlines.sweep(at(15))
    assert sent(period, k("DEMO-K1"), "breach")
    assert not sent(period, k("DEMO-K1"), "warning")
    deadlines.sweep(at(16))
    assert not sent(period, k("DEMO-K1"), "warning")


def test_nothing_after_submission(users, period, city_leader, time_machine):
    time_machine.move_to(at(3), tick=False)
    report = services.report_start(actor=users["desk"], period=period, unit=k("DEMO-K1"))
    services.report_submit(actor=users["leader"], report=report)
    deadlines.sweep(at(8))
    deadlines.sweep(at(12))
    assert not sent(period, k("DEMO-K1"), "warning") and not sent(period, k("DEMO-K1"), "breach")
    assert ReportDeadline.objects.get(period=period, unit=k("DEMO-K1")).stopped_at == at(3)
    assert sent(period, k("DEMO-K2"), "breach")  # county B still owes its report


def test_a_deadline_opened_after_the_submission_is_stopped(users, period, city_leader, time_machine):
    time_machine.move_to(at(3), tick=False)
    report = services.report_start(actor=users["desk"], period=period, unit=k("DEMO-K1"))
    services.report_submit(actor=users["leader"], report=report)
    assert not ReportDeadline.objects.exists()  # submitted before the first sweep
    deadlines.sweep(at(12))
    assert not sent(period, k("DEMO-K1"), "breach")
    assert ReportDeadline.objects.get(period=period, unit=k("DEMO-K1")).stopped_at is not None


def test_a_returned_report_runs_again_and_breaches(users, period, city_leader, time_machine):
    deadlines.sweep(at(1))
    time_machine.move_to(at(3), tick=False)
    report = services.report_start(actor=users["desk"], period=period, unit=k("DEMO-K1"))
    services.report_submit(actor=users["leader"], report=report)
    time_machine.move_to(at(4), tick=False)
    services.report_return(actor=city_leader, report=report, comment="数据不全，请补充。")
    assert ReportDeadline.objects.get(period=period, unit=k("DEMO-K1")).stopped_at is None
    deadlines.sweep(at(12))
    assert {"leader", "city_leader"} <= sent(period, k("DEMO-K1"), "breach")


def test_a_moved_due_date_moves_the_open_deadlines(users, period):
    deadlines.sweep(at(1))
    services.period_save(actor=users["admin"], name=period.name, kind="quarter", starts_on=period.starts_on,
                         ends_on=period.ends_on, due_on=dt.date(2026, 7, 20), warn_days=5)  # fmt: skip
    assert deadlines.sweep(at(12)).breached == 0
    d = ReportDeadline.objects.get(period=period, unit=k("DEMO-K1"))
    assert d.due_at == at(21, 0) and d.warn_at == at(15, 0)


def test_old_and_inactive_periods_notify_nobody(users, period):
    deadlines.sweep(at(1))
    ReportingPeriod.objects.create(name="2025年第一季度", kind="quarter", starts_on=dt.date(2025, 1, 1),
                                   ends_on=dt.date(2025, 3, 31), due_on=dt.date(2025, 4, 10))  # fmt: skip
    period.active = False
    period.save()
    result = deadlines.sweep(at(20))
    assert result.warned == result.breached == 0
    assert not Notification.objects.filter(key__startswith="reporting:").exists()
    assert not ReportDeadline.objects.filter(period__name="2025年第一季度").exists()


def test_an_inactive_user_is_not_notified(users, period):
    leader = users["leader"]
    leader.is_active = False
    leader.save()
    deadlines.sweep(at(12))
    assert "leader" not in sent(period, k("DEMO-K1"), "breach")


def test_the_sweep_is_scheduled_and_has_a_command(users, period, capsys):
    from config import scheduler
    from config.celery import app

    assert "sweep_report_deadlines" in {job.name for job in scheduler.jobs()}
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "reporting.sweep_report_deadlines" in tasks
    call_command("sweep_report_deadlines", "--now", "2026-07-12T09:00:00+08:00")
    assert "breached=" in capsys.readouterr().out
    assert sent(period, k("DEMO-K1"), "breach")
    job = next(j for j in scheduler.jobs() if j.name == "sweep_report_deadlines")
    job.func()  # the scheduled job runs the same sweep (now = the frozen 1 July: nothing new)


def test_the_upper_union_sees_the_breach_notice_on_the_periods_page(client, users, period, city_leader):
    deadlines.sweep(at(12))
    client.force_login(city_leader)
    response = client.get("/reporting/")
    assert response.status_code == 200
    assert "发出逾期通知" in response.content.decode()
    rows = selectors.children_status(k("DEMO-C1"), period, dt.date(2026, 7, 12))
    k1 = next(r for r in rows if r.unit.code == "DEMO-K1")
    assert k1.late and k1.deadline.breached_at == at(12)


def test_the_command_refuses_a_bad_time(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("sweep_report_deadlines", "--now", "gestern")
