"""The ledger and period reports under /api/v1/reporting/ (mounted by config/api_urls.py)."""

from django.urls import path

from . import api

urlpatterns = [
    path("ledger/", api.LedgerView.as_view(), name="api-reporting-ledger"),
    path("periods/", api.PeriodListView.as_view(), name="api-reporting-periods"),
    path("periods/<int:pk>/subtree/", api.PeriodSubtreeView.as_view(), name="api-reporting-subtree"),
    path("reports/", api.ReportListView.as_view(), name="api-reporting-reports"),
    path("reports/<int:pk>/", api.ReportDetailView.as_view(), name="api-reporting-report"),
    path("reports/<int:pk>/submit/", api.ReportSubmitView.as_view(), name="api-reporting-submit"),
    path("reports/<int:pk>/return/", api.ReportReturnView.as_view(), name="api-reporting-return"),
]
