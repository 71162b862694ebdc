"""The calendar's per-process cache: one query while nothing changed, the new schedule at
once after a confirmation in this process or another, never a rolled-back one; and a
confirmation waits for a deadline being computed right now (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, transaction

from escalation import calendar, policies
from escalation.models import DeadlineClock
from escalation.services.holidays import holiday_schedule_save

from ..conftest import database_url

ROOT = Path(__file__).resolve().parents[2]
# 2027 with Jan 4 off: the first working day after 2026-12-31 moves from Jan 4 to Jan 5.
NOTICE = "元旦：1月1日（周五）至4日（周一）放假调休，共4天。"
NEW_YEAR_EVE = dt.date(2026, 12, 31)
WAIT = 300  # seconds: bounds on waits for a state that comes, only so that a broken run ends


class Boom(Exception):
    pass


def test_one_query_while_nothing_changed(db, django_assert_num_queries):
    calendar.working_days_after(NEW_YEAR_EVE, 1)
    with django_assert_num_queries(1):  # the token
        assert calendar.working_days_after(NEW_YEAR_EVE, 1) == dt.date(2027, 1, 4)
    with django_assert_num_queries(0):  # calendar days and hours need no calendar
        calendar.add_length(calendar.end_of_day(NEW_YEAR_EVE), 3, calendar.LengthUnit.CALENDAR_DAYS)


def test_a_confirmation_counts_at_once(users):
    assert calendar.working_days_after(NEW_YEAR_EVE, 1) == dt.date(2027, 1, 4)
    holiday_schedule_save(actor=users["admin"], text=NOTICE, year=2027, confirm=True)
    assert calendar.working_days_after(NEW_YEAR_EVE, 1) == dt.date(2027, 1, 5)


def test_a_rolled_back_confirmation_is_never_used(users):
    """Its token is a fresh UUID that no committed state will ever carry again."""
    with pytest.raises(Boom), transaction.atomic():
        holiday_schedule_save(actor=users["admin"], text=NOTICE, year=2027, confirm=True)
        assert calendar.working_days_after(NEW_YEAR_EVE, 1) == dt.date(2027, 1, 5)  # cached under its token
        raise Boom
    assert calendar.working_days_after(NEW_YEAR_EVE, 1) == dt.date(2027, 1, 4)
    assert not calendar.is_confirmed(2027)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_another_process_sees_a_confirmation_from_its_commit_on(users):
    """A second Python process keeps its cache warm, and answers from the new schedule once
    this one has confirmed it."""
    script = (
        "import datetime as dt, sys, django\n"
        "django.setup()\n"
        "from escalation import calendar\n"
        "for line in sys.stdin:\n"
        "    print(calendar.working_days_after(dt.date(2026, 12, 31), 1).isoformat(), flush=True)\n"
    )
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "config.settings"}
    other = subprocess.Popen(  # noqa: S603 - the venv's python, fixed arguments
        [sys.executable, "-c", script], cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        other.stdin.write("?\n")
        other.stdin.flush()
        assert other.stdout.readline().strip() == "2027-01-04"
        other.stdin.write("?\n")
        other.stdin.flush()
        assert other.stdout.readline().strip() == "2027-01-04"  # cached
        holiday_schedule_save(actor=users["admin"], text=NOTICE, year=2027, confirm=True)
        other.stdin.write("?\n")
        other.stdin.flush()
        assert other.stdout.readline().strip() == "2027-01-05"
    finally:
        other.stdin.close()
        other.wait(timeout=60)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_confirmation_waits_for_a_deadline_being_computed(users, make_case, time_machine):
    """An officer's transaction computed a provisional deadline and has not committed yet;
    the administrator confirms 2027 meanwhile. The calendar read holds the state row FOR
    SHARE until the officer's transaction ends, so the confirmation waits, and the recompute
    after it finds the officer's clock and moves it: no provisional clock is left behind."""
    from casework import services
    from casework.models import Case
    from escalation.models import TimePolicy

    from .conftest import local

    time_machine.move_to(local(2026, 12, 4), tick=False)
    TimePolicy.objects.filter(stage="government", unit=None).update(length=60, length_unit="working_days")
    policies.forget()  # a queryset update sends no signal
    case = make_case()
    services.case_escalate(case=case.number, actor=users["officer_enterprise"], reason="企业无力解决")
    computed, release = threading.Event(), threading.Event()
    pids: dict[str, int] = {}
    done: list = []

    def backend_pid() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]

    def officer_escalates():
        try:
            with transaction.atomic():
                pids["officer"] = backend_pid()
                services.case_escalate(case=case.number, actor=users["officer_union"], reason="需党委政府协调")
                computed.set()
                release.wait(WAIT)  # set by the test (or its cleanup); the bound only ends a broken run
        finally:
            connection.close()

    def admin_confirms():
        try:
            pids["admin"] = backend_pid()
            done.append(holiday_schedule_save(actor=users["admin"], text=NOTICE, year=2027, confirm=True).recomputed)
        finally:
            connection.close()

    officer = threading.Thread(target=officer_escalates)
    admin = threading.Thread(target=admin_confirms)
    try:
        officer.start()
        assert computed.wait(WAIT), "the officer's escalation did not finish computing"
        admin.start()
        assert _blocked_by(admin, pids, "admin", pids["officer"]), "the confirmation did not wait for the officer"
        assert done == []
    finally:
        release.set()
        officer.join(WAIT)
        admin.join(WAIT)
    assert done == [1]
    clock = DeadlineClock.objects.get(case=case, stopped_at__isnull=True, kind="stage")
    assert clock.stage == "government" and not clock.provisional
    # This 2027 has Jan 4 off and no 春节 days: Mar 5 (provisional) - 4 + 1 working days = Tue Mar 2.
    assert clock.due_at == Case.objects.get(pk=case.pk).due_at == local(2027, 3, 3, 0, 0)


def _blocked_by(thread: threading.Thread, pids: dict, name: str, holder: int) -> bool:
    """Whether ``thread``'s session (``pids[name]``) comes to wait for a lock ``holder`` holds.

    It is a state, not a moment: once the confirmation waits for the officer it keeps waiting
    until the officer's transaction ends, which only the test allows; if the confirmation does
    not wait, its thread finishes and this answers False. ``WAIT`` only ends a broken run."""
    deadline = time.monotonic() + WAIT
    with connection.cursor() as cursor:
        while time.monotonic() < deadline and thread.is_alive():
            if name in pids:
                cursor.execute("SELECT %s = ANY(pg_blocking_pids(%s))", [holder, pids[name]])
                if cursor.fetchone()[0]:
                    return True
            time.sleep(0.05)
    return False
