"""Fields that took a code typed by hand are searchable pickers by name; the name as the
picker fills it ("名称（代码）") is accepted, and so is the bare code."""

from __future__ import annotations

import pytest

from casework.models import Case
from tests.casework.helpers import bring_to

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _client(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_pickers_answer_by_name(client, users, make_case):
    c = _client(client, users["officer_union"])
    units = c.get("/cases/pick/units.json", {"kind": "government", "q": "东城区人力"}).json()["results"]
    assert units == [{"value": "东城区人力资源和社会保障局劳动保障监察大队（DEMO-K1-G1）", "label": "党委政府部门"}]
    federations = [r["value"] for r in c.get("/cases/pick/units.json", {"q": "东城"}).json()["results"]]
    assert "东城区总工会（DEMO-K1）" in federations
    staff = c.get("/cases/pick/staff.json", {"q": "desk"}).json()["results"]
    assert staff and staff[0]["value"].endswith("（desk）")
    case = make_case()
    desk = _client(client, users["desk"])
    found = desk.get("/cases/pick/cases.json", {"q": case.number[-4:]}).json()["results"]
    assert [r["value"] for r in found] == [case.number]
    outsider = _client(client, users["officer_elsewhere"])
    assert outsider.get("/cases/pick/cases.json", {"q": case.number}).json() == {"results": []}


def test_pickers_need_a_login(client):
    assert client.get("/cases/pick/units.json").status_code == 302


def test_escalate_to_a_department_picked_by_name(client, users, make_case):
    case = bring_to("union", users, make_case)
    c = _client(client, users["officer_union"])
    page = c.get(f"/cases/{case.number}/act/escalate/").content.decode()
    assert 'data-picker="/cases/pick/units.json?kind=government"' in page
    response = c.post(
        f"/cases/{case.number}/act/escalate/",
        {
            "version": case.version,
            "reason": "需劳动监察介入",
            "to_unit": "东城区人力资源和社会保障局劳动保障监察大队（DEMO-K1-G1）",
        },
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).handling_unit.code == "DEMO-K1-G1"


def test_handover_and_merge_by_picker_value(client, users, make_case):
    case = make_case()
    other = make_case(worker={"name": "另一人", "phone": "13911112222", "id_number": ""})
    c = _client(client, users["desk"])
    target = users["leader"]
    value = f"{target.get_full_name() or target.username}（{target.username}）"
    response = c.post(
        f"/cases/{case.number}/act/handover/", {"version": case.version, "reason": "工作调整", "to": value}
    )
    assert response.status_code == 302, response.content.decode()[-1500:]
    assert Case.objects.get(pk=case.pk).owner == target
    merge_page = _client(client, users["desk"]).get(f"/cases/{other.number}/act/merge/").content.decode()
    assert 'data-picker="/cases/pick/cases.json"' in merge_page


def test_report_unit_by_name(client, users):
    c = _client(client, users["supervisor"])
    page = c.get("/reports/outcomes/", {"unit": "东城区总工会（DEMO-K1）"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-picker="/cases/pick/units.json"' in html and "东城区总工会（DEMO-K1）" in html
    assert c.get("/reports/outcomes/", {"unit": "DEMO-K1"}).status_code == 200
