"""API fixtures: a token client per demo user, and a clean throttle cache per test."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    """An unauthenticated client."""
    return APIClient()


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
