"""Reads shared by the pages, the API and the bell."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import ChannelCode, ChannelPreference, Notification


def inbox(user) -> QuerySet[Notification]:
    """The user's in-app notifications, newest first (visible from the moment they commit)."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user=user, channel=ChannelCode.IN_APP).order_by("-created_at", "-id")


def unread_count(user) -> int:
    return inbox(user).filter(read_at__isnull=True).count()


def preferences(user) -> dict[str, list[str]]:
    return dict(ChannelPreference.objects.filter(user=user).values_list("event", "channels"))
