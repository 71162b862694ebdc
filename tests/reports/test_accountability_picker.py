"""问责's 被问责单位 is a picker: what it fills in (名称（代码）) names the unit by its code;
a unit that is not one, or lies outside the supervisor's jurisdiction, is refused in Chinese."""

from __future__ import annotations

import pytest

from casework.models import Case, OrgUnit
from reports.models import AccountabilityNote

pytestmark = pytest.mark.django_db


def _post(client, case, unit: str):
    return client.post(
        f"/cases/{case.number}/act/accountability/",
        {"note": "企业层面超期未办", "person": "李主席", "unit": unit, "version": Case.objects.get(pk=case.pk).version},
    )


def test_the_picked_unit_is_stored_by_its_code(client, users, register):
    case = register()
    picked = OrgUnit.objects.get(code="DEMO-E1")
    client.force_login(users["supervisor"])
    response = _post(client, case, f"{picked.name}（{picked.code}）")
    assert response.status_code == 302
    assert AccountabilityNote.objects.get(case=case).unit.code == "DEMO-E1"


@pytest.mark.parametrize("unit", ["不存在的单位（DEMO-NOPE）", "随便写的单位", "DEMO-K2"])
def test_a_bad_pick_is_refused(client, users, register, unit):
    case = register()
    client.force_login(users["supervisor"])
    response = _post(client, case, unit)
    assert response.status_code in (400, 409, 422)
    assert "被问责单位不存在或不在本辖区。" in response.content.decode()
    assert not AccountabilityNote.objects.filter(case=case).exists()
