"""Work groups, visits and interviews under /api/v1/visits/ (mounted by config/api_urls.py)."""

from django.urls import path

from . import api

urlpatterns = [
    path("groups/", api.GroupListView.as_view(), name="api-visits-groups"),
    path("groups/<int:pk>/", api.GroupDetailView.as_view(), name="api-visits-group"),
    path("groups/<int:pk>/visits/", api.GroupVisitsView.as_view(), name="api-visits-group-visits"),
    path("groups/<int:pk>/interviews/", api.GroupInterviewsView.as_view(), name="api-visits-group-interviews"),
    path("visits/<int:pk>/", api.VisitDetailView.as_view(), name="api-visits-visit"),
    path("visits/<int:pk>/interviews/", api.VisitInterviewsView.as_view(), name="api-visits-visit-interviews"),
    path("interviews/<int:pk>/", api.InterviewDetailView.as_view(), name="api-visits-interview"),
    path("interviews/<int:pk>/write-up/", api.InterviewWriteUpView.as_view(), name="api-visits-write-up"),
    path("interviews/<int:pk>/sign-off/", api.InterviewSignOffView.as_view(), name="api-visits-sign-off"),
    path("interviews/<int:pk>/submit/", api.InterviewSubmitView.as_view(), name="api-visits-submit"),
    path("interviews/<int:pk>/file-case/", api.InterviewFileCaseView.as_view(), name="api-visits-file-case"),
]
