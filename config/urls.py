from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog

from config.health import healthz
from config.security import LoginView
from config.twofactor import totp_setup

# The admin speaks the app's language (it said "Django 管理").
admin.site.site_header = _("职工诉求办理 · 系统管理")
admin.site.site_title = _("职工诉求办理 · 系统管理")
admin.site.index_title = _("系统管理")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", RedirectView.as_view(pattern_name="casework:inbox", permanent=False)),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/two-factor/", totp_setup, name="totp_setup"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("cases/", include("casework.urls")),
    path("notifications/", include("notifications.urls")),
    path("visits/", include("visits.urls")),
    path("reception/", include("reception.urls")),
    path("voices/", include("voices.urls")),
    path("reporting/", include("reporting.urls")),
    path("campaign/", include("campaign.urls")),
    path("reports/", include("reports.urls")),
    path("portal/", include("portal.urls")),
    path("captcha/", include("captcha.urls")),
    path("api/v1/", include("config.api_urls")),
]

# JSON 404 under /api/, the usual page elsewhere.
handler404 = "casework.api.errors.page_not_found"
# A reference id, never a traceback; 503 + Retry-After when the database is unreachable.
handler500 = "config.errors.server_error"
