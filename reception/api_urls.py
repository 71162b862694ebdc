"""Reception days under /api/v1/reception/ (mounted by config/api_urls.py)."""

from django.urls import path

from . import api

urlpatterns = [
    path("sessions/", api.SessionListView.as_view(), name="api-reception-sessions"),
    path("sessions/<int:pk>/", api.SessionDetailView.as_view(), name="api-reception-session"),
    path("sessions/<int:pk>/open/", api.SessionOpenView.as_view(), name="api-reception-open"),
    path("sessions/<int:pk>/close/", api.SessionCloseView.as_view(), name="api-reception-close"),
    path("sessions/<int:pk>/sign-off/", api.SessionSignOffView.as_view(), name="api-reception-sign-off"),
    path("sessions/<int:pk>/announce/", api.SessionAnnounceView.as_view(), name="api-reception-announce"),
    path("sessions/<int:pk>/cancel/", api.SessionCancelView.as_view(), name="api-reception-cancel"),
    path("sessions/<int:pk>/entries/", api.EntryListView.as_view(), name="api-reception-entries"),
    path("entries/<int:pk>/outcome/", api.EntryOutcomeView.as_view(), name="api-reception-outcome"),
]
