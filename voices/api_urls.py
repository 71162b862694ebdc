"""条条有回音 under /api/v1/voices/ (mounted by config/api_urls.py)."""

from django.urls import path

from . import api

urlpatterns = [
    path("unanswered/", api.UnansweredView.as_view(), name="api-voices-unanswered"),
    path("<int:pk>/close/", api.VoiceCloseView.as_view(), name="api-voice-close"),
]
