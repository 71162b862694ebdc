"""URLs of the casework API (mounted at /api/v1/ by config/api_urls.py)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("me/", views.MeView.as_view(), name="api-me"),
    path("cases/", views.CaseListView.as_view(), name="api-cases"),
    path("cases/bulk/", views.CaseBulkView.as_view(), name="api-cases-bulk"),
    path("cases/<str:number>/", views.CaseDetailView.as_view(), name="api-case"),
    path("cases/<str:number>/actions/<str:action>/", views.CaseActionView.as_view(), name="api-case-action"),
    path("tasks/", views.TaskListView.as_view(), name="api-tasks"),
    path("units/", views.UnitListView.as_view(), name="api-units"),
    path("categories/", views.CategoryListView.as_view(), name="api-categories"),
    path("channels/", views.ChannelListView.as_view(), name="api-channels"),
    path("reply-templates/", views.ReplyTemplateListView.as_view(), name="api-reply-templates"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script from this URL (?script), so the strict
    # script-src (self + nonce) holds here too: no inline script, no policy of its own.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
