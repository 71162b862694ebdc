"""Two-factor login (django-otp TOTP): who must use it, enrolment, and its enforcement.

Rules (docs/access.md, "Two-factor"):

- A user with a confirmed TOTP device gives the 6-digit code wherever a password is taken:
  the login page (``config.security.LoginForm``), the admin (its login is that page:
  ``config.admin.AdminSite``) and the API's token endpoint (``otp_token``).
- ``TOTP_REQUIRED_ROLES`` (roles, e.g. ``supervisor,admin``; a superuser counts as
  ``admin``): such a user without a device signs in with the password and is then held on
  the enrolment page (``totp_setup``) until a device is confirmed; pages answer with a
  redirect there, the API with 403 ``otp_required``; no API token is issued and existing
  tokens stop working until then. A session signed in without the code (before the setting
  or the device) is held on the same page until the code is given.
- Confirming a device revokes the user's API tokens: they were issued on the password alone.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Who may enrol (``totp_enable``, the enrolment page) even when no role is required to.
TOTP_ROLES = ("supervisor", "admin")
# URL names an unverified user may still open: signing in and out, enrolment, the JS catalogue.
EXEMPT_URL_NAMES = {"login", "logout", "totp_setup", "javascript-catalog", "healthz"}


def confirmed_totp(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def _role(user) -> str | None:
    from casework import rules

    return "admin" if user.is_superuser else rules.role_of(user)


def totp_required(user) -> bool:
    """The user's role is one of ``TOTP_REQUIRED_ROLES``."""
    roles = settings.TOTP_REQUIRED_ROLES
    if not roles or user is None or not user.is_authenticated:
        return False
    return _role(user) in roles


def may_enrol(user) -> bool:
    return totp_required(user) or _role(user) in TOTP_ROLES


def revoke_api_tokens(user) -> None:
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()


def required_message() -> str:
    return _("该账号须使用两步验证：请在网页登录后按提示绑定验证器 App，并填写动态验证码。")


class TwoFactorMiddleware:
    """Hold a user of a ``TOTP_REQUIRED_ROLES`` role whose session is not verified by a code.

    After ``django_otp.middleware.OTPMiddleware`` (``user.is_verified()``). Costs nothing
    while the setting is empty; otherwise the user's staff profile, read once per request
    (the views read it anyway, from the same instance).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.TOTP_REQUIRED_ROLES
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
            and totp_required(user)
            and not self._exempt(request)
        ):
            if request.path.startswith("/api/"):
                body = {"status": 403, "code": "otp_required", "message": required_message(), "fields": {}}
                return JsonResponse(body, status=403, json_dumps_params={"ensure_ascii": False})
            return redirect(f"{reverse('totp_setup')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _exempt(request) -> bool:
        if request.path.startswith(settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/"):
            return True
        try:
            return resolve(request.path_info).url_name in EXEMPT_URL_NAMES
        except Resolver404:
            return False


class CodeForm(forms.Form):
    otp_token = forms.CharField(
        label=gettext_lazy("动态验证码"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": gettext_lazy("请填写动态验证码。")},
    )


def _pending_device(user):
    """The user's confirmed device, or their unconfirmed one (made now if there is none)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = confirmed_totp(user)
    if device is None:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    return device


@login_required
def totp_setup(request):
    """Enrol a TOTP device, or give the code for a session signed in without it.

    The secret is shown only while the device is unconfirmed: a confirmed device's key never
    leaves the server again.
    """
    from django_otp import login as otp_login

    user = request.user
    if not (may_enrol(user) or confirmed_totp(user) is not None):
        return render(request, "registration/totp_setup.html", {"refused": True, "title": _("两步验证")}, status=403)
    device = _pending_device(user)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"].strip()):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                revoke_api_tokens(user)
            otp_login(request, device)
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
        form.add_error("otp_token", _("动态验证码不正确或已过期。"))
    context = {
        "form": form,
        "next": next_url,
        "enrolling": not device.confirmed,
        "config_url": "" if device.confirmed else device.config_url,
        "secret": "" if device.confirmed else _base32(device.bin_key),
        "title": _("两步验证"),
    }
    return render(request, "registration/totp_setup.html", context)


def _base32(key: bytes) -> str:
    from base64 import b32encode

    return b32encode(key).decode("ascii").rstrip("=")
