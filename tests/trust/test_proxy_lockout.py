"""The login lockout behind a reverse proxy (issue #21, item 6): django-axes keys on the
client's address by the rule the API throttles use (``NUM_PROXIES``), and on the username
and that address together, so nobody can lock a user out everywhere."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

from config.security import client_ip
from portal.limits import client_ip as portal_ip
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # the reverse proxy: REMOTE_ADDR of every request


@pytest.fixture
def behind_one_proxy(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}


def _login(username, password, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    client = Client(REMOTE_ADDR=PROXY, **extra)
    return client.post(reverse("login"), {"username": username, "password": password})


def _token(username, password, forwarded):
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    body = {"username": username, "password": password}
    return client.post("/api/v1/auth/token/", body, content_type="application/json")


def test_a_remote_attacker_locks_out_only_their_own_address(users, settings, behind_one_proxy):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login("desk", "wrong-password", "203.0.113.5")
    assert _login("desk", PASSWORD, "203.0.113.5").status_code == 429
    # the attacker cannot get a fresh count by putting a made-up address in front
    assert _login("desk", PASSWORD, "198.51.100.99, 203.0.113.5").status_code == 429
    # the user, at their own desk behind the same proxy, still signs in
    assert _login("desk", PASSWORD, "198.51.100.7").status_code == 302
    attempt = AccessAttempt.objects.get(username="desk")
    assert attempt.ip_address == "203.0.113.5"


def test_the_api_token_endpoint_keys_on_the_same_address(users, settings, behind_one_proxy):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "auth": "100/min"},
    }
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _token("desk", "nope", "203.0.113.5")
    r = _token("desk", PASSWORD, "203.0.113.5")
    assert r.status_code == 429 and r.json()["code"] == "locked_out"
    assert _token("desk", PASSWORD, "198.51.100.7").status_code == 200


def test_without_a_proxy_a_forwarded_header_is_not_believed(users, settings):
    """AXES_PROXY_COUNT=0 (development): the address is REMOTE_ADDR whatever the client sends."""
    for i in range(settings.AXES_FAILURE_LIMIT):
        _login("desk", "wrong-password", f"203.0.113.{i}")
    assert _login("desk", PASSWORD, "198.51.100.7").status_code == 429
    assert AccessAttempt.objects.get(username="desk").ip_address == PROXY
    # another user at the same address is not locked out (username + address)
    assert _login("officer_union", PASSWORD).status_code == 302


def test_one_rule_for_the_throttles_the_lockout_and_the_portal(rf, settings):
    """DRF's throttles (``get_ident``), axes (``AXES_CLIENT_IP_CALLABLE``) and the portal."""
    for proxies, forwarded, expected in (
        (0, None, PROXY),
        (0, "1.2.3.4", PROXY),
        (1, "1.2.3.4", "1.2.3.4"),
        (1, "9.9.9.9, 1.2.3.4", "1.2.3.4"),
        (2, "9.9.9.9, 1.2.3.4, 10.0.0.1", "1.2.3.4"),
        (1, None, PROXY),
    ):
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": proxies}
        extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
        request = rf.get("/", REMOTE_ADDR=PROXY, **extra)
        assert client_ip(request) == expected
        assert portal_ip(request) == expected
        assert AnonRateThrottle().get_ident(Request(request)) == expected
    assert settings.AXES_CLIENT_IP_CALLABLE == "config.security.client_ip"
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
