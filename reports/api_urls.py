"""Reports under /api/v1/reports/ (mounted by config/api_urls.py)."""

from django.urls import path

from .api import OutcomeReportView

urlpatterns = [
    path("outcomes/", OutcomeReportView.as_view(), name="api-report-outcomes"),
]
