"""API tokens (issue #21, item 9): they expire, die with a password change or a
deactivation, can be revoked with DELETE; 401 answers are throttled."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/token/"


def _issue(username="desk", **headers) -> dict:
    r = Client().post(URL, {"username": username, "password": PASSWORD}, content_type="application/json", **headers)
    assert r.status_code == 200, r.content
    return r.json()


def _me(key: str):
    return Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")


@pytest.fixture(autouse=True)
def _default_lifetime(settings):
    """The shipped default (the suite's conftest makes tokens long-lived for the other tests)."""
    from config import settings as shipped

    settings.API_TOKEN_TTL_DAYS = shipped.API_TOKEN_TTL_DAYS


def test_a_token_expires_after_the_configured_days(users, time_machine, settings):
    assert settings.API_TOKEN_TTL_DAYS == 30
    time_machine.move_to("2026-03-02 09:00:00+08:00", tick=False)
    issued = _issue()
    assert issued["expires_at"].startswith("2026-04-01")
    time_machine.shift(dt.timedelta(days=30) - dt.timedelta(seconds=1))
    assert _me(issued["token"]).status_code == 200
    assert _issue()["token"] == issued["token"]  # still alive: the same token
    time_machine.shift(dt.timedelta(seconds=1))
    r = _me(issued["token"])
    assert r.status_code == 401 and r.json()["message"] == "令牌已过期，请重新申请。"
    # asking again gives a new token, even with the old one still in the header
    fresh = _issue(HTTP_AUTHORIZATION=f"Token {issued['token']}")
    assert fresh["token"] != issued["token"]
    assert _me(fresh["token"]).status_code == 200
    assert Token.objects.filter(user=users["desk"]).count() == 1


def test_the_lifetime_is_a_setting(users, time_machine, settings):
    settings.API_TOKEN_TTL_DAYS = 1
    time_machine.move_to("2026-03-02 09:00:00+08:00", tick=False)
    key = _issue()["token"]
    time_machine.shift(dt.timedelta(days=1))
    assert _me(key).status_code == 401


def test_a_password_change_ends_the_token(users):
    key = _issue()["token"]
    user = users["desk"]
    user.set_password("另一个足够长的口令-2026")
    user.save()
    assert _me(key).status_code == 401
    assert not Token.objects.filter(user=user).exists()


def test_the_password_change_page_ends_the_token_too(users):
    key = _issue()["token"]
    client = Client()
    client.force_login(users["desk"])
    new = "另一个足够长的口令-2026"
    r = client.post(
        reverse("admin:auth_user_password_change", args=[users["desk"].pk]),
        {"password1": new, "password2": new},
    )
    # desk is no admin: the page is refused, and nothing changes
    assert r.status_code in (302, 403)
    assert _me(key).status_code == 200
    admin = Client()
    admin.force_login(users["admin"])
    r = admin.post(
        reverse("admin:auth_user_password_change", args=[users["desk"].pk]),
        {"password1": new, "password2": new, "usable_password": "true"},
    )
    assert r.status_code == 302
    assert _me(key).status_code == 401


def test_deactivation_ends_the_token_and_reactivation_does_not_bring_it_back(users):
    key = _issue()["token"]
    user = users["desk"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    user.is_active = True
    user.save()
    assert _me(key).status_code == 401


def test_other_saves_of_the_user_keep_the_token(users):
    key = _issue()["token"]
    client = Client()
    assert client.post(reverse("login"), {"username": "desk", "password": PASSWORD}).status_code == 302  # last_login
    user = users["desk"]
    user.refresh_from_db()
    user.first_name = "小王"
    user.save()
    assert _me(key).status_code == 200


def test_delete_revokes_the_token(users):
    key = _issue()["token"]
    r = Client().delete(URL, HTTP_AUTHORIZATION=f"Token {key}")
    assert r.status_code == 204
    assert _me(key).status_code == 401
    # the next POST issues a new token
    assert _issue()["token"] != key


def test_delete_from_a_browser_session_revokes_the_users_token(users):
    key = _issue()["token"]
    client = Client()
    client.force_login(users["desk"])
    assert client.delete(URL).status_code == 204
    assert _me(key).status_code == 401


def test_delete_needs_credentials(users):
    key = _issue()["token"]
    r = Client().delete(URL)
    assert r.status_code in (401, 403) and r.json()["code"] == "not_authenticated"
    r = Client().delete(URL, HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert r.status_code == 401
    assert _me(key).status_code == 200  # nobody else's token was touched


def test_delete_of_ones_own_token_leaves_others_alone(users):
    mine = _issue("desk")["token"]
    theirs = _issue("officer_union")["token"]
    assert Client().delete(URL, HTTP_AUTHORIZATION=f"Token {mine}").status_code == 204
    assert _me(theirs).status_code == 200


def test_anonymous_401s_are_throttled(users, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "3/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    client = Client(REMOTE_ADDR="203.0.113.5")
    for i in range(3):
        r = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {i:040x}")
        assert r.status_code == 401
    r = client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token " + "f" * 40)
    assert r.status_code == 429 and r.json()["code"] == "throttled"
    assert int(r["Retry-After"]) > 0
    assert client.get("/api/v1/cases/").status_code == 429  # no credentials at all: counted too
    # another address is not affected, and a valid token is never throttled by the anon rate
    assert Client(REMOTE_ADDR="203.0.113.6").get("/api/v1/me/").status_code == 401
    key = _issue()["token"]
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
