"""Everything under /api/v1/. Each app contributes its own URL module here."""

from django.urls import include, path

urlpatterns: list = [
    path("", include("casework.api.urls")),  # cases, tasks, me, units, auth, schema, docs
    path("notifications/", include("notifications.api_urls")),
    path("reports/", include("reports.api_urls")),  # outcome figures (事事有结果)
    path("campaign/", include("campaign.api_urls")),  # 双走双促: campaigns, cadres' days, families
    path("portal/", include("portal.api_urls")),  # the worker portal (no staff login)
]

__all__ = ["include", "path", "urlpatterns"]
