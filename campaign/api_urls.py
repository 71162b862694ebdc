"""The campaign under /api/v1/campaign/ (mounted by config/api_urls.py)."""

from django.urls import path

from . import api, api_corrections

urlpatterns = [
    path("campaigns/", api.CampaignListView.as_view(), name="api-campaigns"),
    path("campaigns/<int:pk>/", api.CampaignDetailView.as_view(), name="api-campaign"),
    path("campaigns/<int:pk>/families/", api.FamilyListView.as_view(), name="api-campaign-families"),
    path("campaigns/<int:pk>/overdue/", api.OverdueView.as_view(), name="api-campaign-overdue"),
    path("commitments/", api.CommitmentListView.as_view(), name="api-campaign-commitments"),
    path("league/", api.LeagueView.as_view(), name="api-campaign-league"),
    path("groups/<int:pk>/typicals/", api.GroupTypicalView.as_view(), name="api-campaign-typicals"),
    path("groups/<int:pk>/days/", api.GroupDaysView.as_view(), name="api-campaign-days"),
    path("groups/<int:pk>/logs/", api.GroupLogView.as_view(), name="api-campaign-logs"),
    path("groups/<int:pk>/reports/", api.GroupReportView.as_view(), name="api-campaign-reports"),
    path("families/<int:pk>/", api_corrections.FamilyView.as_view(), name="api-campaign-family"),
    path("points/<int:pk>/", api_corrections.PointView.as_view(), name="api-campaign-point"),
    path("pairings/<int:pk>/", api_corrections.PairingView.as_view(), name="api-campaign-pairing"),
    path("commitments/<int:pk>/", api_corrections.CommitmentView.as_view(), name="api-campaign-commitment"),
    path("families/<int:pk>/contacts/", api.FamilyContactView.as_view(), name="api-campaign-family-contacts"),
]
