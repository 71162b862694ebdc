"""Two-factor everywhere a password is taken (issue #21, item 2): the API's token endpoint,
the admin's login, and roles that must enrol (``TOTP_REQUIRED_ROLES``)."""

from __future__ import annotations

from base64 import b32encode

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def _code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code before slows down the next check
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _enable(username: str) -> TOTPDevice:
    call_command("totp_enable", username, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return TOTPDevice.objects.get(user__username=username)


def _token(client: Client, username: str, **extra):
    body = {"username": username, "password": PASSWORD, **extra}
    return client.post(TOKEN_URL, body, content_type="application/json")


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def at_a_fixed_time(time_machine):
    """A TOTP code is good once per 30-second step: tests move on a step between logins."""
    time_machine.move_to("2026-03-02 09:00:00+08:00", tick=False)
    return time_machine


# --- the token endpoint -----------------------------------------------------------------


def test_token_endpoint_refuses_the_password_alone_for_a_totp_user(users, at_a_fixed_time):
    device = _enable("supervisor")
    client = Client()
    r = _token(client, "supervisor")
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "otp_required" and "动态验证码" in body["message"]
    assert "otp_token" in body["fields"]
    assert not Token.objects.filter(user=users["supervisor"]).exists()

    r = _token(client, "supervisor", otp_token="000000")
    assert r.status_code == 400 and r.json()["code"] == "otp_invalid"
    assert not Token.objects.filter(user=users["supervisor"]).exists()

    r = _token(client, "supervisor", otp_token=_code(device))
    assert r.status_code == 200
    key = r.json()["token"]
    me = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert me.status_code == 200 and me.json()["username"] == "supervisor"


def test_a_used_code_is_not_good_twice(users, at_a_fixed_time):
    device = _enable("supervisor")
    code = _code(device)
    assert _token(Client(), "supervisor", otp_token=code).status_code == 200
    assert _token(Client(), "supervisor", otp_token=code).json()["code"] == "otp_invalid"


def test_users_without_totp_still_get_a_token_with_the_password(users):
    r = _token(Client(), "desk")
    assert r.status_code == 200 and len(r.json()["token"]) == 40


def test_enabling_totp_revokes_tokens_issued_on_the_password_alone(users):
    key = _token(Client(), "supervisor").json()["token"]
    _enable("supervisor")
    r = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert r.status_code == 401


# --- the admin's login ------------------------------------------------------------------


def test_admin_login_form_does_not_sign_in_with_the_password_alone(users, at_a_fixed_time):
    _enable("admin")
    client = Client()
    r = client.post("/admin/login/?next=/admin/", {"username": "admin", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"].startswith(reverse("login"))
    assert not _logged_in(client)
    assert client.get("/admin/").status_code == 302


def test_admin_login_sends_to_the_two_step_login_and_back(users, at_a_fixed_time):
    device = _enable("admin")
    client = Client()
    r = client.get("/admin/casework/case/")
    assert r.status_code == 302
    r = client.get(r["Location"])  # /admin/login/?next=… → the site's login, next kept
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("login")) and "next=/admin/casework/case/" in r["Location"]
    form = {"username": "admin", "password": PASSWORD, "next": "/admin/casework/case/"}
    r = client.post(reverse("login"), form)
    assert r.status_code == 200 and "请填写动态验证码" in r.content.decode()
    r = client.post(reverse("login"), {**form, "otp_token": _code(device)})
    assert r.status_code == 302 and r["Location"] == "/admin/casework/case/"
    assert client.get("/admin/casework/case/").status_code == 200


def test_admin_refuses_a_session_not_verified_by_the_code(users):
    """A session signed in without the code (before the device existed) cannot use the admin."""
    _enable("admin")
    client = Client()
    client.force_login(users["admin"])
    r = client.get("/admin/")
    assert r.status_code == 302 and "/admin/login/" in r["Location"]


def test_admin_open_to_staff_without_totp(users):
    client = Client()
    assert client.post(reverse("login"), {"username": "admin", "password": PASSWORD}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_admin_login_does_not_redirect_elsewhere(users):
    r = Client().get("/admin/login/?next=https://evil.example/")
    assert r.status_code == 302 and "evil.example" not in r["Location"]


# --- roles that must use TOTP -----------------------------------------------------------


@pytest.fixture
def required(settings):
    settings.TOTP_REQUIRED_ROLES = ["supervisor", "admin"]


def test_a_required_role_is_held_on_the_enrolment_page_until_a_device_is_confirmed(users, required, at_a_fixed_time):
    client = Client()
    r = client.post(reverse("login"), {"username": "supervisor", "password": PASSWORD})
    assert r.status_code == 302
    r = client.get(reverse("casework:inbox"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("totp_setup"))
    r = client.get("/api/v1/me/")
    assert r.status_code == 403 and r.json()["code"] == "otp_required"
    assert client.get("/reports/").status_code == 302

    page = client.get(reverse("totp_setup"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=users["supervisor"])
    assert not device.confirmed
    secret = b32encode(device.bin_key).decode().rstrip("=")
    assert secret in page.content.decode()  # the key to type, and the otpauth:// link

    r = client.post(reverse("totp_setup"), {"otp_token": "000000"})
    assert r.status_code == 200 and "动态验证码不正确" in r.content.decode()
    assert client.get(reverse("casework:inbox")).status_code == 302

    r = client.post(reverse("totp_setup"), {"otp_token": _code(device), "next": reverse("casework:inbox")})
    assert r.status_code == 302 and r["Location"] == reverse("casework:inbox")
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("casework:inbox")).status_code == 200
    assert client.get("/api/v1/me/").status_code == 200


def test_the_secret_of_a_confirmed_device_is_never_shown_again(users, required, at_a_fixed_time):
    device = _enable("supervisor")
    client = Client()
    client.force_login(users["supervisor"])  # a session from before the device: not verified
    r = client.get(reverse("casework:inbox"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("totp_setup"))
    page = client.get(reverse("totp_setup")).content.decode()
    assert b32encode(device.bin_key).decode().rstrip("=") not in page and "otpauth://" not in page
    r = client.post(reverse("totp_setup"), {"otp_token": _code(device)})
    assert r.status_code == 302
    assert client.get(reverse("casework:inbox")).status_code == 200


def test_a_required_role_gets_no_token_before_enrolling_and_old_tokens_stop(users, required):
    old = Token.objects.create(user=users["supervisor"])
    r = _token(Client(), "supervisor")
    assert r.status_code == 403 and r.json()["code"] == "otp_enrolment_required"
    assert "两步验证" in r.json()["message"]
    r = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {old.key}")
    assert r.status_code == 401 and "两步验证" in r.json()["message"]


def test_a_superuser_counts_as_admin(users, required):
    client = Client()
    client.force_login(users["admin"])
    assert client.get(reverse("casework:inbox")).status_code == 302
    assert client.get("/admin/").status_code == 302


def test_roles_not_required_are_not_held(users, required):
    client = Client()
    assert client.post(reverse("login"), {"username": "desk", "password": PASSWORD}).status_code == 302
    assert client.get(reverse("casework:inbox")).status_code == 200
    assert _token(Client(), "desk").status_code == 200
    # and they may not enrol themselves
    assert client.get(reverse("totp_setup")).status_code == 403
    assert not TOTPDevice.objects.filter(user=users["desk"]).exists()


def test_production_requires_totp_for_supervisors_and_admins():
    from tests.ops.test_production_settings import PRODUCTION_ENV, manage

    code = "from django.conf import settings; print(settings.TOTP_REQUIRED_ROLES)"
    done = manage("shell", "-c", code, **PRODUCTION_ENV)
    assert done.stdout.strip().splitlines()[-1] == "['supervisor', 'admin']", done.stderr
