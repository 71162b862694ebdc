"""批量操作 through the API (``POST /api/v1/cases/bulk/``): the same rules as the queue page,
a report per case, refusals that write nothing, and Idempotency-Key replays."""

from __future__ import annotations

import pytest

from casework import selectors, services
from casework.models import Case, OrgUnit
from casework.models.org import Role
from casework.services.org import staff_ensure

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db
URL = "/api/v1/cases/bulk/"


def _owner(case):
    return selectors.open_task(Case.objects.get(pk=case.pk)).owner


@pytest.fixture
def colleague(users):
    return staff_ensure(
        username="officer_e1_b", password=PASSWORD, unit=OrgUnit.objects.get(code="DEMO-E1-U"),
        role=Role.OFFICER, full_name="企业工会王干事",
    )  # fmt: skip


def test_an_officer_claims_several_cases_and_gets_a_line_per_case(users, make_case, client_for, colleague):
    a, b, taken = make_case(), make_case(), make_case()
    services.task_claim(case=taken.number, actor=colleague)
    elsewhere = make_case(actor=users["admin"], enterprise="DEMO-E5", worker={"phone": "13700001111", "id_number": ""})
    response = client_for("officer_enterprise").post(
        URL, {"action": "claim", "cases": [a.number, b.number, taken.number, elsewhere.number]}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["action"], body["done"], body["refused"]) == ("claim", 2, 2)
    lines = {r["case"]: r for r in body["results"]}
    assert lines[a.number] == {"case": a.number, "done": True, "message": "已完成"}
    assert not lines[taken.number]["done"] and "该任务已由" in lines[taken.number]["message"]
    assert lines[elsewhere.number]["message"] == "案件不存在，或您无权查看。"
    assert _owner(a) == users["officer_enterprise"] and _owner(b) == users["officer_enterprise"]
    assert _owner(taken) == colleague  # refused, left as it was
    assert _owner(elsewhere) is None


def test_a_unit_head_reassigns_and_urges(users, make_case, client_for, colleague):
    a, b = make_case(), make_case()
    services.task_claim(case=b.number, actor=users["officer_enterprise"])
    leader = client_for("leader")
    assigned = leader.post(
        URL, {"action": "assign", "cases": [a.number, b.number], "to": "officer_e1_b"}, format="json"
    )
    assert assigned.status_code == 200 and assigned.json()["done"] == 2
    assert _owner(a) == colleague and _owner(b) == colleague
    urged = leader.post(URL, {"action": "urge", "cases": [a.number], "message": "请三日内反馈。"}, format="json")
    assert urged.json()["done"] == 1
    row = Case.objects.get(pk=a.pk).history.filter(last_action="urge").get()
    assert row.history_change_reason == "请三日内反馈。" and row.history_user == users["leader"]


@pytest.mark.parametrize(
    ("who", "payload", "status", "text"),
    [
        ("desk", {"action": "claim"}, 403, None),
        ("officer_enterprise", {"action": "assign", "to": "officer_e1_b"}, 403, None),
        ("leader", {"action": "urge", "message": "  "}, 400, "请填写催办内容。"),
        ("leader", {"action": "assign"}, 400, "请选择要指派的承办人。"),
        ("leader", {"action": "explode"}, 400, None),
        ("leader", {"action": "urge", "message": "x", "cases": []}, 400, "请至少选择一个案件。"),
        (
            "leader",
            {"action": "urge", "message": "x", "cases": [f"N{i}" for i in range(101)]},
            400,
            "一次最多选择 100 个案件。",
        ),
        ("leader", {"action": "urge", "message": "x", "priority": "high"}, 400, "未知字段。"),
    ],
)
def test_refusals_write_nothing(users, make_case, client_for, colleague, who, payload, status, text):
    case = make_case()
    version = Case.objects.get(pk=case.pk).version
    response = client_for(who).post(URL, {"cases": [case.number], **payload}, format="json")
    assert response.status_code == status
    body = response.json()
    assert body["status"] == status and body["message"]
    if text:
        assert text in str(body)
    assert Case.objects.get(pk=case.pk).version == version
    assert _owner(case) is None


def test_a_retry_with_the_same_key_replays_the_first_answer(users, make_case, client_for):
    a, b = make_case(), make_case()
    client = client_for("officer_enterprise")
    payload = {"action": "claim", "cases": [a.number, b.number]}
    first = client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="bulk-1")
    versions = {c.pk: Case.objects.get(pk=c.pk).version for c in (a, b)}
    again = client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="bulk-1")
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json() and first.json()["done"] == 2
    assert {c.pk: Case.objects.get(pk=c.pk).version for c in (a, b)} == versions
    assert all(Case.objects.get(pk=c.pk).history.filter(last_action="claim").count() == 1 for c in (a, b))
