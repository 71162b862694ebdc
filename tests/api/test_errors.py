"""Authentication and every error code: always JSON, a Chinese message and a stable code."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.conftest import PASSWORD

from .conftest import act, assert_error


def test_token_for_username_and_password(api, users):
    r = api.post("/api/v1/auth/token/", {"username": "desk", "password": PASSWORD}, format="json")
    assert r.status_code == 200 and set(r.json()) == {"token", "expires_at"}
    token = r.json()["token"]
    again = api.post("/api/v1/auth/token/", {"username": "desk", "password": PASSWORD}, format="json")
    assert again.json()["token"] == token
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/me/").json()["username"] == "desk"


def test_bad_credentials_are_400(api, users):
    body = assert_error(
        api.post("/api/v1/auth/token/", {"username": "desk", "password": "wrong"}, format="json"),
        400,
        "invalid_credentials",
    )
    assert body["message"] == "用户名或密码不正确。"
    assert_error(api.post("/api/v1/auth/token/", {"username": "desk"}, format="json"), 400, "invalid")


@pytest.mark.parametrize(
    "path", ["/api/v1/cases/", "/api/v1/me/", "/api/v1/tasks/", "/api/v1/units/", "/api/v1/categories/"]
)
def test_no_credentials_is_401(api, path, db):
    r = api.get(path)
    body = assert_error(r, 401, "not_authenticated")
    assert r["WWW-Authenticate"] == "Token"
    assert body["message"] == "请先登录或提供有效的令牌。"


@pytest.mark.parametrize("header", ["Token nope", "Token " + "0" * 40, "Token a b", "Token", "Token \u00e9\u00e9"])
def test_bad_token_is_401(api, header, db):
    api.credentials(HTTP_AUTHORIZATION=header)
    assert_error(api.get("/api/v1/me/"), 401, "authentication_failed")


def test_session_login_works_too(client, users):
    client.force_login(users["desk"])
    assert client.get("/api/v1/me/").json()["username"] == "desk"


def test_inactive_users_token_is_401(client_for, users):
    c = client_for("desk")
    users["desk"].is_active = False
    users["desk"].save()
    assert_error(c.get("/api/v1/me/"), 401, "authentication_failed")


def test_malformed_json_and_wrong_types_are_400(client_for, make_case):
    number = make_case().number
    desk = client_for("desk")
    url = f"/api/v1/cases/{number}/actions/note/"
    assert_error(desk.post(url, b'{"content": ', content_type="application/json"), 400, "malformed")
    assert_error(desk.post(url, b"\xff\xfe\x00", content_type="application/json"), 400, "malformed")
    assert_error(desk.post(url, b"NaN", content_type="application/json"), 400, "malformed")
    assert_error(desk.post(url, b"[1, 2]", content_type="application/json"), 400, "invalid")
    assert_error(desk.post(url, b'{"content": "\\ud800"}', content_type="application/json"), 400, "invalid")
    assert_error(desk.post(url, {"content": "a\x00b"}, format="json"), 400, "invalid")
    assert_error(desk.post(url, {"content": {"a": 1}}, format="json"), 400, "invalid")
    assert_error(desk.post(url, {"content": True}, format="json"), 400, "invalid")
    assert_error(desk.post(url, {"content": "x", "version": "abc"}, format="json"), 400, "invalid")
    deep = b"[" * 100000 + b"]" * 100000
    assert desk.post(url, deep, content_type="application/json").status_code in (400, 413)


def test_huge_strings_are_400_and_huge_bodies_413(client_for, make_case, settings):
    number = make_case().number
    desk = client_for("desk")
    body = assert_error(act(desk, number, "note", content="字" * 5001), 400, "invalid")
    assert "content" in body["fields"]
    settings.API_MAX_BODY_BYTES = 1024
    assert_error(act(desk, number, "note", content="x" * 2000), 413, "too_large")


def test_non_json_is_415(client_for, make_case):
    number = make_case().number
    r = client_for("desk").post(f"/api/v1/cases/{number}/actions/note/", "content=x", content_type="text/plain")
    assert_error(r, 415, "unsupported_media_type")


def test_wrong_method_is_405(client_for, db, world):
    assert_error(client_for("desk").delete("/api/v1/cases/"), 405, "method_not_allowed")


def test_unknown_api_path_is_json_404(client_for, db, world, settings):
    settings.DEBUG = False
    assert_error(client_for("desk").get("/api/v1/nowhere/"), 404, "not_found")


def test_throttled_is_429(api, users, settings):
    rates = {"anon": "100/min", "user": "3/min", "auth": "2/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    for _ in range(2):
        api.post("/api/v1/auth/token/", {"username": "desk", "password": "x"}, format="json")
    r = api.post("/api/v1/auth/token/", {"username": "desk", "password": PASSWORD}, format="json")
    body = assert_error(r, 429, "throttled")
    assert r["Retry-After"] and body["message"] == "请求过于频繁，请稍后再试。"


def test_every_error_body_has_the_same_shape(client_for, make_case):
    """403, 404 and 409 carry the casework exception's code and Chinese message."""
    number = make_case().number
    r403 = act(client_for("officer_enterprise"), number, "withdraw", reason="x")
    r404 = client_for("officer_elsewhere").get(f"/api/v1/cases/{number}/")
    r409 = act(client_for("desk"), number, "accept")
    for response, status in ((r403, 403), (r404, 404), (r409, 409)):
        body = assert_error(response, status)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])


def test_auth_throttle_ignores_a_forged_forwarded_for(api, users, settings):
    """No reverse proxy configured (AXES_PROXY_COUNT=0): the address is REMOTE_ADDR, so a
    client cannot start a fresh throttle count by sending a new X-Forwarded-For."""
    rates = {"anon": "100/min", "user": "100/min", "auth": "2/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    body = {"username": "desk", "password": "x"}
    for i in range(2):
        api.post("/api/v1/auth/token/", body, format="json", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")
    r = api.post("/api/v1/auth/token/", body, format="json", HTTP_X_FORWARDED_FOR="10.0.0.9")
    assert_error(r, 429, "throttled")


def test_auth_throttle_behind_one_proxy_keys_on_the_address_it_saw(api, users, settings):
    rates = {"anon": "100/min", "user": "100/min", "auth": "2/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates, "NUM_PROXIES": 1}
    body = {"username": "desk", "password": "x"}
    for _ in range(2):
        api.post("/api/v1/auth/token/", body, format="json", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5")
    forged = api.post("/api/v1/auth/token/", body, format="json", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.5")
    assert_error(forged, 429, "throttled")
    other = api.post("/api/v1/auth/token/", body, format="json", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert_error(other, 400, "invalid_credentials")
