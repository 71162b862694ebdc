"""A unit's materialised path, in its row and in its history (issue #17, house rule 11:
simple_history writes the history, and what it writes must be true)."""

from __future__ import annotations

import pytest

from casework.models import OrgUnit
from casework.models.org import UnitKind
from casework.services.org import unit_ensure

pytestmark = pytest.mark.django_db


def _history(unit: OrgUnit) -> list[tuple[str, str, int | None]]:
    rows = unit.history.order_by("history_date", "history_id")
    return list(rows.values_list("history_type", "path", "parent_id"))


def test_a_created_unit_has_one_history_row_and_it_carries_the_path():
    city = unit_ensure(code="T17-CITY", name="测试市总工会", kind=UnitKind.CITY_FEDERATION)
    county = unit_ensure(code="T17-COUNTY", name="测试区总工会", kind=UnitKind.COUNTY_FEDERATION, parent=city)

    assert city.path == f"{city.pk:06d}."
    assert county.path == f"{city.pk:06d}.{county.pk:06d}."
    for unit in (city, county):
        assert OrgUnit.objects.get(pk=unit.pk).path == unit.path
    assert _history(city) == [("+", city.path, None)]
    assert _history(county) == [("+", county.path, city.pk)]


def test_a_unit_moved_to_another_parent_records_its_new_path():
    first = unit_ensure(code="T17-A", name="甲市总工会", kind=UnitKind.CITY_FEDERATION)
    second = unit_ensure(code="T17-B", name="乙市总工会", kind=UnitKind.CITY_FEDERATION)
    county = unit_ensure(code="T17-C", name="丙区总工会", kind=UnitKind.COUNTY_FEDERATION, parent=first)

    county.parent = second
    county.save()
    moved = f"{second.pk:06d}.{county.pk:06d}."
    assert OrgUnit.objects.get(pk=county.pk).path == moved
    assert _history(county)[-1] == ("~", moved, second.pk)

    # Saving only the parent still stores (and records) the path that goes with it.
    county.parent = first
    county.save(update_fields=["parent"])
    back = f"{first.pk:06d}.{county.pk:06d}."
    assert OrgUnit.objects.get(pk=county.pk).path == back
    assert _history(county) == [("+", back, first.pk), ("~", moved, second.pk), ("~", back, first.pk)]


def test_a_deleted_unit_keeps_its_path_in_the_deletion_row():
    city = unit_ensure(code="T17-D", name="丁市总工会", kind=UnitKind.CITY_FEDERATION)
    path, pk = city.path, city.pk
    city.delete()
    rows = OrgUnit.history.filter(id=pk).order_by("history_date", "history_id")
    assert list(rows.values_list("history_type", "path")) == [("+", path), ("-", path)]
