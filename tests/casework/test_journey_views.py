"""The whole journey through the real pages (Django test client), in Chinese."""

import re

from django.test import Client

from casework.models import Case

from ..conftest import PASSWORD


def _client(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _act(client, case, action, **data):
    case.refresh_from_db()
    response = client.post(f"/cases/{case.number}/act/{action}/", {"version": case.version, **data})
    assert response.status_code == 302, response.content.decode()[-2000:]
    case.refresh_from_db()
    return response


INTAKE = {
    "name": "李秀英",
    "gender": "female",
    "phone": "139 1234 5678",
    "id_number": "11010519491231002x",
    "enterprise": "DEMO-E1",
    "category": "wages",
    "channel": "reception_day",
    "summary": "车间二十名职工被拖欠两个月工资。",
    "request": "要求企业一次性支付拖欠工资。",
    "workers_involved": "20",
    "consent": "on",
    "accept": "on",
}


def _register(users) -> Case:
    desk = _client(users["desk"])
    page = desk.get("/cases/new/")
    assert page.status_code == 200 and "登记受理" in page.content.decode()
    response = desk.post("/cases/new/", INTAKE)
    assert response.status_code == 302
    number = re.search(r"/cases/([^/]+)/receipt/", response["Location"]).group(1)
    receipt = desk.get(response["Location"]).content.decode()
    assert number in receipt and "受理回执" in receipt and "首问负责人" in receipt
    case = Case.objects.get(number=number)
    assert case.owner == users["desk"] and case.status == "enterprise"
    assert case.worker.phone == "13912345678" and case.worker.id_number == "11010519491231002X"
    return case


def test_full_journey_to_closed(users):
    case = _register(users)
    enterprise = _client(users["officer_enterprise"])
    queue = enterprise.get("/cases/queue/").content.decode()
    assert case.number in queue
    _act(enterprise, case, "claim")
    assert case.number in enterprise.get("/cases/inbox/").content.decode()
    _act(enterprise, case, "note", content="已约谈企业负责人。")
    _act(enterprise, case, "escalate", reason="企业资金困难，无力支付。")
    assert case.status == "union"

    union = _client(users["officer_union"])
    assert case.number in union.get("/cases/queue/").content.decode()
    _act(union, case, "escalate", reason="需人社部门劳动监察介入。", to_unit="DEMO-K1-G1")
    assert case.status == "government" and case.handling_unit.code == "DEMO-K1-G1"

    government = _client(users["officer_government"])
    _act(government, case, "resolve", outcome="resolved", result="劳动监察责令企业限期支付，已全部到账。")
    assert case.status == "answered" and case.outcome == "resolved"

    desk = _client(users["desk"])
    assert case.number in desk.get("/cases/inbox/").content.decode()
    _act(desk, case, "reply", method="phone", content="已电话告知职工工资已到账。")
    _act(desk, case, "followup", satisfaction="satisfied", comment="感谢工会")
    assert case.status == "closed" and case.satisfaction == "satisfied"

    page = desk.get(f"/cases/{case.number}/").content.decode()
    for text in ("已办结", "企业层面", "工会层面", "党委政府层面", "登记", "上报上一层级", "回访", "接待员小王"):
        assert text in page, text
    actions = [row.last_action for row in case.history.order_by("history_date", "history_id")]
    assert actions == [
        "register",
        "accept",
        "claim",
        "note",
        "escalate",
        "escalate",
        "resolve",
        "reply",
        "follow_up",
    ]


def test_reopen_path_through_pages(users):
    case = _register(users)
    enterprise = _client(users["officer_enterprise"])
    _act(enterprise, case, "resolve", outcome="partly_resolved", result="企业支付了一半工资。")
    desk = _client(users["desk"])
    _act(desk, case, "reply", method="letter", content="书面告知")
    _act(desk, case, "followup", satisfaction="dissatisfied", comment="只付了一半")
    assert case.status == "closed"
    _act(desk, case, "reopen", reason="职工不满意，申请复查。")
    assert case.status == "union" and case.reopen_count == 1
    assert case.number in _client(users["officer_union"]).get("/cases/queue/").content.decode()


def test_bad_input_on_the_intake_page_writes_nothing(users):
    desk = _client(users["desk"])
    bad = {**INTAKE, "id_number": "110105194912310021", "phone": "12345", "enterprise": "NOPE", "consent": ""}
    response = desk.post("/cases/new/", bad)
    assert response.status_code == 422
    text = response.content.decode()
    assert "校验位" in text and "电话" in text and "同意" in text
    assert Case.objects.count() == 0
    response = desk.post("/cases/new/", {**INTAKE, "enterprise": "NOPE"})
    alerts = re.findall(r'role="alert"[^>]*>([^<]*)<', response.content.decode())
    assert response.status_code == 422 and any("企业" in alert for alert in alerts)
    assert Case.objects.count() == 0


def test_stale_page_is_told_the_case_changed(users):
    case = _register(users)
    client = _client(users["officer_enterprise"])
    stale = case.version
    _act(client, case, "note", content="第一条记录")
    response = client.post(f"/cases/{case.number}/act/escalate/", {"version": stale, "reason": "过期页面"})
    assert response.status_code == 422
    assert "已被他人更新" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "enterprise"


def test_action_not_allowed_is_a_message_not_a_500(users):
    case = _register(users)
    client = _client(users["desk"])
    response = client.post(
        f"/cases/{case.number}/act/followup/", {"version": case.version, "satisfaction": "satisfied"}
    )
    assert response.status_code == 422
    assert "不能执行此操作" in response.content.decode()
    assert client.get(f"/cases/{case.number}/act/nonsense/").status_code == 404
