"""The contract of issue 4: these paths, methods and fields must not be renamed.

Checked twice: in the OpenAPI document the API serves, and in live responses.
"""

from __future__ import annotations

import pytest

CONTRACT_PATHS = {
    "/api/v1/auth/token/": {"post"},
    "/api/v1/cases/": {"get", "post"},
    "/api/v1/cases/{number}/": {"get"},
    "/api/v1/cases/{number}/actions/{action}/": {"post"},
    "/api/v1/tasks/": {"get"},
    "/api/v1/me/": {"get"},
    "/api/v1/units/": {"get"},
    "/api/v1/categories/": {"get"},
    "/api/v1/channels/": {"get"},
    "/api/v1/schema/": {"get"},
}
CASE_FIELDS = {
    "number", "status", "level", "handling_unit", "owner", "leader", "category", "channel", "summary",
    "request", "outcome", "satisfaction", "received_at", "due_at", "deadline_state", "worker",
    "allowed_actions", "timeline",
}  # fmt: skip
TIMELINE_FIELDS = {"at", "actor", "action", "from_status", "to_status", "reason"}
REGISTER_FIELDS = {
    "worker", "enterprise", "category", "channel", "summary", "request", "workers_involved", "urgent", "consent",
}  # fmt: skip
CONTRACT_ACTIONS = {
    "accept", "not_accept", "escalate", "resolve", "reply", "followup", "close", "reopen", "withdraw", "merge",
    "handover", "take_charge", "flag_systemic",
}  # fmt: skip
ACTION_FIELDS = {"outcome", "result", "method", "content", "satisfaction", "comment", "into", "to", "reason"}
ESCALATION_ACTIONS = {"request_extension", "approve_extension", "pause", "resume"}


@pytest.fixture
def document(api, db):
    r = api.get("/api/v1/schema/?format=json")
    assert r.status_code == 200
    return r.json()


def _props(document, ref: str) -> dict:
    name = ref.rsplit("/", 1)[-1]
    return document["components"]["schemas"][name]["properties"]


def test_schema_is_openapi_3_with_the_contract_paths(document):
    assert document["openapi"].startswith("3.")
    for path, methods in CONTRACT_PATHS.items():
        assert path in document["paths"], path
        assert methods <= set(document["paths"][path]), path


def test_schema_lists_the_contract_fields(document):
    detail = document["paths"]["/api/v1/cases/{number}/"]["get"]["responses"]["200"]
    case = _props(document, detail["content"]["application/json"]["schema"]["$ref"])
    assert set(case) >= CASE_FIELDS
    timeline = _props(document, case["timeline"]["items"]["$ref"])
    assert set(timeline) >= TIMELINE_FIELDS
    body = document["paths"]["/api/v1/cases/"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert set(_props(document, body["$ref"])) >= REGISTER_FIELDS
    listing = document["paths"]["/api/v1/cases/"]["get"]
    params = {p["name"] for p in listing["parameters"]}
    assert {"status", "level", "category", "channel", "unit", "overdue", "warning", "q", "ordering", "page"} <= params
    token = document["paths"]["/api/v1/auth/token/"]["post"]["responses"]["200"]["content"]["application/json"]
    assert set(_props(document, token["schema"]["$ref"])) == {"token", "expires_at"}
    me = document["paths"]["/api/v1/me/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert {"username", "roles", "unit"} <= set(_props(document, me["$ref"]))


def test_schema_lists_the_contract_actions_and_their_fields(document):
    op = document["paths"]["/api/v1/cases/{number}/actions/{action}/"]["post"]
    enum = set(next(p for p in op["parameters"] if p["name"] == "action")["schema"]["enum"])
    assert enum >= CONTRACT_ACTIONS
    body = _props(document, op["requestBody"]["content"]["application/json"]["schema"]["$ref"])
    assert ACTION_FIELDS | {"version"} <= set(body)


def test_schema_documents_error_responses(document):
    op = document["paths"]["/api/v1/cases/{number}/actions/{action}/"]["post"]
    assert {"400", "401", "403", "404", "409", "413", "429"} <= set(op["responses"])
    error = _props(document, op["responses"]["409"]["content"]["application/json"]["schema"]["$ref"])
    assert set(error) == {"status", "code", "message", "fields"}


def test_escalation_actions_are_listed_when_registered(document):
    from casework.actions import ACTIONS

    op = document["paths"]["/api/v1/cases/{number}/actions/{action}/"]["post"]
    enum = set(next(p for p in op["parameters"] if p["name"] == "action")["schema"]["enum"])
    assert (ESCALATION_ACTIONS & set(ACTIONS)) <= enum


def test_live_responses_carry_the_contract_fields(client_for, make_case):
    number = make_case().number
    desk = client_for("desk")
    listing = desk.get("/api/v1/cases/").json()
    assert set(listing) == {"count", "next", "previous", "results"}
    detail = desk.get(f"/api/v1/cases/{number}/").json()
    assert set(detail) >= CASE_FIELDS
    assert set(detail["timeline"][0]) >= TIMELINE_FIELDS
    assert detail["deadline_state"] in {"ok", "warning", "overdue", "paused", "none"}
    assert set(desk.get("/api/v1/me/").json()) >= {"username", "roles", "unit"}
    assert set(desk.get("/api/v1/me/").json()["unit"]) == {"code", "name", "kind"}
    assert set(desk.get("/api/v1/units/").json()["results"][0]) == {"code", "name", "kind", "parent"}
    assert set(desk.get("/api/v1/categories/").json()[0]) == {"code", "name"}
    assert set(desk.get("/api/v1/channels/").json()[0]) == {"code", "name"}
    assert {"inbox", "queue"} <= set(desk.get("/api/v1/tasks/").json())


def test_docs_page_is_served_without_a_cdn(api, db):
    r = api.get("/api/v1/docs/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "swagger-ui" in html and "cdn" not in html.lower() and "//unpkg" not in html
