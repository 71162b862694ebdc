"""The ``answered`` status read as union staff say it: 已形成结果·待答复职工, then 已答复·待回访."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from casework.models import Case
from casework.notify import case_context
from casework.selectors import timeline
from notifications.models import ChannelCode
from notifications.rendering import render_message
from reports.exports import ledger_rows
from tests.casework.helpers import bring_to

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db

UNREPLIED = "已形成结果·待答复职工"
REPLIED = "已答复·待回访"


def _page(client, user, case) -> str:
    assert client.login(username=user.username, password=PASSWORD)
    return client.get(reverse("casework:detail", args=[case.number])).content.decode()


def _api_label(client, user, case) -> str:
    assert client.login(username=user.username, password=PASSWORD)
    detail = client.get(f"/api/v1/cases/{case.number}/").json()["status_label"]
    listed = {c["number"]: c["status_label"] for c in client.get("/api/v1/cases/").json()["results"]}
    assert listed[case.number] == detail
    return detail


def test_a_result_not_yet_told_to_the_worker(client, users, make_case):
    case = bring_to("answered", users, make_case)
    assert case.get_status_display() == UNREPLIED
    page = _page(client, users["desk"], case)
    assert f"{case.number} · {UNREPLIED}" in page
    assert "已答复" not in page.split("<h2", 2)[1].split("</h2>")[0]
    assert _api_label(client, users["desk"], case) == UNREPLIED
    row = next(r for r in ledger_rows(Case.objects.filter(pk=case.pk)))
    assert row[-1] == UNREPLIED


def test_after_the_reply_it_waits_for_the_follow_up(client, users, make_case):
    case = bring_to("replied", users, make_case)
    assert case.get_status_display() == REPLIED
    assert f"{case.number} · {REPLIED}" in _page(client, users["desk"], case)
    assert _api_label(client, users["desk"], case) == REPLIED
    assert next(iter(ledger_rows(Case.objects.filter(pk=case.pk))))[-1] == REPLIED
    reply = [e for e in timeline(case) if e.action == "reply"][-1]
    assert (reply.from_label, reply.to_label) == (UNREPLIED, REPLIED)
    resolve = [e for e in timeline(case) if e.action == "resolve"][-1]
    assert resolve.to_label == UNREPLIED


def test_closed_reads_closed(users, make_case):
    case = bring_to("closed", users, make_case, satisfaction="satisfied")
    assert case.get_status_display() == "已办结"
    follow_up = timeline(case)[-1]
    assert (follow_up.from_label, follow_up.to_label) == (REPLIED, "已办结")


def _dashboard_row(client, user, name: str) -> str:
    """The dashboard's 时限总览 row named ``name``: its open count."""
    assert client.login(username=user.username, password=PASSWORD)
    html = client.get(reverse("reports:dashboard")).content.decode()
    found = re.search(rf'<th scope="row">{re.escape(name)}</th><td>(\d+)</td>', html)
    assert found, name
    return found.group(1)


def test_the_dashboard_counts_the_two_steps_apart(client, users, make_case):
    bring_to("answered", users, make_case)
    bring_to("replied", users, make_case)
    assert _dashboard_row(client, users["supervisor"], UNREPLIED) == "1"
    assert _dashboard_row(client, users["supervisor"], REPLIED) == "1"


def test_the_list_filters_each_step(client, users, make_case):
    unreplied = bring_to("answered", users, make_case)
    replied = bring_to("replied", users, make_case)
    assert client.login(username=users["desk"].username, password=PASSWORD)
    page = client.get("/cases/all/").content.decode()
    assert f'<option value="answered_unreplied">{UNREPLIED}</option>' in page
    assert f'<option value="answered_replied">{REPLIED}</option>' in page
    shown = {}
    for value in ("answered_unreplied", "answered_replied", "answered"):
        html = client.get("/cases/all/", {"status": value}).content.decode()
        shown[value] = {c.number for c in (unreplied, replied) if c.number in html}
    assert shown == {
        "answered_unreplied": {unreplied.number},
        "answered_replied": {replied.number},
        "answered": {unreplied.number, replied.number},
    }


def test_notifications_name_the_step(users, make_case):
    """The 当前状态 line of a staff notification (here 催办's) names the step, not 已形成结果."""
    for state, name in (("answered", UNREPLIED), ("replied", REPLIED)):
        case = bring_to(state, users, make_case)
        context = case_context(case, action="urge", actor=users["supervisor"], reason="请尽快回访")
        assert context["status_label"] == name
        _subject, body = render_message("urge", ChannelCode.IN_APP, context)
        assert f"当前状态：{name}" in body, body
