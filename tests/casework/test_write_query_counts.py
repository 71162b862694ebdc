"""The write paths cost a fixed, pinned number of queries (house rule 3; README Performance).

Registering (with acceptance) and one level transition: one transaction, the case row
locked first (with the audit chain's tip), one history row per change with its audit link,
the outbox rows in one insert (registration: both events' rows together), the workflow's
task rows written as sets (``services._workflow``). Measured on SQLite; PostgreSQL runs the
same statements. Raise a pin only with a reason in the commit message.
"""

from casework import services
from escalation.system import system_actor

from ..conftest import case_input

REGISTER_MAX = 30
ESCALATE_MAX = 20


def test_register_query_count(users, make_case, django_assert_max_num_queries):
    make_case()  # the year's number row and the caches exist: the steady state
    with django_assert_max_num_queries(REGISTER_MAX):
        case = services.case_register(
            actor=users["desk"], data=case_input(worker={"id_number": "", "phone": "13912345679"}), accept=True
        )
    assert case.status == "enterprise" and case.history.count() == 2


def test_escalate_query_count(users, make_case, django_assert_max_num_queries):
    case = make_case()
    system = system_actor()
    with django_assert_max_num_queries(ESCALATE_MAX):
        case = services.case_escalate(case=case.pk, actor=system, reason="上报。")
    assert case.status == "union" and case.history.count() == 3
