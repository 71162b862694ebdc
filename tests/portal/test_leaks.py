"""Nothing internal reaches the worker: every field of the portal's pages and API is checked
against the allow-lists, and the rendered pages against what staff wrote for staff."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from portal import selectors

pytestmark = pytest.mark.django_db

# What the worker may see, field by field (the pages' context and the API's JSON).
ALLOWED = {
    "item": set(selectors.CASE_FIELDS),
    "submission": set(selectors.SUBMISSION_FIELDS),
    "progress": set(selectors.PROGRESS_FIELDS),
    "notices": set(selectors.NOTICE_FIELDS),
    "reply": set(selectors.REPLY_FIELDS),
    "unions": set(selectors.UNION_FIELDS),
    "letter": set(selectors.LETTER_FIELDS),
}
PAGE_CONTEXT = {"title", "view", "items", "letter", "rate_form", "reopen_form", "withdraw_form", "consent_form",
                "union_forms", "error_action", "error_message", "message", "follow", "signed_in", "code_form",
                "phone_form", "form", "reference", "code"}  # fmt: skip
# Written by staff for staff, or about other people: must never appear on the worker's side.
INTERNAL = [
    "资金链断裂",  # an internal note
    "内部意见",  # the escalation's grounds (the enterprise's side)
    "接待员小王", "企业工会李主席", "区总工会张干事", "督导组赵组长",  # officers
    "desk", "officer_", "13800138000",  # officers' usernames and phone
    "周大勇", "13912340002",  # another worker
    "东方机械制造有限公司工会",  # the handling unit at the enterprise level
]  # fmt: skip


def _check_view(view: dict) -> None:
    assert set(view) <= ALLOWED["item"], set(view) - ALLOWED["item"]
    for p in view.get("progress") or []:
        assert set(p) <= ALLOWED["progress"]
    for n in view.get("notices") or []:
        assert set(n) <= ALLOWED["notices"]
    if view.get("reply"):
        assert set(view["reply"]) <= ALLOWED["reply"]
    for u in view.get("unions") or []:
        assert set(u) <= ALLOWED["unions"]


def _walk_json(value, where="") -> None:
    if isinstance(value, dict):
        if "kind" in value:
            _check_view(value)
        for key, inner in value.items():
            _walk_json(inner, f"{where}.{key}")
    elif isinstance(value, list):
        for inner in value:
            _walk_json(inner, where)


def _no_internal(text: str, where: str) -> None:
    for needle in INTERNAL:
        if needle == "东方机械制造有限公司工会":
            # The worker may rate their enterprise union (会员评家): its name is theirs to see.
            continue
        assert needle not in text, f"{where} shows {needle!r}"


@pytest.fixture
def journey(answered, accepted):
    accepted(phone="13912340002", name="周大勇")  # another worker's case, same enterprise
    return answered()


def test_every_field_of_every_portal_page_is_allowed(journey):
    submission, code, case = journey
    client = Client()
    client.post("/portal/follow/", {"via": "code", "reference": case.number, "code": code})
    urls = ["/portal/", "/portal/my/", f"/portal/my/{case.number}/", f"/portal/my/{case.number}/letter/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        context = response.context[0] if isinstance(response.context, list) else response.context
        names = {k for k in context.flatten() if not k.startswith("_")}
        extra = names - PAGE_CONTEXT - _DJANGO_CONTEXT
        assert not extra, f"{url}: context {extra}"
        if "view" in context:
            _check_view(context["view"])
        for v in context.get("items") or []:
            assert set(v) <= ALLOWED["item"] | ALLOWED["submission"]
        if "letter" in context:
            assert set(context["letter"]) <= ALLOWED["letter"]
        _no_internal(response.content.decode(), url)


_DJANGO_CONTEXT = {"True", "False", "None", "csrf_token", "request", "user", "perms", "messages",
                   "DEFAULT_MESSAGE_LEVELS", "staff_profile", "staff_role", "LANGUAGES", "LANGUAGE_CODE",
                   "LANGUAGE_BIDI", "block", "forloop"}  # fmt: skip


def test_every_field_of_the_portal_api_is_allowed(journey):
    _submission, code, case = journey
    api = APIClient()
    token = api.post("/api/v1/portal/access/", {"reference": case.number, "code": code}, format="json").json()["token"]
    api.credentials(HTTP_X_PORTAL_TOKEN=token)
    for url in ("/api/v1/portal/items/", f"/api/v1/portal/items/{case.number}/"):
        response = api.get(url)
        assert response.status_code == 200, url
        body = response.json()
        _walk_json(body)
        _no_internal(response.content.decode(), url)
    rated = api.post(f"/api/v1/portal/items/{case.number}/rating/", {"satisfaction": "satisfied"}, format="json")
    assert rated.status_code == 200
    _walk_json(rated.json())
    _no_internal(rated.content.decode(), "rating")


def test_the_worker_reads_the_reply_but_not_the_staff_side(journey):
    _submission, code, case = journey
    client = Client()
    client.post("/portal/follow/", {"via": "code", "reference": case.number, "code": code})
    page = client.get(f"/portal/my/{case.number}/").content.decode()
    assert "工资已补发，请查收。" in page  # the reply addressed to the worker
    assert "经区总工会协调，企业已补发工资。" in page  # the result
    assert "转工会层面协调办理" in page  # the step, without its grounds
    letter = client.get(f"/portal/my/{case.number}/letter/").content.decode()
    assert "孙小梅 同志" in letter and "联系人" not in letter


def test_what_the_worker_is_told_reaches_them_but_an_internal_note_never(accepted, users):
    from casework import services as cw

    _submission, code, case = accepted()
    officer = users["officer_enterprise"]
    cw.task_claim(case=case.number, actor=officer)
    cw.case_add_note(case=case.number, actor=officer, content="企业财务称资金链断裂（内部记录）")
    cw.case_inform_worker(case=case.number, actor=officer, content="已约企业下周三协商，请保持电话畅通。")
    client = Client()
    client.post("/portal/follow/", {"via": "code", "reference": case.number, "code": code})
    page = client.get(f"/portal/my/{case.number}/")
    assert "已约企业下周三协商" in page.content.decode()
    assert page.context["view"]["notices"][0]["text"] == "已约企业下周三协商，请保持电话畅通。"
    _no_internal(page.content.decode(), "item page")
    api = APIClient()
    token = api.post("/api/v1/portal/access/", {"reference": case.number, "code": code}, format="json").json()["token"]
    api.credentials(HTTP_X_PORTAL_TOKEN=token)
    body = api.get(f"/api/v1/portal/items/{case.number}/")
    notices = body.json()["notices"]
    assert [n["text"] for n in notices] == ["已约企业下周三协商，请保持电话畅通。"]
    _walk_json(body.json())
    _no_internal(body.content.decode(), "item API")
