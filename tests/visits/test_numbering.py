"""Case-interview numbers: 1, 2, 3 … within a group, no gaps, stable under concurrent saves."""

import threading

import pytest
from django.db import connection

from casework.exceptions import InvalidInput
from casework.models import OrgUnit
from visits import services
from visits.models import Interview, InterviewSequence

from .conftest import interview_input


def test_numbers_run_in_natural_order_per_group(users, group, make_visit, make_interview):
    visit = make_visit()
    numbers = [make_interview(visit=visit).number for _ in range(3)]
    assert numbers == [1, 2, 3]
    other = services.workgroup_create(
        actor=users["leader"], name="东城区走访二组", unit=OrgUnit.objects.get(code="DEMO-K1"), leader=users["leader"]
    )
    other_visit = make_visit(group_=other, actor=users["leader"])
    assert make_interview(visit=other_visit, actor=users["leader"]).number == 1
    assert make_interview(visit=visit).number == 4


def test_a_refused_save_takes_no_number(users, group, make_visit, make_interview):
    visit = make_visit()
    assert make_interview(visit=visit).number == 1
    with pytest.raises(InvalidInput):
        make_interview(visit=visit, birth_month="1982-13")
    assert make_interview(visit=visit).number == 2
    assert InterviewSequence.objects.get(group=group).last == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_get_distinct_gap_free_numbers(users, group, make_visit):
    visit = make_visit()
    n = 8
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run(i):
        try:
            barrier.wait(timeout=10)
            interview = services.interview_create(
                actor=users["officer_union"], visit=visit, data=interview_input(worker_name=f"职工{i}")
            )
            results.append(interview.number)
        except Exception as exc:  # the test must show any failure
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert sorted(results) == list(range(1, n + 1))
    stored = list(Interview.objects.filter(group=group).order_by("number").values_list("number", flat=True))
    assert stored == list(range(1, n + 1))
    assert InterviewSequence.objects.get(group=group).last == n
