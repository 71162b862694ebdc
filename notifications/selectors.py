"""Reads shared by the pages, the API and the bell."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

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


# The bell's dropdown: the latest unread, repeats grouped.
DROPDOWN_SIZE = 8
GROUP_WINDOW = dt.timedelta(hours=1)  # the same case and kind this close together: one line
DROPDOWN_SCAN = 200  # unread rows read to build the groups (newest first)


@dataclass
class NotificationGroup:
    """Unread notifications of one kind about one case (one link), each within
    ``GROUP_WINDOW`` of the next: shown as the newest one with a count."""

    latest: Notification
    ids: list[int] = field(default_factory=list)
    oldest_at: dt.datetime | None = None

    @property
    def count(self) -> int:
        return len(self.ids)


def unread_groups(user, limit: int = DROPDOWN_SIZE) -> list[NotificationGroup]:
    """The newest ``limit`` groups of the user's unread in-app notifications (one query).
    A notification without a link (not about a case) is a group of its own."""
    rows = inbox(user).filter(read_at__isnull=True).only("subject", "event", "link", "created_at")[:DROPDOWN_SCAN]
    groups: list[NotificationGroup] = []
    open_groups: dict[tuple[str, str], NotificationGroup] = {}
    for n in rows:
        key = (n.event, n.link or f"#{n.pk}")
        group = open_groups.get(key)
        if group is not None and group.oldest_at - n.created_at <= GROUP_WINDOW:
            group.ids.append(n.pk)
            group.oldest_at = n.created_at
            continue
        if len(groups) == limit:
            # Older rows may still join a shown group; a new group would not be shown.
            continue
        group = NotificationGroup(latest=n, ids=[n.pk], oldest_at=n.created_at)
        groups.append(group)
        open_groups[key] = group
    return groups
