"""Issue #21 item 5: no 503 after the write committed, and ``Idempotency-Key`` on the API's POSTs.

- The answer is built inside the write's transaction: a failure while re-reading the case
  rolls the registration back (before: the case existed and the client was told to retry).
- A repeated key by the same user returns the first answer (same status and body) and writes
  nothing; the same key with another body is 422 in Chinese; keys are per user; a refused
  request keeps no key; keys expire after 24 h and the periodic job purges them.
- Every authenticated POST handler under /api/v1/ is wrapped (the URLconf is walked).
- Two requests with one key at once (threads, both databases): one case, two equal answers.
"""

from __future__ import annotations

import datetime as dt
import threading
from unittest import mock

import pytest
import time_machine
from django.db import OperationalError, connection
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from casework.models import Case
from idempotency.models import IdempotencyKey
from idempotency.services import idempotency_keys_purge

BODY = {
    "worker": {"name": "王建国", "gender": "male", "phone": "13912345678"},
    "enterprise": "DEMO-E1",
    "category": "wages",
    "channel": "reception_day",
    "summary": "拖欠工资三个月。",
    "request": "支付工资。",
    "consent": True,
}


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _post(client, body=None, key=None, url="/api/v1/cases/"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(url, body if body is not None else BODY, format="json", **headers)


@pytest.mark.django_db
class TestKeys:
    def test_repeated_key_returns_the_first_answer_and_writes_once(self, users):
        client = _api(users["desk"])
        first = _post(client, key="reg-0001")
        second = _post(client, key="reg-0001")
        assert first.status_code == second.status_code == 201
        assert second.json() == first.json()
        assert second["Idempotent-Replayed"] == "true"
        assert Case.objects.count() == 1

    def test_without_a_key_each_post_registers(self, users):
        client = _api(users["desk"])
        assert _post(client).status_code == _post(client).status_code == 201
        assert Case.objects.count() == 2

    def test_same_key_other_body_is_422_in_chinese(self, users):
        client = _api(users["desk"])
        assert _post(client, key="k-1").status_code == 201
        other = _post(client, {**BODY, "summary": "另一件事。"}, key="k-1")
        assert other.status_code == 422
        assert other.json()["code"] == "idempotency_key_reused" and "Idempotency-Key" in other.json()["message"]
        assert "请求" in other.json()["message"]
        assert Case.objects.count() == 1

    def test_keys_are_per_user(self, users):
        assert _post(_api(users["desk"]), key="shared").status_code == 201
        assert _post(_api(users["admin"]), key="shared").status_code == 201
        assert Case.objects.count() == 2

    @pytest.mark.parametrize("key", ["", "has space", "x" * 101, "中文键"])
    def test_malformed_key_is_400(self, users, key):
        response = _post(_api(users["desk"]), key=key)
        assert response.status_code == 400
        assert "Idempotency-Key" in str(response.json())
        assert not Case.objects.exists()

    def test_a_refused_request_keeps_no_key(self, users):
        client = _api(users["desk"])
        refused = _post(client, {**BODY, "consent": False}, key="k-2")
        assert refused.status_code == 400
        assert not IdempotencyKey.objects.exists()
        assert _post(client, key="k-2").status_code == 201

    def test_action_with_a_key_is_applied_once(self, users, make_case):
        case = make_case()
        client = _api(users["desk"])
        url = f"/api/v1/cases/{case.number}/actions/note/"
        first = _post(client, {"content": "联系企业。"}, key="note-1", url=url)
        second = _post(client, {"content": "联系企业。"}, key="note-1", url=url)
        assert first.status_code == second.status_code == 200
        assert second.json() == first.json()
        assert Case.objects.get(pk=case.pk).version == case.version + 1

    def test_keys_expire_and_are_purged(self, users):
        client = _api(users["desk"])
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            assert _post(client, key="old").status_code == 201
        with time_machine.travel(start + dt.timedelta(hours=23), tick=False):
            assert idempotency_keys_purge() == 0
            assert _post(client, key="old")["Idempotent-Replayed"] == "true"
        with time_machine.travel(start + dt.timedelta(hours=25), tick=False):
            assert idempotency_keys_purge() == 1
            assert not IdempotencyKey.objects.exists()
            assert _post(client, key="old").status_code == 201  # a new request now
        assert Case.objects.count() == 2

    def test_the_answer_is_built_inside_the_transaction(self, users):
        """The re-read after the service fails (a dropped connection): nothing stays written."""
        with mock.patch("casework.api.views.case_detail_data", side_effect=OperationalError("connection lost")):
            response = _post(_api(users["desk"]), key="k-3")
        assert response.status_code == 503
        assert not Case.objects.exists()
        assert not IdempotencyKey.objects.exists()


def _post_views():
    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), p.callback

    for route, callback in walk(get_resolver().url_patterns):
        cls = getattr(callback, "cls", None)
        if route.startswith("api/v1/") and cls is not None and hasattr(cls, "post"):
            yield route, cls


# Anonymous endpoints: no user to key on, and their failed-attempt counters must survive a refusal.
ANONYMOUS_POSTS = ("api/v1/auth/token/", "api/v1/portal/")


def test_every_authenticated_api_post_is_idempotent():
    routes = list(_post_views())
    assert len(routes) >= 3
    missing = [
        route
        for route, cls in routes
        if not route.startswith(ANONYMOUS_POSTS) and not getattr(cls.post, "idempotent", False)
    ]
    assert not missing, missing


@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_key_at_once_register_one_case(users):
    token = Token.objects.get_or_create(user=users["desk"])[0].key
    barrier = threading.Barrier(2)
    responses: list = []

    def register() -> None:
        try:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
            barrier.wait(timeout=10)
            responses.append(_post(client, key="same-moment"))
        finally:
            connection.close()

    threads = [threading.Thread(target=register) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert [r.status_code for r in responses] == [201, 201], [r.content[:300] for r in responses]
    assert responses[0].json() == responses[1].json()
    assert Case.objects.count() == 1
