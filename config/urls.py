from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog

from config.health import healthz
from config.security import LoginView

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", RedirectView.as_view(pattern_name="casework:inbox", permanent=False)),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("cases/", include("casework.urls")),
    path("notifications/", include("notifications.urls")),
    path("visits/", include("visits.urls")),
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
