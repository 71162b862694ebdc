"""The search box matches a part of the case number, worker name or enterprise name:
the same results on SQLite (icontains) and PostgreSQL (trigram and bigram indexes)."""

import pytest

from casework import selectors
from casework.models import Case


@pytest.fixture
def cases(make_case):
    return {
        "li": make_case(worker={"name": "李四", "id_number": "", "phone": "13900000001"}),
        "wang": make_case(worker={"name": "王五一", "id_number": "", "phone": "13900000002"}),
        "other_enterprise": make_case(
            worker={"name": "赵六", "id_number": "", "phone": "13900000003"}, enterprise="DEMO-E2"
        ),
    }


def _found(q):
    return set(Case.objects.filter(selectors.search_filter(q)).values_list("number", flat=True))


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("李四", {"li"}),  # two characters: the bigram path on PostgreSQL
        ("王五一", {"wang"}),  # three: trigrams
        ("五一", {"wang"}),
        ("东方", {"li", "wang"}),  # DEMO-E1 is 东方机械制造有限公司
        ("红星纺织", {"other_enterprise"}),
        ("钱七", set()),
    ],
)
def test_search_by_name_and_enterprise(cases, q, expected):
    assert _found(q) == {cases[key].number for key in expected}


def test_search_by_part_of_the_number(cases):
    number = cases["wang"].number
    assert _found(number[-6:]) == {number}
    assert _found(number.lower()) == {number}
    assert cases["li"].number in _found("gh")  # two characters of the number, any case
