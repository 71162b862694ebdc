"""批量操作: claim from the queue, assign / reassign and 催办 by a unit head, with refusals."""

from __future__ import annotations

import pytest
from django.test import Client
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework import bulk, selectors, services
from casework.exceptions import InvalidInput, NotAllowed
from casework.models import Case, OrgUnit
from casework.models.org import Role
from casework.services.org import staff_ensure

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _task(case) -> Task:
    return selectors.open_task(Case.objects.get(pk=case.pk))


@pytest.fixture
def colleague(users):
    """A second officer of DEMO-E1's union."""
    return staff_ensure(
        username="officer_e1_b", password=PASSWORD, unit=OrgUnit.objects.get(code="DEMO-E1-U"),
        role=Role.OFFICER, full_name="企业工会王干事",
    )  # fmt: skip


@pytest.fixture
def other_county_case(users, make_case):
    return make_case(actor=users["admin"], enterprise="DEMO-E5", worker={"phone": "13700001111", "id_number": ""})


def test_an_officer_claims_several_cases_from_the_queue_with_a_report_per_case(
    users, make_case, colleague, other_county_case
):
    a, b, c = make_case(), make_case(), make_case()
    services.task_claim(case=c.number, actor=colleague)
    response = _client(users["officer_enterprise"]).post(
        "/cases/bulk/",
        {"action": "claim", "case": [a.number, b.number, c.number, other_county_case.number, "NOPE-1"]},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "完成 2 件，未完成 3 件" in html
    assert "该任务已由" in html and "案件不存在，或您无权查看。" in html
    assert _task(a).owner == users["officer_enterprise"] and _task(b).owner == users["officer_enterprise"]
    assert _task(c).owner == colleague  # refused, left as it was
    assert _task(other_county_case).owner_id is None
    assert Case.objects.get(pk=other_county_case.pk).version == other_county_case.version


def test_claim_one_row_from_the_queue_opens_the_case(users, make_case):
    case = make_case()
    client = _client(users["officer_enterprise"])
    page = client.get("/cases/queue/").content.decode()
    assert f'name="claim_one" value="{case.number}"' in page
    response = client.post("/cases/bulk/", {"claim_one": case.number, "next": "/cases/queue/"})
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.number}/"
    assert _task(case).owner == users["officer_enterprise"] and _task(case).status == STATUS.ASSIGNED


@pytest.mark.parametrize("role", ["desk", "supervisor", "leader"])
def test_who_may_not_claim_gets_403_and_nothing_changes(users, make_case, role):
    case = make_case()
    response = _client(users[role]).post("/cases/bulk/", {"action": "claim", "case": [case.number]})
    assert response.status_code == 403
    assert _task(case).owner_id is None


def test_a_unit_head_assigns_and_reassigns_through_the_activations(users, make_case, colleague):
    a, b = make_case(), make_case()
    services.task_claim(case=b.number, actor=users["officer_enterprise"])
    response = _client(users["leader"]).post(
        "/cases/bulk/", {"action": "assign", "case": [a.number, b.number], "to": "企业工会王干事（officer_e1_b）"}
    )
    assert response.status_code == 200 and "完成 2 件，未完成 0 件" in response.content.decode()
    for case in (a, b):
        task = _task(case)
        assert task.owner == colleague and task.status == STATUS.ASSIGNED
        assert Case.objects.get(pk=case.pk).last_action == "assign"
    reasons = list(
        Case.objects.get(pk=b.pk).history.filter(last_action="assign").values_list("history_change_reason", flat=True)
    )
    assert reasons and "改派" in reasons[0]
    # the officer it was given to is told; the leader (the actor) is not
    from notifications.models import Notification

    assert Notification.objects.filter(user=colleague, event="task_assigned").count() == 2
    assert not Notification.objects.filter(user=users["leader"], event="task_assigned").exists()
    # and it is in the colleague's inbox now
    assert {t.pk for t in selectors.inbox(colleague)} >= {_task(a).pk, _task(b).pk}


def test_assigning_to_someone_outside_the_handling_unit_is_refused_per_case(users, make_case):
    case = make_case()
    version = Case.objects.get(pk=case.pk).version
    response = _client(users["leader"]).post(
        "/cases/bulk/", {"action": "assign", "case": [case.number], "to": "officer_union"}
    )
    assert "请选择承办单位的一名承办人。" in response.content.decode()
    assert _task(case).owner_id is None and Case.objects.get(pk=case.pk).version == version


def test_an_officer_cannot_assign(users, make_case, colleague):
    case = make_case()
    with pytest.raises(NotAllowed):
        bulk.cases_bulk_act(
            actor=users["officer_enterprise"], action="assign", numbers=[case.number], data={"to": "officer_e1_b"}
        )
    with pytest.raises(NotAllowed):
        services.task_assign(case=case.number, actor=users["officer_enterprise"], to_username="officer_e1_b")
    assert _task(case).owner_id is None


def test_the_single_case_assign_action_is_offered_to_the_unit_head_only(users, make_case):
    case = Case.objects.get(pk=make_case().pk)
    assert "assign" in selectors.allowed_actions(case, users["leader"])
    assert "assign" not in selectors.allowed_actions(case, users["officer_enterprise"])
    assert "assign" not in selectors.allowed_actions(case, users["supervisor"])


def test_a_unit_head_urges_several_cases(users, make_case, other_county_case):
    a, b = make_case(), make_case()
    response = _client(users["leader"]).post(
        "/cases/bulk/",
        {"action": "urge", "case": [a.number, b.number, other_county_case.number], "message": "请三日内反馈进展。"},
    )
    assert "完成 2 件，未完成 1 件" in response.content.decode()
    for case in (a, b):
        row = Case.objects.get(pk=case.pk).history.filter(last_action="urge").get()
        assert row.history_change_reason == "请三日内反馈进展。" and row.history_user == users["leader"]
    assert not Case.objects.get(pk=other_county_case.pk).history.filter(last_action="urge").exists()


def test_bad_input_is_a_chinese_error_and_writes_nothing(users, make_case):
    case = make_case()
    client = _client(users["leader"])
    before = Case.objects.get(pk=case.pk).version
    for data, message in (
        ({"action": "urge", "case": [case.number], "message": "  "}, "请填写催办内容。"),
        ({"action": "assign", "case": [case.number], "to": ""}, "请选择要指派的承办人。"),
        ({"action": "urge", "message": "x"}, "请至少选择一个案件。"),
        ({"action": "explode", "case": [case.number]}, "请选择批量操作。"),
        ({"action": "urge", "case": [f"N{i}" for i in range(101)], "message": "x"}, "一次最多选择 100 个案件。"),
    ):
        response = client.post("/cases/bulk/", {**data, "next": "/cases/all/"}, follow=True)
        assert response.status_code == 200 and message in response.content.decode(), data
    assert Case.objects.get(pk=case.pk).version == before
    with pytest.raises(InvalidInput):
        bulk.cases_bulk_act(actor=users["leader"], action="urge", numbers=[], data={"message": "x"})


def test_an_unsafe_next_is_not_followed(users, make_case):
    case = make_case()
    response = _client(users["leader"]).post(
        "/cases/bulk/", {"action": "urge", "case": [case.number], "message": "", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/cases/all/"


def test_the_case_list_offers_the_bulk_bar_by_role(users, make_case):
    make_case()
    leader = _client(users["leader"]).get("/cases/all/").content.decode()
    assert 'id="cw-bulk"' in leader and 'value="assign"' in leader and 'value="urge"' in leader
    desk = _client(users["desk"]).get("/cases/all/").content.decode()
    assert 'id="cw-bulk"' not in desk and 'form="cw-bulk"' not in desk
