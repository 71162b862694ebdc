"""Reads of the campaign app, each a fixed number of queries whatever the data (house rule 3).

Visibility follows the unit tree: a user sees the campaigns of units in the subtree of their
own unit, plus those they take part in as a cadre; anything else answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from casework import rules as case_rules
from casework.validators import mask_phone

from .models import (
    SLOT_DAYS,
    Cadre,
    Campaign,
    CampaignGroup,
    Commitment,
    ContactPoint,
    Family,
    Pairing,
    Participation,
    Report,
    Typical,
    WorkLog,
)


def visible_campaigns(user) -> QuerySet[Campaign]:
    if user is None or not user.is_authenticated:
        return Campaign.objects.none()
    if user.is_superuser:
        return Campaign.objects.all()
    member = CampaignGroup.objects.filter(campaign=OuterRef("pk")).filter(Q(leader__user=user) | Q(members__user=user))
    visible = Q(Exists(member))
    profile = case_rules.profile(user)
    if profile is not None:
        visible |= Q(unit__path__startswith=profile.unit.path)
    return Campaign.objects.filter(visible)


def get_visible_campaign(user, pk: int) -> Campaign:
    try:
        return visible_campaigns(user).select_related("unit").prefetch_related("units").get(pk=pk)
    except Campaign.DoesNotExist:
        raise Http404 from None


def _group_qs():
    return CampaignGroup.objects.select_related("campaign__unit", "leader__unit", "work_group").prefetch_related(
        Prefetch("members", queryset=Cadre.objects.select_related("unit").order_by("name", "pk"))
    )


def get_visible_group(user, pk: int) -> CampaignGroup:
    try:
        return _group_qs().filter(campaign__in=visible_campaigns(user).values("pk")).get(pk=pk)
    except CampaignGroup.DoesNotExist:
        raise Http404 from None


def get_visible_family(user, pk: int) -> Family:
    try:
        return (
            Family.objects.filter(campaign__in=visible_campaigns(user).values("pk"))
            .select_related("campaign__unit", "unit", "created_by")
            .get(pk=pk)
        )
    except Family.DoesNotExist:
        raise Http404 from None


def visible_commitments(user) -> QuerySet[Commitment]:
    """办实事 commitments of units in the user's subtree (all for superusers)."""
    if user is None or not user.is_authenticated:
        return Commitment.objects.none()
    if user.is_superuser:
        return Commitment.objects.all()
    p = case_rules.profile(user)
    if p is None:
        return Commitment.objects.none()
    return Commitment.objects.filter(unit__path__startswith=p.unit.path)


def get_visible_point(user, pk: int) -> ContactPoint:
    if not 0 < pk < 2**63:
        raise Http404
    point = (
        ContactPoint.objects.filter(campaign__in=visible_campaigns(user).values("pk"))
        .select_related("campaign__unit", "place", "unit", "cadre")
        .filter(pk=pk)
        .first()
    )
    if point is None:
        raise Http404
    return point


def get_visible_pairing(user, pk: int) -> Pairing:
    if not 0 < pk < 2**63:
        raise Http404
    pairing = (
        Pairing.objects.filter(family__campaign__in=visible_campaigns(user).values("pk"))
        .select_related("family__campaign__unit", "cadre")
        .filter(pk=pk)
        .first()
    )
    if pairing is None:
        raise Http404
    return pairing


def campaign_list(user) -> list[Campaign]:
    return list(
        visible_campaigns(user)
        .select_related("unit")
        .annotate(n_groups=Count("groups", distinct=True))
        .order_by("-period_start", "pk")
    )


def campaign_groups(campaign: Campaign) -> list[CampaignGroup]:
    return list(_group_qs().filter(campaign=campaign).order_by("name", "pk"))


def campaign_cadres(campaign: Campaign) -> QuerySet[Cadre]:
    """Cadres a campaign may use: those of units inside its unit."""
    return Cadre.objects.filter(unit__path__startswith=campaign.unit.path).select_related("unit")


# --- progress against the targets ---------------------------------------------------------


@dataclass
class Measure:
    label: str
    done: Decimal | int
    goal: Decimal | int

    @property
    def short(self) -> Decimal | int:
        return max(self.goal - self.done, 0)

    @property
    def met(self) -> bool:
        return self.done >= self.goal


@dataclass
class CadreProgress:
    cadre: Cadre
    leader: bool
    groups: list[str]
    days: Decimal = Decimal(0)
    enterprises: int = 0
    workers: int = 0
    logs: int = 0
    reports: int = 0
    typicals: int = 0
    measures: list[Measure] = field(default_factory=list)

    @property
    def shortfalls(self) -> list[Measure]:
        return [m for m in self.measures if not m.met]


def cadre_progress(campaign: Campaign, groups: list[CampaignGroup] | None = None) -> list[CadreProgress]:
    """Each cadre of the campaign's groups with their days and counts against the targets
    (a leader's days against ``days_leader``); five queries.

    Workers met count once per visit a cadre took part in, enterprises once per enterprise.
    """
    groups = groups if groups is not None else campaign_groups(campaign)
    rows: dict[int, CadreProgress] = {}
    for g in groups:
        for cadre, is_leader in [(g.leader, True), *[(m, False) for m in g.members.all()]]:
            row = rows.setdefault(cadre.pk, CadreProgress(cadre=cadre, leader=False, groups=[]))
            row.leader = row.leader or is_leader
            row.groups.append(g.name)
    ours = Participation.objects.filter(group__campaign=campaign, cadre__in=list(rows))
    for r in ours.values("cadre_id", "slot").annotate(n=Count("pk")).order_by():
        rows[r["cadre_id"]].days += SLOT_DAYS[r["slot"]] * r["n"]
    seen: set[tuple[int, int]] = set()
    enterprises: dict[int, set[int]] = {}
    for cadre_id, visit_id, enterprise_id, workers in ours.values_list(
        "cadre_id", "visit_id", "visit__enterprise_id", "visit__workers_met"
    ).distinct():
        if (cadre_id, visit_id) in seen:
            continue
        seen.add((cadre_id, visit_id))
        rows[cadre_id].workers += workers
        enterprises.setdefault(cadre_id, set()).add(enterprise_id)
    for cadre_id, ents in enterprises.items():
        rows[cadre_id].enterprises = len(ents)
    for model, attr, key in (
        (WorkLog, "logs", "cadre_id"),
        (Report, "reports", "author_id"),
        (Typical, "typicals", "author_id"),
    ):
        for r in model.objects.filter(group__campaign=campaign).values(key).annotate(n=Count("pk")).order_by():
            if r[key] in rows:
                setattr(rows[r[key]], attr, r["n"])
    result = sorted(rows.values(), key=lambda r: (not r.leader, r.cadre.name, r.cadre.pk))
    for r in result:
        r.measures = [
            Measure(_("驻点天数"), r.days, campaign.days_leader if r.leader else campaign.days_cadre),
            Measure(_("走访企业（家）"), r.enterprises, campaign.enterprises),
            Measure(_("接触职工（人）"), r.workers, campaign.workers),
            Measure(_("工作日志（篇）"), r.logs, campaign.logs),
            Measure(_("调研报告（篇）"), r.reports, campaign.reports),
            Measure(_("典型（个）"), r.typicals, campaign.typicals),
        ]
    return result


def group_days(group: CampaignGroup) -> list[Participation]:
    return list(group.participations.select_related("cadre", "visit__enterprise").order_by("-day", "slot", "pk"))


def group_logs(group: CampaignGroup) -> list[WorkLog]:
    return list(group.logs.select_related("cadre").order_by("-day", "pk"))


def group_reports(group: CampaignGroup) -> list[Report]:
    return list(group.reports.select_related("author", "attachment").order_by("-filed_on", "pk"))


def group_typicals(group: CampaignGroup) -> list[Typical]:
    return list(group.typicals.select_related("author").order_by("-filed_on", "pk"))


# --- families (masked) -----------------------------------------------------------------------


def mask_name(name: str) -> str:
    """王大力 → 王**: the surname only, like the portal shows a worker."""
    return (name[:1] + "*" * (len(name) - 1)) if name else ""


def family_row(family: Family, *, unmask: bool = False) -> dict:
    """A family's fields for pages and the API; personal ones masked unless ``unmask``."""
    return {
        "id": family.pk,
        "campaign": family.campaign_id,
        "unit": family.unit.name,
        "head": family.head if unmask else mask_name(family.head),
        "phone": family.phone if unmask else mask_phone(family.phone),
        "address": family.address if unmask else ("***" if family.address else ""),
        "employer": family.employer,
        "members": family.members,
        "hardship": family.hardship,
        "hardship_label": family.get_hardship_display() if family.hardship else "",
        "situation": family.situation if unmask else "",
        "masked": not unmask,
    }


def campaign_families(campaign: Campaign) -> list[Family]:
    return list(
        campaign.families.select_related("unit")
        .prefetch_related("pairings__cadre")
        .annotate(n_contacts=Count("contacts"))
        .order_by("pk")
    )
