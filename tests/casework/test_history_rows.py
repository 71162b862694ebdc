"""History rows written once (``services._history``, PostgreSQL) are the rows simple_history
writes through ``save()``, with their audit links and everything else a service call writes.

Each write path runs twice at the same frozen moment: once as it runs in production (ids
drawn ahead, the case and worker rows, their history rows and the first audit link sent
with the next statement), once with ``_history`` stepping aside so every row goes through
``save()`` and simple_history's ``post_save``. Everything written must be the same, ids and
case numbers aside; the report rollups (PostgreSQL triggers) too.
"""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection, transaction
from django.db.models import signals as model_signals
from simple_history.signals import post_create_historical_record, pre_create_historical_record

from audit import chain
from audit.models import AuditLink
from casework import services
from casework.models import Case, CaseStage, Worker
from casework.services import _core, _history, _sql
from escalation.models import DeadlineClock

from ..conftest import case_input

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

AT = "2026-03-02 09:30:00+08:00"
ROLLUPS = {
    "reports_case_rollup": ("county_id", "day"),
    "reports_key_rollup": ("county_id", "day", "dim", "key_id"),
    "reports_clock_rollup": ("county_id", "day", "stage", "due_day"),
    "reports_stay_rollup": ("county_id", "day", "level"),
}
IDS = {"id", "history_id", "number", "worker_id", "case_id", "process_ptr_id"}


class Undo(Exception):
    pass


def _rollups() -> dict:
    """Each rollup summed by its keys (the triggers append signed deltas)."""
    out = {}
    with connection.cursor() as cursor:
        for table, keys in ROLLUPS.items():
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
                [table],
            )
            sums = [c for (c,) in cursor.fetchall() if c not in keys]
            key_list = ", ".join(keys)
            cursor.execute(
                f"SELECT {key_list}, {', '.join(f'SUM({c})' for c in sums)} FROM {table} GROUP BY {key_list} "  # noqa: S608
                f"ORDER BY {key_list}"
            )
            out[table] = [row for row in cursor.fetchall() if any(row[len(keys) :])]
    return out


def _plain(rows) -> list[dict]:
    return [{k: v for k, v in row.items() if k not in IDS} for row in rows]


def _written(case_pk: int) -> dict:
    case = Case.objects.values().get(pk=case_pk)
    return {
        "case": _plain([case]),
        "case_history": _plain(Case.history.model.objects.filter(id=case_pk).order_by("history_id").values()),
        "worker": _plain(Worker.objects.filter(pk=case["worker_id"]).values()),
        "worker_history": _plain(
            Worker.history.model.objects.filter(id=case["worker_id"]).order_by("history_id").values()
        ),
        "links": list(AuditLink.objects.filter(case_id=case_pk).order_by("seq").values_list("seq", "fields")),
        "stages": _plain(CaseStage.objects.filter(case_id=case_pk).order_by("started_at", "level").values()),
        "clocks": _plain(DeadlineClock.objects.filter(case_id=case_pk).order_by("started_at", "stage").values()),
        "rollups": _rollups(),
    }


def _both_ways(users, monkeypatch, act) -> tuple[dict, dict]:
    """``act()`` → case; what it wrote through ``save()`` (rolled back), then written once."""
    with time_machine.travel(AT, tick=False):
        with monkeypatch.context() as patched, pytest.raises(Undo), transaction.atomic():
            patched.setattr(_history, "writes_here", lambda instance: False)
            case = act()
            through_save = _written(case.pk)
            raise Undo
        case = act()
        return through_save, _written(case.pk)


def test_registration_writes_what_save_writes(users, monkeypatch):
    def register():
        return services.case_register(actor=users["desk"], data=case_input(), accept=True)

    through_save, written_once = _both_ways(users, monkeypatch, register)
    assert written_once == through_save
    assert [row["history_type"] for row in written_once["case_history"]] == ["+", "~"]
    assert written_once["worker_history"][0]["history_type"] == "+"
    case = Case.objects.get(number=Case.objects.order_by("-pk").values_list("number", flat=True)[0])
    assert chain.verify(case.number) == (1, [])


def test_a_change_of_a_known_worker_and_a_transition_write_what_save_writes(users, monkeypatch, make_case):
    make_case()  # the worker is known: registration updates the row and adds a ``~`` history row

    def register_and_escalate():
        case = services.case_register(actor=users["desk"], data=case_input(), accept=True)
        return services.case_escalate(case=case.number, actor=users["officer_enterprise"], reason="需工会层面协调")

    through_save, written_once = _both_ways(users, monkeypatch, register_and_escalate)
    assert written_once == through_save
    assert [row["history_type"] for row in written_once["worker_history"]] == ["+", "~"]
    assert [row["last_action"] for row in written_once["case_history"]] == ["register", "accept", "escalate"]
    assert chain.verify() == (2, [])


def test_an_id_drawn_before_a_nested_write_of_the_same_case_is_not_used(make_case, users):
    """The history rows of a case keep the order of its audit chain: an id drawn with the
    lock and overtaken by a nested call's row is dropped for a fresh one."""
    case = make_case()
    with _core.locked_case(case.pk) as locked:
        drawn = list(locked.__dict__[_sql.AHEAD][Case.history.model])
        services.case_add_note(case=case.number, actor=users["desk"], content="职工补充了工资条。")
        _core.record(locked, actor=users["desk"], action="note", reason="外层记录")
    rows = list(Case.history.model.objects.filter(id=case.pk).order_by("history_id"))
    assert rows[-1].history_change_reason == "外层记录" and rows[-1].history_id not in drawn
    assert chain.verify(case.number) == (1, [])


def test_the_rows_written_here_stand_in_for_every_receiver():
    """``_history.save`` sends ``pre_save`` and the history signals but not ``post_save``:
    a new receiver of ``post_save`` of these models, or of the history signals, must be
    served here too."""

    def uids(signal):
        return sorted(key[0][0] if isinstance(key[0], tuple) else str(key[0]) for key in signal.receivers)

    for model in (Case, Worker):
        sync, asynchronous = model_signals.post_save._live_receivers(model)
        owners = [type(getattr(receiver, "__self__", receiver)).__name__ for receiver in [*sync, *asynchronous]]
        assert owners == ["HistoricalRecords"]  # simple_history's own, which ``_history.write`` stands in for
    assert uids(pre_create_historical_record) == []
    assert uids(post_create_historical_record) == ["audit.chain"]
