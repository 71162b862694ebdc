"""Two sweeps at once on PostgreSQL: every due clock is acted on exactly once."""

import pytest

from casework.models import Case
from escalation.models import DeadlineClock
from escalation.sweep import SweepResult, sweep

from ..concurrency import side_by_side
from .conftest import local

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _sweeps_side_by_side(at, n: int = 3) -> list[SweepResult]:
    """``n`` sweeps started together in threads (their own connections); fails on any error."""
    return side_by_side(lambda: sweep(at), n)


def test_parallel_sweeps_act_on_each_clock_exactly_once(world, make_case, time_machine):
    time_machine.move_to(local(2025, 3, 3), tick=False)
    cases = [make_case() for _ in range(12)]
    for case in cases[6:]:  # half flag, half escalate
        clock = DeadlineClock.objects.get(case=case, stopped_at__isnull=True)
        clock.policy_snapshot["breach_action"] = "flag"
        clock.save()
    at = local(2025, 3, 25)
    results = _sweeps_side_by_side(at)
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


def test_parallel_batched_sweeps_flag_each_clock_once_and_keep_the_chains(world, make_case, time_machine, monkeypatch):
    """Many flag breaches in small batches (the bulk path): three sweeps
    claim batches side by side, none waits for another, every clock flagged once."""
    from audit import chain
    from escalation import sweep as sweep_module
    from notifications.models import Notification

    monkeypatch.setattr(sweep_module, "BATCH", 4)
    time_machine.move_to(local(2025, 3, 3), tick=False)
    cases = [make_case() for _ in range(30)]
    DeadlineClock.objects.filter(case__in=cases).update(
        policy_snapshot={"stage": "enterprise", "breach_action": "flag"}
    )
    at = local(2025, 3, 25)
    results = _sweeps_side_by_side(at)
    results.append(sweep(at))  # what a held case left for next time
    assert sum(r.errors for r in results) == 0
    assert sum(r.flagged for r in results) == sum(r.breached for r in results) == 30
    for case in Case.objects.filter(pk__in=[c.pk for c in cases]):
        assert list(case.history.values_list("last_action", flat=True)).count("deadline_breach") == 1
        assert Notification.objects.filter(key=f"{case.number}:v{case.version}:deadline_breach").exists()
    assert DeadlineClock.objects.filter(case__in=cases, breach_outcome="flagged").count() == 30
    assert chain.verify()[1] == []
