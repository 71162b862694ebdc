from django.urls import path

from . import api

urlpatterns = [
    path("", api.NotificationList.as_view(), name="notifications-api-list"),
    path("<int:pk>/read/", api.NotificationRead.as_view(), name="notifications-api-read"),
]
