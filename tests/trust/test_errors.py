"""A 500 page and a JSON 500 show a reference id, never a traceback; the log has the id."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.trust.urls_boom")]


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def _logged_reference(caplog, reference):
    records = [r for r in caplog.records if r.name == "casework.errors" and reference in r.getMessage()]
    assert records and records[0].exc_info, "the error is logged with its reference and traceback"


def test_page_500_shows_a_reference_not_a_traceback(client, caplog):
    with caplog.at_level(logging.ERROR, logger="casework.errors"):
        response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    reference = response["X-Error-Reference"]
    assert reference in html and "错误编号" in html
    assert "secret-detail" not in html and "Traceback" not in html and "RuntimeError" not in html
    _logged_reference(caplog, reference)


def test_page_database_error_is_a_retryable_503(client):
    response = client.get("/boom-db/")
    assert response.status_code == 503 and response["Retry-After"]
    assert response["X-Error-Reference"] in response.content.decode()
    assert "secret-detail" not in response.content.decode()


@pytest.mark.parametrize(
    ("url", "status", "code"), [("/api/v1/boom/", 500, "server_error"), ("/api/v1/boom-db/", 503, "unavailable")]
)
def test_api_errors_are_json_with_a_reference(client, caplog, url, status, code):
    with caplog.at_level(logging.ERROR, logger="casework.errors"):
        response = client.get(url)
    assert response.status_code == status
    body = response.json()
    assert body["code"] == code and body["status"] == status
    assert body["reference"] == response["X-Error-Reference"] and body["reference"] in body["message"]
    assert "secret-detail" not in response.content.decode() and "Traceback" not in response.content.decode()
    _logged_reference(caplog, body["reference"])


def test_unknown_errors_outside_drf_views_under_api_are_json(client):
    response = client.get("/boom/", HTTP_ACCEPT="application/json")
    assert response.status_code == 500 and response.json()["code"] == "server_error"
