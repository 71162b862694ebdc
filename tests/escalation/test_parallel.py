"""Two sweeps at once on PostgreSQL: every due clock is acted on exactly once."""

import threading

import pytest
from django.db import connection

from casework.models import Case
from escalation.models import DeadlineClock
from escalation.sweep import SweepResult, sweep

from .conftest import local

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_parallel_sweeps_act_on_each_clock_exactly_once(world, make_case, time_machine):
    time_machine.move_to(local(2025, 3, 3), tick=False)
    cases = [make_case() for _ in range(12)]
    for case in cases[6:]:  # half flag, half escalate
        clock = DeadlineClock.objects.get(case=case, stopped_at__isnull=True)
        clock.policy_snapshot["breach_action"] = "flag"
        clock.save()
    at = local(2025, 3, 25)
    results: list[SweepResult] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(3)

    def run():
        try:
            barrier.wait()
            results.append(sweep(at))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    # a sweep may leave a case another holds for next time; one more sweep finishes them
    results.append(sweep(at))
    assert sum(r.errors for r in results) == 0
    assert sum(r.breached for r in results) == 12
    assert sum(r.escalated for r in results) == 6 and sum(r.flagged for r in results) == 6
    for case in cases:
        actions = list(Case.objects.get(pk=case.pk).history.values_list("last_action", flat=True))
        assert actions.count("deadline_breach") == 1
        assert actions.count("escalate") == (1 if case in cases[:6] else 0)
    assert DeadlineClock.objects.filter(breached_at__isnull=False).count() == 12
