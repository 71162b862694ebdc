"""内部记录 vs 告知职工: an internal note stays on the staff side; what the worker is told
(``inform``, the 不予受理 guidance, the 答复) is shown apart on the case page, in separate API
fields, and only that reaches the portal."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from casework import services
from casework.models import Case

NOTE = "企业负责人态度消极，内部掌握"
TOLD = "已约企业负责人下周三协商，请保持电话畅通。"


@pytest.fixture
def api_for(users):
    def _client(name):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=users[name])[0].key}")
        return client

    return _client


@pytest.fixture
def case(make_case, users):
    case = make_case()
    officer = users["officer_enterprise"]
    services.task_claim(case=case.number, actor=officer)
    services.case_add_note(case=case.number, actor=officer, content=NOTE)
    services.case_inform_worker(case=case.number, actor=officer, content=TOLD)
    return Case.objects.get(pk=case.pk)


def _section(html: str, name: str) -> str:
    start = html.index(f'data-section="{name}"')
    return html[start : html.index("</section>", start)]


def test_the_case_page_shows_internal_notes_and_what_the_worker_was_told_apart(case, client, users):
    client.force_login(users["supervisor"])
    html = client.get(f"/cases/{case.number}/").content.decode()
    told, internal = _section(html, "told"), _section(html, "internal")
    assert TOLD in told and NOTE not in told
    assert NOTE in internal and TOLD not in internal


def test_the_api_has_separate_fields(case, api_for):
    body = api_for("supervisor").get(f"/api/v1/cases/{case.number}/").json()
    assert [(n["action"], n["text"]) for n in body["internal_notes"]] == [("note", NOTE)]
    assert [(n["action"], n["text"]) for n in body["told_worker"]] == [("inform", TOLD)]
    assert body["told_worker"][0]["actor"]["username"] == "officer_enterprise"


def test_the_reply_and_the_guidance_are_what_the_worker_was_told(make_case, users, api_for):
    refused = make_case(accept=False)
    services.case_not_accept(case=refused.number, actor=users["desk"], guidance="请向劳动人事争议仲裁委员会申请仲裁。")
    body = api_for("desk").get(f"/api/v1/cases/{refused.number}/").json()
    assert [n["action"] for n in body["told_worker"]] == ["not_accept"]
    assert body["internal_notes"] == []


def test_inform_through_the_page_and_the_api(make_case, users, client, api_for):
    case = make_case()
    client.force_login(users["desk"])  # the 首问负责人 keeps in touch with the worker
    page = client.get(f"/cases/{case.number}/")
    assert f"/cases/{case.number}/act/inform/" in page.content.decode()
    response = client.post(f"/cases/{case.number}/act/inform/", {"content": TOLD, "version": case.version})
    assert response.status_code == 302
    answered = api_for("desk").post(
        f"/api/v1/cases/{case.number}/actions/inform/", {"content": "材料已转企业工会。"}, format="json"
    )
    assert answered.status_code == 200
    assert [n["text"] for n in answered.json()["told_worker"]] == [TOLD, "材料已转企业工会。"]
    assert answered.json()["internal_notes"] == []


def test_inform_refuses_what_it_should(make_case, users, client, api_for):
    case = make_case()
    version = Case.objects.get(pk=case.pk).version
    # Empty text: a Chinese error, nothing written.
    empty = api_for("desk").post(f"/api/v1/cases/{case.number}/actions/inform/", {"content": "  "}, format="json")
    assert empty.status_code == 400 and "content" in empty.json()["fields"]
    client.force_login(users["desk"])
    page = client.post(f"/cases/{case.number}/act/inform/", {"content": "", "version": version})
    assert page.status_code == 422 and "该字段是必填项。" in page.content.decode()
    # An officer of a unit not handling the case sees it not at all, or may not act.
    other_unit = api_for("officer_union").post(
        f"/api/v1/cases/{case.number}/actions/inform/", {"content": TOLD}, format="json"
    )
    assert other_unit.status_code in (403, 404)
    elsewhere = api_for("officer_elsewhere").post(
        f"/api/v1/cases/{case.number}/actions/inform/", {"content": TOLD}, format="json"
    )
    assert elsewhere.status_code == 404
    client.force_login(users["officer_elsewhere"])
    assert client.post(f"/cases/{case.number}/act/inform/", {"content": TOLD, "version": version}).status_code == 404
    # The supervisor sees the case but does not talk to the worker on it.
    supervisor = api_for("supervisor").post(
        f"/api/v1/cases/{case.number}/actions/inform/", {"content": TOLD}, format="json"
    )
    assert supervisor.status_code == 403
    assert Case.objects.get(pk=case.pk).version == version
    assert not Case.history.filter(id=case.pk, last_action="inform").exists()


def test_a_closed_case_takes_no_inform(make_case, users, api_for):
    case = make_case(accept=False)
    services.case_not_accept(case=case.number, actor=users["desk"], guidance="请向仲裁委申请仲裁。")
    response = api_for("desk").post(f"/api/v1/cases/{case.number}/actions/inform/", {"content": TOLD}, format="json")
    assert response.status_code == 409
