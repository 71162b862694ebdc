"""Login: lockout, optional TOTP, sessions for shared desks, security headers, CSRF."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _post_login(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password, **extra})


def test_demo_style_login_works_without_otp(users):
    client = Client()
    response = _post_login(client, "desk", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("casework:inbox")).status_code == 200


def test_lockout_after_failed_attempts_with_a_chinese_message(users):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _post_login(client, "desk", "wrong-password").status_code == 200
    assert _post_login(client, "desk", "wrong-password").status_code == 429
    response = _post_login(client, "desk", PASSWORD)  # even the right password now
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    # another user at the same desk computer is not locked out
    assert _post_login(Client(), "officer_union", PASSWORD).status_code == 302


def test_api_token_endpoint_locks_out_too(users):
    client = Client()
    url = "/api/v1/auth/token/"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "desk", "password": "nope"}, content_type="application/json")
    response = client.post(url, {"username": "desk", "password": PASSWORD}, content_type="application/json")
    assert response.status_code == 429 and response.json()["code"] == "locked_out"


def test_totp_is_required_once_enabled_for_a_supervisor(users, capsys):
    call_command("totp_enable", "supervisor")
    assert capsys.readouterr().out.startswith("otpauth://totp/")
    device = TOTPDevice.objects.get(user=users["supervisor"])
    client = Client()
    response = _post_login(client, "supervisor", PASSWORD)
    assert response.status_code == 200 and "请填写动态验证码" in response.content.decode()
    assert _post_login(client, "supervisor", PASSWORD, otp_token="000000").status_code == 200
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down guessing after a wrong code
    token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert _post_login(client, "supervisor", PASSWORD, otp_token=token).status_code == 302
    assert client.session.get("otp_device_id") == device.persistent_id


def test_totp_only_for_supervisors_and_admins(users):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("totp_enable", "desk")


def test_sessions_end_with_the_browser_and_after_idle_time(users, time_machine):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert 0 < settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY
    time_machine.move_to("2026-03-02 09:00:00+08:00", tick=False)
    client = Client()
    assert _post_login(client, "desk", PASSWORD).status_code == 302
    assert client.get(reverse("casework:inbox")).status_code == 200
    time_machine.shift(settings.SESSION_COOKIE_AGE - 30)
    assert client.get(reverse("casework:inbox")).status_code == 200  # still active: the clock restarts
    time_machine.shift(settings.SESSION_COOKIE_AGE + 1)
    response = client.get(reverse("casework:inbox"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_password_validators_refuse_weak_passwords(users):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("12345678", "password1", "desk", "desk12345"):
        with pytest.raises(ValidationError):
            validate_password(weak, users["desk"])
    validate_password("职工之家-2026-安全口令", users["desk"])


def test_security_headers_and_csp(users):
    client = Client()
    client.force_login(users["desk"])
    response = client.get(reverse("casework:inbox"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("style-src")[0]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_csrf_is_enforced_on_forms_and_session_api(users, make_case):
    case = make_case()
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["officer_enterprise"])
    assert client.post(reverse("casework:register"), {}).status_code == 403
    assert client.post(reverse("logout")).status_code == 403
    response = client.post(f"/api/v1/cases/{case.number}/actions/claim/", {}, content_type="application/json")
    assert response.status_code == 403
