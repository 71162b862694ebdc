"""Every action of the registry through ``POST /cases/{number}/actions/{action}/``, by the
role that may take it, and refused (403/409/400) for the ones that may not."""

from __future__ import annotations

import pytest

from casework.actions import ACTIONS

from .conftest import act, assert_error


def test_the_ladder_end_to_end(client_for, make_case):
    """register → accept → claim → note → escalate ×2 → resolve → reply → followup: closed."""
    desk, ent = client_for("desk"), client_for("officer_enterprise")
    number = make_case(accept=False).number

    r = act(desk, number, "accept", reason="受理")
    assert r.status_code == 200 and r.json()["status"] == "enterprise"
    assert act(ent, number, "claim").json()["status"] == "enterprise"
    assert act(ent, number, "release").status_code == 200
    assert act(ent, number, "claim").status_code == 200
    assert act(ent, number, "note", content="已约谈企业负责人").status_code == 200
    assert act(ent, number, "escalate", reason="企业无力解决").json()["status"] == "union"
    union = client_for("officer_union")
    r = act(union, number, "escalate", reason="需政府协调", to_unit="DEMO-K1-G1")
    assert r.json()["status"] == "government" and r.json()["handling_unit"]["code"] == "DEMO-K1-G1"
    gov = client_for("officer_government")
    r = act(gov, number, "resolve", outcome="resolved", result="已足额支付")
    assert r.json()["status"] == "answered" and r.json()["outcome"] == "resolved"
    assert act(desk, number, "reply", method="phone", content="已电话告知").json()["reply_method"] == "phone"
    r = act(desk, number, "followup", satisfaction="satisfied", comment="满意")
    body = r.json()
    assert body["status"] == "closed" and body["satisfaction"] == "satisfied"
    actions = [e["action"] for e in body["timeline"]]
    assert actions[:2] == ["register", "accept"] and actions[-1] == "followup"
    assert {"claim", "release", "note", "escalate", "resolve", "reply"} <= set(actions)


def test_not_accept_withdraw_merge_close_reopen(client_for, make_case):
    desk = client_for("desk")
    a = make_case(accept=False).number
    r = act(desk, a, "not_accept", guidance="请向劳动仲裁委员会申请仲裁")
    assert r.json()["status"] == "not_accepted" and r.json()["outcome"] == "not_accepted"

    b = make_case().number
    assert act(desk, b, "withdraw", reason="职工撤回").json()["status"] == "withdrawn"

    c, d = make_case().number, make_case().number
    r = act(desk, c, "merge", into=d, reason="重复")
    assert r.json()["status"] == "merged" and r.json()["merged_into"] == d

    e = make_case().number
    act(client_for("officer_enterprise"), e, "resolve", outcome="explained", result="已解释")
    act(desk, e, "reply", method="sms", content="已短信告知")
    assert act(desk, e, "close").json()["status"] == "closed"
    r = act(desk, e, "reopen", reason="职工不满意，申请复查")
    assert r.json()["status"] == "union"


def test_handover_take_charge_flag_systemic(client_for, make_case):
    number = make_case().number
    leader = client_for("leader")
    r = act(leader, number, "take_charge", reason="领导包案")
    assert r.json()["leader"]["username"] == "leader"
    r = act(client_for("desk"), number, "handover", to="officer_union", reason="调岗")
    assert r.json()["owner"]["username"] == "officer_union"
    r = act(client_for("supervisor"), number, "flag_systemic", reason="同类问题多发")
    assert r.json()["systemic"] is True


def test_escalation_actions_come_from_the_registry(client_for, make_case):
    """pause / resume / request_extension / approve_extension / urge are registered by
    escalation; the endpoint picks them up without knowing them."""
    for code in ("pause", "resume", "request_extension", "approve_extension", "urge"):
        if code not in ACTIONS:
            pytest.skip(f"{code} not registered")
    number = make_case().number
    ent = client_for("officer_enterprise")
    r = act(ent, number, "pause", reason="等待司法鉴定")
    assert r.status_code == 200, r.json()
    assert r.json()["deadline_state"] == "paused"
    r = act(ent, number, "resume")
    assert r.status_code == 200 and r.json()["deadline_state"] != "paused"
    r = act(ent, number, "request_extension", days=10, reason="需补充材料")
    assert r.status_code == 200, r.json()
    assert "approve_extension" in client_for("leader").get(f"/api/v1/cases/{number}/").json()["allowed_actions"]
    assert act(client_for("leader"), number, "approve_extension").status_code == 200
    assert act(client_for("supervisor"), number, "urge", message="请加快办理").status_code == 200
    assert act(ent, number, "request_extension", days="many", reason="x").status_code == 400


def test_every_registered_action_has_a_body_schema(api):
    schema = api.get("/api/v1/schema/?format=json").json()
    path = schema["paths"]["/api/v1/cases/{number}/actions/{action}/"]["post"]
    enum = next(p for p in path["parameters"] if p["name"] == "action")["schema"]["enum"]
    assert set(enum) == set(ACTIONS)


# --- refusals -------------------------------------------------------------------------------


def test_wrong_role_is_403(client_for, make_case):
    number = make_case().number
    body = assert_error(act(client_for("supervisor"), number, "resolve", outcome="resolved", result="x"), 403)
    assert body["code"] == "forbidden"
    assert_error(act(client_for("officer_enterprise"), number, "withdraw", reason="x"), 403, "forbidden")


def test_wrong_status_is_409(client_for, make_case):
    number = make_case().number
    body = assert_error(act(client_for("desk"), number, "accept"), 409, "invalid_status")
    assert "企业层面办理" in body["message"]
    assert_error(act(client_for("desk"), number, "close"), 409, "invalid_status")


def test_stale_version_is_409_conflict(client_for, make_case):
    case = make_case()
    ent = client_for("officer_enterprise")
    assert_error(act(ent, case.number, "note", content="x", version=case.version - 1), 409, "conflict")
    assert act(ent, case.number, "note", content="x", version=case.version).status_code == 200


def test_bad_fields_are_400_per_field(client_for, make_case):
    number = make_case().number
    ent = client_for("officer_enterprise")
    body = assert_error(act(ent, number, "resolve", outcome="maybe", result="x"), 400, "invalid")
    assert "outcome" in body["fields"]
    body = assert_error(act(ent, number, "resolve", outcome="resolved"), 400, "invalid")
    assert "result" in body["fields"]
    body = assert_error(act(ent, number, "escalate", reason="x", bogus=1), 400)
    assert body["fields"] == {"bogus": ["未知字段。"]}
    body = assert_error(act(ent, number, "note", content=["a", "b"]), 400)
    assert "content" in body["fields"]
    body = assert_error(act(ent, number, "note", content="  "), 400)
    assert "content" in body["fields"]
    body = assert_error(act(client_for("desk"), number, "merge", into="GH-0000-000000"), 400)
    assert "into" in body["fields"]


def test_unknown_action_and_invisible_case_are_404(client_for, make_case):
    number = make_case().number
    assert_error(act(client_for("desk"), number, "fly"), 404, "unknown_action")
    # officer_elsewhere works in another county: the case does not exist for them.
    assert_error(act(client_for("officer_elsewhere"), number, "note", content="x"), 404, "not_found")
    assert_error(act(client_for("officer_elsewhere"), number, "fly"), 404, "not_found")
