"""Who may do what in a campaign: pure predicates over the unit tree and group membership.

Visibility (what a user may see at all) is in ``selectors``; these assume the object is visible.
"""

from __future__ import annotations

from visits import rules as visit_rules

from .models import Campaign, CampaignGroup


def can_manage(user, campaign: Campaign) -> bool:
    """Set up the campaign, its targets, groups, cadres and contact points: a leader or
    admin over the campaign's unit."""
    return visit_rules.can_manage(user, campaign.unit)


def can_create(user, unit) -> bool:
    return visit_rules.can_manage(user, unit)


def is_in_group(group: CampaignGroup, user) -> bool:
    """The user is the group's leader or one of its members (as a cadre)."""
    if user is None or not user.is_authenticated:
        return False
    if group.leader.user_id == user.pk:
        return True
    return any(m.user_id == user.pk for m in group.members.all())


def can_record(group: CampaignGroup, user) -> bool:
    """Log days, work logs, reports and 典型 for the group: its cadres, or a manager."""
    return is_in_group(group, user) or can_manage(user, group.campaign)


def can_keep_families(user, campaign: Campaign, groups=None) -> bool:
    """The 联系户 register: managers, and the campaign's cadres (``groups``: the campaign's
    groups with their members prefetched, when the caller has them)."""
    if can_manage(user, campaign):
        return True
    groups = groups if groups is not None else campaign.groups.select_related("leader").prefetch_related("members")
    return any(is_in_group(g, user) for g in groups)


def can_see_family_details(user, campaign: Campaign) -> bool:
    """A family's unmasked name, phone and address (each view is logged)."""
    return can_manage(user, campaign) or bool(
        user and user.is_authenticated and user.has_perm("casework.view_personal_data")
    )


def can_correct_family(user, campaign: Campaign) -> bool:
    """Edit or delete a family: those who keep the register *and* may see its details (the
    edit form shows them, and its view is logged): the campaign's managers, or a keeper with
    ``casework.view_personal_data``."""
    return can_keep_families(user, campaign) and can_see_family_details(user, campaign)
