"""API fixtures: a token client per demo user, and a clean throttle cache per test."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    """An unauthenticated client."""
    return APIClient()


@pytest.fixture
def client_for(users):
    """``client_for("desk")``: a client sending that demo user's token."""

    def _client(name: str) -> APIClient:
        user = users.get(name)
        if user is None:
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.get(username=name)
        token, _ = Token.objects.get_or_create(user=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return _client


def act(client, number: str, action: str, **body):
    return client.post(f"/api/v1/cases/{number}/actions/{action}/", body, format="json")


def assert_error(response, status: int, code: str | None = None):
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) >= {"status", "code", "message", "fields"}
    assert body["status"] == status
    assert body["message"]
    if code is not None:
        assert body["code"] == code, body
    return body
