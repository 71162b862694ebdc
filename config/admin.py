"""The project's admin site: Django's, signed in through the two-step login page.

``/admin/login/`` is not a second password form: it sends the browser to the site's own
login (``config.security.LoginView``, the TOTP code included) and back. A session may use
the admin only once verified by a code when the user has a confirmed device or a role of
``TOTP_REQUIRED_ROLES`` (a session signed in before either is sent to sign in again).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .twofactor import confirmed_totp, totp_required


class AdminSite(admin.AdminSite):
    def login(self, request, extra_context=None):
        next_url = request.GET.get("next") or ""
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = ""
        return redirect_to_login(next_url or reverse("admin:index", current_app=self.name), reverse("login"))

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        user = request.user
        if user.is_verified():
            return True
        return not (totp_required(user) or confirmed_totp(user) is not None)
