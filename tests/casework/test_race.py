"""Two officers escalate the same case at the same moment, on SQLite (the embedded default of
``make run``) as on PostgreSQL: one gets 200, the other 409 "案件已被他人更新", and the case
has one new history row — never a 503 "database is locked".

On PostgreSQL the second waits for the first one's case row lock; on SQLite for the first
one's write lock, which ``BEGIN IMMEDIATE`` takes when the transaction starts (settings).
Either way the second then reads the version the first wrote."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from casework.demo import staff_ensure
from casework.models import Case, OrgUnit
from casework.models.org import Role

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_two_officers_escalating_at_once_get_one_200_and_one_409(users, make_case):
    second = staff_ensure(
        username="officer_e1_b", password=PASSWORD, unit=OrgUnit.objects.get(code="DEMO-E1-U"), role=Role.OFFICER
    )
    case = make_case()
    rows_before = case.history.count()
    clients = [_client(users["officer_enterprise"]), _client(second)]
    barrier = threading.Barrier(2)
    responses: list = []

    def escalate(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            body = {"reason": f"同时上报 {i}", "version": case.version}
            responses.append(clients[i].post(f"/api/v1/cases/{case.number}/actions/escalate/", body, format="json"))
        finally:
            connection.close()

    threads = [threading.Thread(target=escalate, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert sorted(r.status_code for r in responses) == [200, 409], [r.content[:300] for r in responses]
    refused = next(r for r in responses if r.status_code == 409)
    assert refused.json()["code"] == "conflict" and "已被他人更新" in refused.json()["message"]
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.status == "union"
    assert fresh.history.count() == rows_before + 1
    assert fresh.stages.filter(level="union").count() == 1
