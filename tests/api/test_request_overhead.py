"""What every API request costs before its own work, and the task list's cost per row.

Query counts only (no timings): the load test (docs/operations.md) depends on them.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from casework import services

from ..conftest import case_input


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries), response.json()


def test_token_request_reads_user_profile_and_unit_in_one_query(client_for, world):
    count, me = _queries(client_for("officer_enterprise"), "/api/v1/me/")
    assert count == 1
    assert me["roles"] == ["officer"] and me["unit"]["code"] == "DEMO-E1-U"


def test_token_user_without_staff_profile(world):
    user = get_user_model().objects.create_user("no_profile", password="x-long-password-1")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    count, me = _queries(client, "/api/v1/me/")
    assert count == 1
    assert me["roles"] == [] and me["unit"] is None
    response = client.get("/api/v1/cases/")
    assert response.status_code == 200 and response.json()["count"] == 0


def test_task_list_is_flat_and_serialises_every_case(client_for, users):
    officer = client_for("officer_enterprise")

    def register(n):
        for _ in range(n):
            services.case_register(actor=users["desk"], data=case_input())

    register(1)
    small, tasks = _queries(officer, "/api/v1/tasks/")
    assert tasks["queue_count"] == 1
    register(6)
    services.task_claim(case=tasks["queue"][0]["case"]["number"], actor=users["officer_enterprise"])
    count, tasks = _queries(officer, "/api/v1/tasks/")
    assert count == small
    assert tasks["queue_count"] == 6 and tasks["inbox_count"] == 1
    numbers = [t["case"]["number"] for t in tasks["queue"]]
    assert len(set(numbers)) == 6
    assert all(t["case"]["worker"]["masked"] for t in tasks["queue"] + tasks["inbox"])
    assert tasks["inbox"][0]["case"]["deadline_state"] in ("ok", "warning", "overdue", "paused", "none")


def test_case_list_reads_only_summary_columns_without_a_query_per_row(client_for, users):
    """The list loads ``selectors.SUMMARY_ONLY``: a summary field left out of it would be
    read back row by row, one query per case."""
    desk = client_for("desk")
    services.case_register(actor=users["desk"], data=case_input())
    small, page = _queries(desk, "/api/v1/cases/")
    assert page["count"] == 1
    for _ in range(5):
        services.case_register(actor=users["desk"], data=case_input(), accept=False)
    count, page = _queries(desk, "/api/v1/cases/")
    assert page["count"] == 6
    assert count == small
    first = page["results"][0]
    assert first["owner"]["username"] == "desk" and first["worker"]["masked"]
    assert first["category"]["code"] == "wages" and first["status"] == "registered"
    assert first["handling_unit"] is None and first["deadline_state"] in {"ok", "warning", "overdue", "none"}
