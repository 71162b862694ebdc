"""The system actor: who the timeline shows when a breach policy acts (系统自动处理)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from casework.rules import SYSTEM_USERNAME


def system_actor():
    """The ``system`` user, created on first use: inactive, no password, so nobody logs in as it."""
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"first_name": "系统", "last_name": "", "is_active": False}
    )
    if created or user.has_usable_password() or user.is_active:
        user.set_unusable_password()
        user.is_active = False
        user.save(update_fields=["password", "is_active"])
    return user
