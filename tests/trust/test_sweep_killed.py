"""A sweep killed mid-run (SIGKILL) and run again: every due clock acted on exactly once.

Runs the real ``manage.py sweep_deadlines`` in a subprocess against the committed test
database (PostgreSQL, ``transaction=True``), kills it once it has acted on some clocks,
and sweeps again. Each clock is handled in a transaction of its own, so the kill undoes at
most the one in flight; the rerun must finish the rest and repeat none.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections
from django.utils import timezone

from casework.models import Case
from escalation.models import BreachOutcome, DeadlineClock

from ..conftest import database_url

ROOT = Path(__file__).resolve().parents[2]
N = 120

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

    first = _sweep()
    enough = threading.Event()

    def watch():
        try:
            while first.poll() is None and _breaches() < N // 5:
                time.sleep(0.01)
        finally:
            enough.set()
            connections.close_all()

    threading.Thread(target=watch, daemon=True).start()
    assert enough.wait(180), "the sweep acted on nothing"
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    assert first.returncode == -signal.SIGKILL, "the sweep must be killed mid-run, not finish"
    done_before = DeadlineClock.objects.filter(case__in=cases, breached_at__isnull=False).count()
    assert 0 < done_before < N
    assert _breaches() == done_before  # the transaction in flight left nothing behind

    # Rerun; a case the killed backend still held is skipped until PostgreSQL lets it go.
    total: dict[str, int] = {}
    for _attempt in range(5):
        rerun = _sweep()
        out, err = rerun.communicate(timeout=300)
        assert rerun.returncode == 0, err
        counts = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", out)}
        for k, v in counts.items():
            total[k] = total.get(k, 0) + v
        if counts["skipped"] == 0:
            break
    assert total["errors"] == 0, out
    assert total["breached"] == N - done_before

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
