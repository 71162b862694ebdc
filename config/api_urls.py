"""Everything under /api/v1/. Each app contributes its own URL module here."""

from django.urls import include, path

urlpatterns: list = [
    path("", include("casework.api.urls")),  # cases, tasks, me, units, auth, schema, docs
    path("notifications/", include("notifications.api_urls")),
    path("reports/", include("reports.api_urls")),  # outcome figures (事事有结果)
    path("reception/", include("reception.api_urls")),  # reception days and their register
    path("voices/", include("voices.api_urls")),  # 条条有回音: the unanswered list
    path("reporting/", include("reporting.api_urls")),  # 工作台账 and 定期上报
    path("visits/", include("visits.api_urls")),  # 走访: work groups, visits, case interviews
    path("campaign/", include("campaign.api_urls")),  # 双走双促: campaigns, cadres' days, families
    path("portal/", include("portal.api_urls")),  # the worker portal (no staff login)
]

__all__ = ["include", "path", "urlpatterns"]
