"""Registering, listing, filtering and reading cases; the caller, tasks and reference data."""

from __future__ import annotations

import datetime as dt

import time_machine

from casework.models import Case

from .conftest import assert_error

BODY = {
    "worker": {"name": "李秀英", "gender": "female", "phone": "13912345678", "id_number": "11010519491231002X"},
    "enterprise": "DEMO-E1",
    "category": "wages",
    "channel": "reception_day",
    "summary": "拖欠工资两个月",
    "request": "足额支付",
    "consent": True,
}


def _body(**overrides):
    return {**BODY, **overrides}


def test_register_returns_201_with_the_case(client_for, db, world):
    from casework.models import Channel

    channel = Channel.objects.filter(active=True).first().code
    body = _body(channel=channel, urgent=True, workers_involved=3)
    r = client_for("desk").post("/api/v1/cases/", body, format="json")
    assert r.status_code == 201, r.json()
    case = r.json()
    assert case["status"] == "enterprise" and case["owner"]["username"] == "desk"
    assert case["urgent"] is True and case["workers_involved"] == 3
    assert case["worker"]["masked"] is True and case["worker"]["phone"] == "139****5678"  # masked by default
    assert case["deadline_state"] == "ok"


def test_register_without_accepting_waits_for_review(client_for, world):
    from casework.models import Channel

    channel = Channel.objects.filter(active=True).first().code
    r = client_for("desk").post("/api/v1/cases/", _body(channel=channel, accept=False), format="json")
    assert r.status_code == 201 and r.json()["status"] == "registered"
    assert set(r.json()["allowed_actions"]) >= {"accept", "not_accept"}


def test_register_validation_is_per_field(client_for, world):
    desk = client_for("desk")
    body = assert_error(desk.post("/api/v1/cases/", _body(consent=False), format="json"), 400, "invalid")
    assert "consent" in body["fields"]
    bad_worker = {**BODY["worker"], "id_number": "110105194912310021"}
    body = assert_error(desk.post("/api/v1/cases/", _body(worker=bad_worker), format="json"), 400)
    assert "worker.id_number" in body["fields"]
    body = assert_error(desk.post("/api/v1/cases/", _body(enterprise="NOPE", category="x"), format="json"), 400)
    assert set(body["fields"]) >= {"enterprise"} or set(body["fields"]) >= {"category"}
    body = assert_error(desk.post("/api/v1/cases/", {"worker": "x"}, format="json"), 400)
    assert {"worker", "summary", "request", "consent"} <= set(body["fields"])
    body = assert_error(desk.post("/api/v1/cases/", _body(workers_involved=0), format="json"), 400)
    assert "workers_involved" in body["fields"]
    body = assert_error(desk.post("/api/v1/cases/", _body(extra=1), format="json"), 400)
    assert body["fields"] == {"extra": ["未知字段。"]}


def test_only_intake_may_register(client_for, world):
    assert_error(client_for("officer_enterprise").post("/api/v1/cases/", BODY, format="json"), 403, "forbidden")


def test_detail_has_every_contract_field_and_masks_the_worker(client_for, make_case):
    number = make_case().number
    detail = client_for("officer_enterprise").get(f"/api/v1/cases/{number}/").json()
    assert detail["worker"]["masked"] is True
    assert detail["worker"]["phone"] == "139****5678"
    assert "*" in detail["worker"]["id_number"]
    assert detail["allowed_actions"] and all(isinstance(a, str) for a in detail["allowed_actions"])
    assert set(detail["timeline"][0]) >= {"at", "actor", "action", "from_status", "to_status", "reason"}
    # The leader may see personal data (casework.rules.can_see_personal_data).
    assert client_for("leader").get(f"/api/v1/cases/{number}/").json()["worker"]["masked"] is True
    assert client_for("leader").get(f"/api/v1/cases/{number}/?unmask=1").json()["worker"]["masked"] is False
    assert client_for("officer_enterprise").get(f"/api/v1/cases/{number}/?unmask=1").json()["worker"]["masked"]


def test_another_countys_case_is_404_everywhere(client_for, make_case):
    number = make_case().number
    other = client_for("officer_elsewhere")
    assert_error(other.get(f"/api/v1/cases/{number}/"), 404, "not_found")
    assert other.get("/api/v1/cases/").json()["count"] == 0
    assert_error(other.get("/api/v1/cases/GH-2099-999999/"), 404, "not_found")
    assert_error(other.get("/api/v1/cases/%00bad/"), 404, "not_found")


def test_list_filters_ordering_and_pages(client_for, make_case, users):
    first = make_case(worker={"name": "赵甲"})
    second = make_case(accept=False, worker={"name": "钱乙"})
    third = make_case(worker={"name": "孙丙"})
    desk = client_for("desk")

    page = desk.get("/api/v1/cases/?page_size=2").json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"] and page["previous"] is None
    assert desk.get("/api/v1/cases/?status=registered").json()["count"] == 1
    assert desk.get("/api/v1/cases/?level=enterprise").json()["count"] == 2
    assert desk.get("/api/v1/cases/?category=wages&channel=reception_day").json()["count"] == 3
    assert desk.get("/api/v1/cases/?unit=DEMO-E1-U").json()["count"] == 2
    assert desk.get("/api/v1/cases/?unit=DEMO-K1").json()["count"] == 2
    assert desk.get("/api/v1/cases/?q=孙丙").json()["results"][0]["number"] == third.number
    assert desk.get(f"/api/v1/cases/?q={first.number}").json()["count"] == 1
    numbers = [c["number"] for c in desk.get("/api/v1/cases/?ordering=received_at").json()["results"]]
    assert numbers[0] == first.number
    assert desk.get("/api/v1/cases/?overdue=true").json()["count"] == 0
    with time_machine.travel(dt.timedelta(days=12)):
        warned = desk.get("/api/v1/cases/?warning=true").json()
        assert warned["count"] >= 2 and {c["deadline_state"] for c in warned["results"]} == {"warning"}
    with time_machine.travel(dt.timedelta(days=40)):
        overdue = desk.get("/api/v1/cases/?overdue=true&ordering=due_at").json()
        assert overdue["count"] >= 2 and overdue["results"][0]["deadline_state"] == "overdue"

    # Due-date orders: a case without a deadline (as closed cases are) last both ways, on every database.
    assert Case.objects.filter(pk=second.pk).update(due_at=None) == 1
    for ordering in ("due_at", "-due_at"):
        results = desk.get(f"/api/v1/cases/?ordering={ordering}").json()["results"]
        assert [c["due_at"] is None for c in results] == [False, False, True], ordering
    Case.objects.filter(pk=third.pk).update(due_at=first.due_at + dt.timedelta(days=1))
    ascending = [c["number"] for c in desk.get("/api/v1/cases/?ordering=due_at").json()["results"]]
    descending = [c["number"] for c in desk.get("/api/v1/cases/?ordering=-due_at").json()["results"]]
    assert ascending == [first.number, third.number, second.number]
    assert descending == [third.number, first.number, second.number]

    assert_error(desk.get("/api/v1/cases/?status=flying"), 400, "invalid")
    assert_error(desk.get("/api/v1/cases/?ordering=worker"), 400, "invalid")
    assert_error(desk.get("/api/v1/cases/?unit=NOPE"), 400, "invalid")
    assert_error(desk.get("/api/v1/cases/?page=99"), 404, "not_found")
    assert_error(desk.get("/api/v1/cases/?q=%00"), 400, "invalid")


def test_tasks_inbox_and_queue(client_for, make_case):
    number = make_case().number
    make_case(accept=False)
    desk = client_for("desk").get("/api/v1/tasks/").json()
    assert desk["inbox_count"] == 1 and desk["inbox"][0]["task"] == "review"
    officer = client_for("officer_enterprise")
    tasks = officer.get("/api/v1/tasks/").json()
    assert tasks["queue_count"] == 1 and tasks["queue"][0]["case"]["number"] == number
    officer.post(f"/api/v1/cases/{number}/actions/claim/", {}, format="json")
    tasks = officer.get("/api/v1/tasks/").json()
    assert tasks["queue_count"] == 0 and tasks["inbox"][0]["assigned_to"] == "officer_enterprise"
    assert_error(officer.get("/api/v1/tasks/?limit=0"), 400)


def test_me_units_categories_channels(client_for, world):
    desk = client_for("desk")
    me = desk.get("/api/v1/me/").json()
    assert me == {
        "username": "desk",
        "name": "接待员小王",
        "roles": ["intake"],
        "unit": {"code": "DEMO-K1", "name": "东城区总工会", "kind": "county_federation"},
    }
    units = desk.get("/api/v1/units/?kind=enterprise&q=DEMO-E1").json()
    expected = {"code": "DEMO-E1", "name": "东方机械制造有限公司", "kind": "enterprise", "parent": "DEMO-K1"}
    assert units["results"][0] == expected
    assert desk.get("/api/v1/units/?kind=government").json()["count"] == 6
    assert desk.get("/api/v1/units/?q=东方机械").json()["count"] >= 1
    assert_error(desk.get("/api/v1/units/?kind=castle"), 400)
    categories = desk.get("/api/v1/categories/").json()
    assert {"code": "wages", "name": "劳动报酬（工资拖欠）"} in categories
    channels = desk.get("/api/v1/channels/").json()
    assert channels and set(channels[0]) == {"code", "name"}


def test_task_pages_match_the_orm_lists(users, make_case):
    """``selectors.task_page`` (written-once SQL, the API's lists) gives the rows, order and
    counts of ``selectors.inbox`` / ``selectors.queue`` (the ORM's, the pages' lists)."""
    from casework import selectors, services

    cases = [make_case() for _ in range(5)]
    for i, case in enumerate(cases):  # distinct deadlines, not in creation order
        Case.objects.filter(pk=case.pk).update(due_at=case.due_at + dt.timedelta(days=(3 * i) % 5))
    officer = users["officer_enterprise"]
    services.task_claim(case=cases[1].pk, actor=officer)
    services.task_claim(case=cases[3].pk, actor=officer)
    for user in (officer, users["desk"], users["supervisor"]):
        for which, orm in (("inbox", selectors.inbox(user)), ("queue", selectors.queue(user))):
            expected = selectors.with_cases(orm)
            for limit in (2, 50):
                rows, count = selectors.task_page(user, which, limit)
                assert count == len(expected)
                assert [(r[0], r[1].name, r[2], r[3], r[5]) for r in rows] == [
                    (t.pk, t.flow_task.name, t.status, t.owner.username if t.owner_id else None, t.case.pk)
                    for t in expected[:limit]
                ]
    assert selectors.task_page(officer, "queue", 50)[1] == 3
    assert selectors.task_page(officer, "inbox", 50)[1] == 2
