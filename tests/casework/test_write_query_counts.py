"""The write paths cost a fixed, pinned number of queries (house rule 3; docs/performance.md).

Registering (with acceptance) and one level transition, through the libraries: one
transaction, the case row locked first, the status changed by django-fsm and saved, one
history row per change written by simple_history with its audit link, the stage rows and
clocks, the outbox rows, and the task rows viewflow's activations write (each save of a
task with its own history row). Savepoints viewflow opens count as queries too; the
service's own transaction is the outermost one, as in a request (``transaction=True``),
so BEGIN and COMMIT are not counted (Django logs them on SQLite, where the transaction
is ``BEGIN IMMEDIATE``, and not on PostgreSQL). The targets of issue #17: registration ≤ 40 queries,
a level transition ≤ 30.
"""

from contextlib import contextmanager

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework import services
from escalation.system import system_actor

from ..conftest import case_input

REGISTER_MAX = 40
ESCALATE_MAX = 30

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def at_most(limit: int):
    with CaptureQueriesContext(connection) as captured:
        yield
    statements = [q["sql"] for q in captured.captured_queries if q["sql"] not in ("BEGIN IMMEDIATE", "COMMIT")]
    assert len(statements) <= limit, f"{len(statements)} queries:\n" + "\n".join(s[:120] for s in statements)


def test_register_query_count(users, make_case):
    make_case()  # the year's number row and the caches exist: the steady state
    with at_most(REGISTER_MAX):
        case = services.case_register(
            actor=users["desk"], data=case_input(worker={"id_number": "", "phone": "13912345679"}), accept=True
        )
    assert case.status == "enterprise" and case.history.count() == 2


def test_escalate_query_count(users, make_case):
    case = make_case()
    officer = users["officer_enterprise"]
    services.task_claim(case=case.number, actor=officer)
    with at_most(ESCALATE_MAX):
        case = services.case_escalate(case=case.number, actor=officer, reason="上报。")
    assert case.status == "union" and case.history.count() == 4


def test_escalate_by_the_deadline_engine_query_count(users, make_case):
    """The sweep's escalation of an unclaimed task (assigned to the system, then done)."""
    case = make_case()
    system = system_actor()
    with at_most(ESCALATE_MAX):
        case = services.case_escalate(case=case.pk, actor=system, reason="上报。")
    assert case.status == "union" and case.history.count() == 3
