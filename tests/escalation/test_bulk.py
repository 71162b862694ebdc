"""The sweep's bulk path writes what ``record_change`` writes, a few statements per batch.

Warnings and ``flag`` breaches of a batch go through ``escalation.bulk.record_many``: the
cases through one queryset ``update``, their history rows through simple_history's
``bulk_history_create``, their audit links and the outbox rows in one insert each. These
tests hold it to the per-case path: same history row, same notifications, a valid audit
chain, a failure that undoes one clock only, and a pinned, constant number of queries per
batch.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from audit import chain
from casework import clock, notify, signals
from casework.models import Case
from casework.services import locked_case, record_change
from escalation import bulk
from escalation import sweep as sweep_module
from escalation.models import BreachOutcome, DeadlineClock
from escalation.sweep import sweep
from escalation.system import system_actor
from notifications import services as notification_services
from notifications.models import Notification, WebhookEndpoint

from .conftest import local

REASON = "企业层面办理已超期（期限 2025-03-18 10:00）。"
# Columns that differ between two writes of the same change (ids, the moment written).
VOLATILE_HISTORY = {"history_id", "history_date"}
VOLATILE_NOTIFICATION = {"id", "created_at", "next_attempt_at"}


def _flag(case) -> DeadlineClock:
    clock = DeadlineClock.objects.get(case=case, stopped_at__isnull=True)
    clock.policy_snapshot["breach_action"] = "flag"
    clock.save()
    return clock


def _written(case_pk: int) -> tuple[dict, list[dict]]:
    """The last history row of the case and the outbox rows of its version, comparable."""
    row = Case.history.model.objects.filter(id=case_pk).order_by("-history_id").values().first()
    key = f"{row['number']}:v{row['version']}:"
    notes = []
    for n in Notification.objects.filter(key__startswith=key).order_by("event", "recipient", "channel").values():
        if n["payload"]:
            n["payload"] = {k: v for k, v in n["payload"].items() if k != "occurred_at"}
        notes.append({k: v for k, v in n.items() if k not in VOLATILE_NOTIFICATION})
    return {k: v for k, v in row.items() if k not in VOLATILE_HISTORY}, notes


@pytest.mark.django_db
def test_record_many_writes_the_rows_record_writes(make_case, users, monday):
    WebhookEndpoint.objects.create(name="省平台", url="https://example.cn/hook", secret="s" * 32)
    case = make_case()
    actor = system_actor()

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():  # the per-case path, then rolled back
        with locked_case(case.pk) as locked:
            record_change(locked, actor=actor, action="deadline_breach", reason=REASON)
        expected = _written(case.pk)
        raise Undo
    locked = Case.objects.select_related(*sweep_module._BULK_RELATED).get(pk=case.pk)
    bulk.record_many([(locked, REASON)], actor=actor, action="deadline_breach")
    got = _written(case.pk)
    assert got == expected
    assert got[0]["last_action"] == "deadline_breach" and got[0]["history_user_id"] == actor.pk
    assert {n["event"] for n in got[1]} == {"deadline_breach", "case.deadline_breach"}
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.version, fresh.last_action, fresh.prev_status) == (locked.version, "deadline_breach", "enterprise")
    assert chain.verify(case.number) == (1, [])


@pytest.mark.django_db
def test_record_many_dates_its_rows_by_the_project_clock(make_case, users, monday):
    """As ``record_change`` does: a case worked on a past date (``casework.clock.travel``,
    the demo) carries that date on the case and on its history row."""
    case = make_case()
    past = monday - dt.timedelta(hours=5)
    locked = Case.objects.select_related(*sweep_module._BULK_RELATED).get(pk=case.pk)
    with clock.travel(past):
        bulk.record_many([(locked, REASON)], actor=system_actor(), action="deadline_breach")
    row = Case.history.filter(id=case.pk).order_by("-history_id").first()
    assert (row.history_date, row.history_change_reason, row.last_action) == (past, REASON, "deadline_breach")
    assert Case.objects.get(pk=case.pk).updated_at == past
    assert chain.verify(case.number) == (1, [])


@pytest.mark.django_db
def test_a_batch_of_flags_and_warnings_keeps_every_chain_valid(make_case, users, monday, time_machine):
    cases = [make_case() for _ in range(4)]
    for case in cases:
        _flag(case)
    time_machine.move_to(local(2025, 3, 14), tick=False)
    assert sweep().warned == 4
    time_machine.move_to(local(2025, 3, 20), tick=False)
    result = sweep()
    assert (result.breached, result.flagged, result.errors) == (4, 4, 0)
    for case in cases:
        actions = [r.last_action for r in Case.objects.get(pk=case.pk).history.order_by("history_id")]
        assert actions[-2:] == ["deadline_warning", "deadline_breach"]
        fresh = Case.objects.get(pk=case.pk)
        assert Notification.objects.filter(key=f"{fresh.number}:v{fresh.version}:deadline_breach").exists()
        assert Notification.objects.filter(key=f"{fresh.number}:v{fresh.version - 1}:deadline_warning").exists()
    checked, breaks = chain.verify()
    assert checked == 4 and breaks == []


@pytest.mark.django_db
def test_append_many_links_two_rows_of_one_case_in_order(make_case, users):
    case = make_case()
    actor = system_actor()
    first = Case.objects.get(pk=case.pk)
    second = Case.objects.get(pk=case.pk)
    first._change_reason, second._change_reason = "甲", "乙"
    rows = Case.history.bulk_history_create([first, second], update=True, default_user=actor)
    chain.append_many(rows)
    assert chain.verify(case.number) == (1, [])
    assert [r.history_change_reason for r in case.history.order_by("-history_id")[:2]] == ["乙", "甲"]


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["context", "rendering"])
def test_a_failing_clock_in_a_batch_rolls_back_alone(make_case, users, monday, time_machine, monkeypatch, where):
    """Before the outbox rows are built, or while their texts are rendered."""
    cases = [make_case() for _ in range(3)]
    clocks = [_flag(case) for case in cases]
    bad = Case.objects.get(pk=cases[1].pk).number
    module, name = (notify, "case_context") if where == "context" else (notification_services, "render_message")
    real = getattr(module, name)

    def broken(*args, **kwargs):
        if bad in (args[0].number if where == "context" else args[2]["case_number"]):
            raise RuntimeError("template missing")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, broken)
    time_machine.move_to(local(2025, 3, 20), tick=False)
    result = sweep()
    assert (result.breached, result.flagged, result.errors) == (2, 2, 1)
    failed = DeadlineClock.objects.get(pk=clocks[1].pk)
    assert failed.breached_at is None and failed.attempts == 1 and "template missing" in failed.last_error
    assert not Case.objects.get(pk=cases[1].pk).history.filter(last_action="deadline_breach").exists()
    assert not Notification.objects.filter(key__startswith=f"{bad}:", event="deadline_breach").exists()
    for i in (0, 2):
        assert DeadlineClock.objects.get(pk=clocks[i].pk).breach_outcome == BreachOutcome.FLAGGED
        assert Case.objects.get(pk=cases[i].pk).history.filter(last_action="deadline_breach").count() == 1
    assert chain.verify()[1] == []
    monkeypatch.setattr(module, name, real)
    assert sweep().flagged == 1  # retried next time, once


@pytest.mark.django_db
def test_two_due_clocks_of_one_case_are_each_acted_on_once(make_case, users, monday, time_machine):
    from escalation.models import ClockKind

    case = make_case()
    stage = _flag(case)
    DeadlineClock.objects.create(  # a 督办 order due before the stage's own deadline
        case=case, kind=ClockKind.SUPERVISION, stage=stage.stage, started_at=monday, due_at=local(2025, 3, 10)
    )
    time_machine.move_to(local(2025, 3, 20), tick=False)
    result = sweep()
    assert (result.breached, result.flagged, result.errors) == (2, 2, 0)
    actions = list(Case.objects.get(pk=case.pk).history.values_list("last_action", flat=True))
    assert actions.count("deadline_breach") == 2
    assert sweep().breached == 0
    assert chain.verify(case.number)[1] == []


# A whole sweep whose due clocks are flag breaches, every query counted (house rule 3): the
# system actor; the page of due clocks; the claim's savepoint, cases, their county / unit /
# owner / category (one query each), clocks; the batch's savepoint, clock and case UPDATEs,
# history rows, audit tips and links, officers, supervisors, webhook endpoints, outbox rows;
# the empty warning page; the SweepRun heartbeat. Per batch of up to ``BATCH`` clocks, not per
# clock.
SWEEP_MAX = 24


@pytest.mark.django_db
def test_a_sweep_costs_the_same_queries_for_3_or_12_clocks(make_case, users, monday, time_machine):
    cases = [make_case() for _ in range(15)]
    for case in cases:
        _flag(case)
    for case in cases[3:]:
        DeadlineClock.objects.filter(case=case).update(due_at=local(2025, 4, 30), warn_at=local(2025, 4, 29))
    system_actor()
    sweep()  # the SweepRun row and the system user exist: the steady state
    time_machine.move_to(local(2025, 3, 20), tick=False)
    with CaptureQueriesContext(connection) as three:
        assert sweep().flagged == 3
    DeadlineClock.objects.filter(case__in=cases[3:]).update(due_at=local(2025, 3, 19))
    with CaptureQueriesContext(connection) as twelve:
        assert sweep().flagged == 12
    sql = [[q["sql"][:70] for q in run.captured_queries] for run in (three, twelve)]
    assert len(twelve) == len(three) <= SWEEP_MAX, sql


def test_the_bulk_path_stands_in_for_every_receiver():
    """``record_many`` sends no signal: it writes what these receivers write. A new receiver
    of ``case_event`` or of history rows must be added to ``escalation.bulk`` too."""
    from simple_history.signals import post_create_historical_record

    def uids(signal):
        return sorted(key[0][0] if isinstance(key[0], tuple) else str(key[0]) for key in signal.receivers)

    assert uids(signals.case_event) == ["casework.notify.on_case_event", "escalation.clock_save_pending"]
    assert uids(post_create_historical_record) == ["audit.chain"]


@pytest.mark.django_db
def test_queue_ignores_repeats(users):
    """The outbox's idempotency key: the same message of the same occurrence is queued once."""
    rows = notification_services.outbox_fields(
        event="urge", recipients=[users["officer_enterprise"]], context={"case_number": "X"}, key="X:v1:urge"
    )
    notification_services.queue(rows)
    notification_services.queue([*rows, *rows])
    assert Notification.objects.filter(key="X:v1:urge").count() == 1
    assert Notification.objects.get(key="X:v1:urge").user_id == users["officer_enterprise"].pk
