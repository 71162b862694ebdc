from django.urls import path

from . import views

app_name = "voices"

urlpatterns = [
    path("", views.unanswered_list, name="list"),
    path("new/", views.voice_create, name="create"),
    path("<int:pk>/", views.voice_detail, name="voice"),
    path("interviews/<int:pk>/close/", views.interview_close, name="interview_close"),
]
