"""The portal actor: who the timeline shows when the worker acts through the portal.

Like ``escalation.system``'s system actor: an inactive user without a usable password, so
nobody logs in as it. ``casework.rules.acts_for_worker`` lets it do the worker's own actions
(回访 rating, 复查, 撤回) on exactly one case: the one whose access the worker proved, named
on a fresh instance per call (``portal_case_id``).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from casework.rules import PORTAL_USERNAME


def portal_user():
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=PORTAL_USERNAME, defaults={"first_name": "职工本人（网上职工心声）", "is_active": False}
    )
    if created or user.has_usable_password() or user.is_active:
        user.set_unusable_password()
        user.is_active = False
        user.save(update_fields=["password", "is_active"])
    return user


def portal_actor(case):
    """A fresh instance of the portal user, allowed to act for the worker on ``case`` only."""
    user = get_user_model().objects.get(pk=portal_user().pk)
    user.portal_case_id = case.pk
    return user
