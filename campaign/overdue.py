"""Overdue contacts: a 联系点 not visited this quarter, a 联系户 not contacted this quarter.

``overdue_contacts(unit_ids, today)`` returns plain records (no model instances, no personal
data), so the unanswered-voices list (#13/#19) and the supervisors' digest can list them
beside their own rows. Three queries whatever the number of points and families.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from casework.models import OrgUnit
from visits.models import Visit

from .models import ContactPoint, Family, FamilyContact
from .selectors import mask_name


@dataclass(frozen=True)
class OverdueContact:
    kind: str  # "point" (联系点) or "family" (联系户)
    pk: int  # the ContactPoint's or the Family's
    kind_label: str
    campaign_id: int
    campaign: str
    unit_id: int  # the unit responsible (联系单位 / 建档单位)
    unit: str
    name: str  # the enterprise or community; a family's masked name
    since: dt.date  # the quarter's first day: not contacted since then
    last_contact: dt.date | None
    link: str


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def overdue_contacts(unit_ids: Iterable[int], today: dt.date) -> list[OverdueContact]:
    """Contact points and families of running campaigns whose responsible unit lies in the
    subtree of one of ``unit_ids``, with no contact since the start of ``today``'s quarter.

    A point counts as visited by any visit to its enterprise (whatever group made it) or by
    a day logged there; a family by any recorded contact or help. A point or family set up
    this quarter is not overdue before the quarter's end.
    """
    paths = list(OrgUnit.objects.filter(pk__in=list(unit_ids)).values_list("path", flat=True))
    if not paths:
        return []
    within = Q()
    for path in paths:
        within |= Q(unit__path__startswith=path)
    return overdue_within(within, today)


def overdue_within(within: Q, today: dt.date) -> list[OverdueContact]:
    """``overdue_contacts`` for responsible units matching ``within`` (a ``Q`` on ``unit``)."""
    start = quarter_start(today)
    running = Q(campaign__period_start__lte=today, campaign__period_end__gte=start)
    visited = Visit.objects.filter(enterprise=OuterRef("place"), visited_on__gte=start, visited_on__lte=today)
    points = (
        ContactPoint.objects.filter(within, running, since__lt=start)
        .annotate(visited=Exists(visited))
        .filter(visited=False)
        .select_related("campaign", "unit", "place")
        .order_by("campaign_id", "place__path", "pk")
    )
    result = []
    last_visits = dict(
        Visit.objects.filter(enterprise__in=[p.place_id for p in points])
        .values("enterprise_id")
        .annotate(last=Max("visited_on"))
        .values_list("enterprise_id", "last")
    )
    for p in points:
        result.append(
            OverdueContact(
                kind="point",
                pk=p.pk,
                kind_label=_("联系点本季度未走访"),
                campaign_id=p.campaign_id,
                campaign=p.campaign.name,
                unit_id=p.unit_id,
                unit=p.unit.name,
                name=p.place.name,
                since=start,
                last_contact=last_visits.get(p.place_id),
                link=reverse("campaign:detail", args=[p.campaign_id]),
            )
        )
    contacted = FamilyContact.objects.filter(family=OuterRef("pk"), on__gte=start, on__lte=today)
    families = (
        Family.objects.filter(within, running, created_at__date__lt=start)
        .annotate(contacted=Exists(contacted), last=Max("contacts__on"))
        .filter(contacted=False)
        .select_related("campaign", "unit")
        .order_by("campaign_id", "pk")
    )
    for f in families:
        result.append(
            OverdueContact(
                kind="family",
                pk=f.pk,
                kind_label=_("联系户本季度未联系"),
                campaign_id=f.campaign_id,
                campaign=f.campaign.name,
                unit_id=f.unit_id,
                unit=f.unit.name,
                name=mask_name(f.head),
                since=start,
                last_contact=f.last,
                link=reverse("campaign:family", args=[f.pk]),
            )
        )
    return result


def digest_notice(unit, at) -> str:
    """The supervisors' digest line for ``unit``'s subtree: how many contacts are overdue
    (counts only, no names; the campaign page lists them)."""
    from django.utils import timezone

    rows = overdue_contacts([unit.pk], timezone.localdate(at))
    points = sum(1 for r in rows if r.kind == "point")
    families = len(rows) - points
    if not rows:
        return ""
    return _("双走双促：%(p)d 个联系点本季度未走访，%(f)d 户联系户本季度未联系。") % {"p": points, "f": families}
