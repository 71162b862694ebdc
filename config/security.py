"""Login hardening: lockout after failed attempts (django-axes), optional TOTP (django-otp).

- ``AxesBackend``: axes' standalone backend, except that an ``authenticate()`` without a
  request (management commands, the test client's ``login()``) is not checked: every
  login form and the API token endpoint pass the request, so nothing reachable from
  outside skips the count.
- ``lockout``: the response once locked out, in Chinese: a page, or JSON under ``/api/``.
- ``LoginForm``: username and password, plus a 6-digit code for users with a confirmed
  TOTP device (``manage.py totp_enable USER``, or the enrolment page that
  ``TOTP_REQUIRED_ROLES`` sends users to: ``config.twofactor``). Users without a device
  (every demo login) sign in with the password only.
- ``client_ip``: the client's address behind ``REST_FRAMEWORK["NUM_PROXIES"]`` reverse
  proxies, the one rule the API throttles, django-axes and the portal's limits share.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .twofactor import TOTP_ROLES, confirmed_totp

__all__ = ["TOTP_ROLES", "AxesBackend", "LoginForm", "LoginView", "client_ip", "confirmed_totp", "lockout"]


def client_ip(request) -> str | None:
    """The client's address as the outermost of ``NUM_PROXIES`` reverse proxies saw it.

    DRF's throttles use the same rule (``BaseThrottle.get_ident``): with no proxy
    configured, ``REMOTE_ADDR`` (a client-sent ``X-Forwarded-For`` is ignored); behind N
    proxies, the N-th ``X-Forwarded-For`` entry from the right, which the outermost proxy
    appended and the client cannot forge. ``AXES_CLIENT_IP_CALLABLE`` points here.
    """
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies and forwarded:
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR") or None


class AxesBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else 0
    return _("登录失败次数过多，账号已暂时锁定，请 %(minutes)s 分钟后再试，或联系系统管理员解锁。") % {
        "minutes": minutes
    }


def lockout(request, response=None, credentials=None, *args, **kwargs):
    """AXES_LOCKOUT_CALLABLE: 429 with a Chinese message."""
    message = lockout_message()
    if request.path.startswith("/api/"):
        body = {"status": 429, "code": "locked_out", "message": message, "fields": {}}
        return JsonResponse(body, status=429, json_dumps_params={"ensure_ascii": False})
    form = LoginForm(request)
    form.cleaned_data = {}  # an unbound form that still shows the message on top
    form.add_error(None, message)
    return render(request, "registration/login.html", {"form": form, "title": _("登录")}, status=429)


class LoginForm(AuthenticationForm):
    otp_token = forms.CharField(
        label=gettext_lazy("动态验证码"),
        required=False,
        max_length=8,
        help_text=gettext_lazy("已启用两步验证的账号填写验证器 App 中的 6 位数字，其他账号留空。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        device = confirmed_totp(user)
        if device is None:
            return
        token = (self.cleaned_data.get("otp_token") or "").strip()
        if not token:
            raise forms.ValidationError(_("该账号已启用两步验证，请填写动态验证码。"), code="otp_required")
        if not device.verify_token(token):
            raise forms.ValidationError(_("动态验证码不正确或已过期。"), code="otp_invalid")
        user.otp_device = device  # django_otp.login() keeps it in the session on login


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm


class IdleTimeoutMiddleware:
    """Log out a session idle for longer than ``SESSION_COOKIE_AGE`` (shared desk computers).

    The last-seen time is written at most once a minute (``SEEN_EVERY``), not on every
    request, so pages keep their query counts; each write also moves the session's expiry.
    """

    SEEN_EVERY = 60
    KEY = "_cw_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import time

        from django.contrib.auth import logout

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now_ts = int(time.time())
            seen = request.session.get(self.KEY)
            if seen is not None and now_ts - seen > settings.SESSION_COOKIE_AGE:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)  # answered as anonymous: 401/403
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if seen is None or now_ts - seen >= self.SEEN_EVERY:
                request.session[self.KEY] = now_ts
        return self.get_response(request)


def mark_seen_on_login(sender, request, user, **kwargs) -> None:
    """Start the idle clock at login (saved with the login's session write)."""
    import time

    if request is not None and hasattr(request, "session"):
        request.session[IdleTimeoutMiddleware.KEY] = int(time.time())
