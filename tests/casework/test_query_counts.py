"""Pages cost a fixed number of queries however much data there is (house rule 3)."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from casework import services

from ..conftest import PASSWORD, case_input


def _client(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _count(client, url, method="get", data=None):
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302), response.status_code
    return len(ctx.captured_queries)


def _claimed_cases(users, n):
    for _ in range(n):
        case = services.case_register(actor=users["desk"], data=case_input())
        services.task_claim(case=case.number, actor=users["officer_enterprise"])
    return case


def test_inbox_and_queue_are_flat(users):
    officer = _client(users["officer_enterprise"])
    _claimed_cases(users, 2)
    services.case_register(actor=users["desk"], data=case_input())
    inbox_small = _count(officer, "/cases/inbox/")
    queue_small = _count(officer, "/cases/queue/")
    _claimed_cases(users, 12)
    services.case_register(actor=users["desk"], data=case_input())
    assert _count(officer, "/cases/inbox/") == inbox_small
    assert _count(officer, "/cases/queue/") == queue_small
    assert inbox_small <= 15


def test_case_page_is_flat(users):
    desk = _client(users["desk"])
    case = _claimed_cases(users, 1)
    small = _count(desk, f"/cases/{case.number}/")
    for i in range(8):
        services.case_add_note(case=case.number, actor=users["officer_enterprise"], content=f"记录{i}")
    assert _count(desk, f"/cases/{case.number}/") == small
    assert small <= 30
