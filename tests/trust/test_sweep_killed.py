"""A sweep killed mid-run (SIGKILL) and run again: every due clock acted on exactly once.

Runs the real ``manage.py sweep_deadlines`` in a subprocess against the committed test
database (PostgreSQL, ``transaction=True``), kills it in the middle of its run, and sweeps
again. Each clock is handled in a transaction of its own, so the kill undoes at most the
one in flight; the rerun must finish the rest and repeat none.

Where it dies is fixed, not timed: the test holds the open stage row of the ``HELD``-th
escalating case (``SELECT … FOR UPDATE``), so that case's escalation waits for it in
``leave_stage``; once PostgreSQL shows the sweep's session waiting for the test's lock, the
sweep is killed there.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import timezone

from casework.models import Case, CaseStage
from escalation.models import BreachOutcome, DeadlineClock

from ..conftest import database_url

ROOT = Path(__file__).resolve().parents[2]
N = 120
HELD = 10  # the sweep is killed in the escalation of the 10th escalating case
WAIT = 300  # seconds; only so that a broken sweep fails the test instead of hanging it

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _sweep() -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - the venv's python, fixed arguments
        [sys.executable, "manage.py", "sweep_deadlines"],
        cwd=ROOT,
        env=dict(os.environ, DATABASE_URL=database_url()),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _breaches() -> int:
    return Case.history.filter(last_action="deadline_breach").count()


def test_killed_sweep_then_rerun_acts_on_every_clock_exactly_once(world, make_case):
    assert connection.settings_dict["NAME"].startswith("test_")
    cases = [make_case() for _ in range(N)]
    past = timezone.now() - dt.timedelta(minutes=5)
    clocks = DeadlineClock.objects.filter(case__in=cases, stopped_at__isnull=True)
    assert clocks.count() == N
    clocks.update(warn_at=past, due_at=past)
    flagged = cases[1::2]  # half flag, half escalate (the enterprise stage's policy)
    for clock in DeadlineClock.objects.filter(case__in=flagged, stopped_at__isnull=True):
        clock.policy_snapshot["breach_action"] = "flag"
        clock.save(update_fields=["policy_snapshot"])

    escalating = cases[0::2]
    held = escalating[HELD - 1]
    with transaction.atomic():
        CaseStage.objects.select_for_update().get(case=held, ended_at__isnull=True)
        first = _sweep()
        backend = _session_waiting_for_me(first)
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
    assert first.returncode == -signal.SIGKILL, "the sweep must be killed mid-run, not finish"
    # Once this transaction lets go, the dead sweep's session finishes its statement, finds its
    # client gone and ends, rolling back the escalation in flight: wait for that before looking.
    _wait_until_gone(backend)

    done_before = DeadlineClock.objects.filter(case__in=cases, breached_at__isnull=False).count()
    # The flag breaches are done in one batch first, then the escalations one transaction each
    # in clock order (escalation.sweep): all flags and the escalations before the held one.
    assert done_before == N // 2 + HELD - 1
    assert _breaches() == done_before  # the transaction in flight left nothing behind
    assert Case.objects.get(pk=held.pk).status == "enterprise"
    assert not DeadlineClock.objects.filter(case=held, breached_at__isnull=False).exists()

    rerun = _sweep()
    out, err = rerun.communicate(timeout=WAIT)
    assert rerun.returncode == 0, err
    counts = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", out)}
    assert counts["skipped"] == 0 and counts["errors"] == 0, out
    assert counts["breached"] == N - done_before, out

    for case in Case.objects.filter(pk__in=[c.pk for c in cases]):
        actions = list(case.history.values_list("last_action", flat=True))
        assert actions.count("deadline_breach") == 1, (case.number, actions)
        escalates = 0 if case.pk in {c.pk for c in flagged} else 1
        assert actions.count("escalate") == escalates, (case.number, actions)
        assert case.status == ("enterprise" if escalates == 0 else "union")
    outcomes = list(
        DeadlineClock.objects.filter(case__in=cases, stage="enterprise").values_list("breach_outcome", flat=True)
    )
    assert outcomes.count(BreachOutcome.ESCALATED) == N // 2
    assert outcomes.count(BreachOutcome.FLAGGED) == N // 2


def _session_waiting_for_me(sweep: subprocess.Popen) -> int:
    """The backend pid of the session that waits for a lock this session holds.

    ``pg_locks`` and ``pg_blocking_pids`` are read live (``pg_stat_activity`` would be a
    snapshot for the rest of this transaction). Once the sweep waits it keeps waiting until
    this transaction ends, so the loop ends on that state, not on a time."""
    deadline = time.monotonic() + WAIT
    with connection.cursor() as cursor:
        while time.monotonic() < deadline and sweep.poll() is None:
            cursor.execute(
                "SELECT pid FROM pg_locks WHERE NOT granted AND pg_backend_pid() = ANY(pg_blocking_pids(pid))"
            )
            row = cursor.fetchone()
            if row is not None:
                return row[0]
            time.sleep(0.05)
    out, err = sweep.communicate() if sweep.poll() is not None else ("", "")
    pytest.fail(f"the sweep never waited for the held case's stage (exit {sweep.poll()}): {out} {err[-2000:]}")


def _wait_until_gone(pid: int) -> None:
    deadline = time.monotonic() + WAIT
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.05)
    pytest.fail(f"the killed sweep's session {pid} is still there after {WAIT} s")
