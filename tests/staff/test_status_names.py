"""The ``answered`` status read as union staff say it: 已形成结果·待答复职工, then 已答复·待回访."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casework.models import Case
from casework.selectors import timeline
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
