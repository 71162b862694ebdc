"""The capped paginator: exact counts up to the cap, every page reachable above it."""

import pytest
from django.core.paginator import EmptyPage

from casework.models import OrgUnit
from casework.pagination import CappedPaginator


@pytest.fixture
def units(world):
    return OrgUnit.objects.order_by("pk")


def test_exact_below_the_cap(units):
    total = units.count()
    paginator = CappedPaginator(units, 5)
    assert not paginator.capped
    assert paginator.count == total and paginator.count_label == str(total)
    last = paginator.page(paginator.num_pages)
    assert last.end_index() == total


def test_above_the_cap_pages_still_reach_every_row(units):
    total = units.count()
    paginator = CappedPaginator(units, 5)
    paginator.cap = total - 3  # pretend the table is larger than the cap
    assert paginator.capped
    assert paginator.count == total - 3
    assert paginator.count_label == f"{total - 3} 以上"
    seen, number = [], 1
    while True:
        page = paginator.page(number)
        seen.extend(unit.pk for unit in page.object_list)
        if not page.has_next():
            break
        number += 1
    assert seen == list(units.values_list("pk", flat=True))
    with pytest.raises(EmptyPage):
        paginator.page(number + 5)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_rows_by_id_put_the_planner_setting_back(world, monkeypatch):
    """The join order is set for the read's transaction only (``SET LOCAL``), also when the
    read fails, so no connection carries it into the next request or, behind a
    transaction-mode pooler, into another client's transaction."""
    from django.db import DatabaseError, connection
    from django.db.models.query import QuerySet

    from casework import selectors
    from casework.models import Case
    from casework.pagination import rows_by_ids

    def setting():
        with connection.cursor() as cursor:
            cursor.execute("SHOW join_collapse_limit")
            return cursor.fetchone()[0]

    rows = Case.objects.select_related(*selectors.SUMMARY_RELATED)  # seven joined tables
    default = setting()
    assert rows_by_ids(rows, [1, 2]) == []
    assert setting() == default

    def fail(self):
        raise DatabaseError("the read failed")

    monkeypatch.setattr(QuerySet, "__iter__", fail)
    with pytest.raises(DatabaseError, match="the read failed"):
        rows_by_ids(rows, [1])
    monkeypatch.undo()
    assert setting() == default
