"""Two officers act on the same case at the same moment: exactly one wins (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection

from casework import services
from casework.exceptions import CaseChanged, CaseworkError
from casework.models import Case

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(n_threads, action):
    barrier = threading.Barrier(n_threads)
    results = []

    def run(i):
        try:
            barrier.wait(timeout=10)
            results.append(("ok", action(i)))
        except CaseworkError as exc:
            results.append(("error", exc))
        except Exception as exc:  # anything else is a bug the test must show
            results.append(("crash", exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_two_escalations_at_once_one_wins(users, make_case):
    case = make_case()
    seen = case.version
    rows_before = case.history.count()
    results = _race(
        2,
        lambda i: services.case_escalate(
            case=case.number, actor=users["officer_enterprise"], reason=f"并发上报 {i}", expected_version=seen
        ),
    )
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"]
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, CaseChanged)
    assert "已被他人更新" in str(error.message)
    case = Case.objects.get(pk=case.pk)
    assert case.status == "union"
    assert case.history.count() == rows_before + 1
    assert case.stages.filter(level="union").count() == 1


def test_two_claims_at_once_one_gets_the_task(users, make_case, world):
    from casework.demo import staff_ensure
    from casework.models import OrgUnit
    from casework.models.org import Role

    from ..conftest import PASSWORD

    other = staff_ensure(
        username="officer_e1_b", password=PASSWORD, unit=OrgUnit.objects.get(code="DEMO-E1-U"), role=Role.OFFICER
    )
    case = make_case()
    officers = [users["officer_enterprise"], other]
    results = _race(2, lambda i: services.task_claim(case=case.number, actor=officers[i]))
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    case = Case.objects.get(pk=case.pk)
    assert case.history.filter(last_action="claim").count() == 1


def test_case_numbers_unique_under_concurrent_registration(users, make_case):
    results = _race(4, lambda i: make_case().number)
    numbers = [value for kind, value in results if kind == "ok"]
    assert len(numbers) == 4 and len(set(numbers)) == 4, results
