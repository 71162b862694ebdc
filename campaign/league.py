"""四比四看 as the campaign documents mean it (001): units and cadres compared on 比实事
(办实事 commitments done), 比调研 (调研报告 filed), 比典型 (典型 filed), 比交友 (contact
families paired with or contacted) and days at the grassroots.

A handful of grouped queries over the year's campaigns, merged per cadre or per unit in Python
(hundreds of units, thousands of cadres: never a loop over records).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from casework.models import OrgUnit

from .models import SLOT_DAYS, Cadre, Campaign, Commitment, CommitmentStatus, FamilyContact, Pairing, Participation
from .models import Report as ReportModel
from .models import Typical as TypicalModel

COLUMNS = [
    ("shishi", _("比实事（办实事）")),
    ("reports", _("比调研（调研报告）")),
    ("typicals", _("比典型（典型）")),
    ("friends", _("比交友（联系户）")),
    ("days", _("驻点天数")),
]
SORTS = [key for key, _label in COLUMNS]


def _blank() -> dict:
    return {"shishi": 0, "reports": 0, "typicals": 0, "friends": 0, "days": Decimal(0)}


def _per_cadre(campaigns: QuerySet[Campaign], year: int) -> dict[int, dict]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows: dict[int, dict] = {}
    days = (
        Participation.objects.filter(group__campaign__in=campaigns, day__range=(start, end))
        .values("cadre_id", "slot")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for r in days:
        rows.setdefault(r["cadre_id"], _blank())["days"] += SLOT_DAYS[r["slot"]] * r["n"]
    for model, key in ((ReportModel, "reports"), (TypicalModel, "typicals")):
        counted = (
            model.objects.filter(group__campaign__in=campaigns, filed_on__range=(start, end))
            .values("author_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for r in counted:
            rows.setdefault(r["author_id"], _blank())[key] = r["n"]
    friends: dict[int, set[int]] = {}
    paired = Pairing.objects.filter(family__campaign__in=campaigns, since__lte=end).exclude(until__lt=start)
    for cadre_id, family_id in paired.values_list("cadre_id", "family_id").distinct():
        friends.setdefault(cadre_id, set()).add(family_id)
    contacted = FamilyContact.objects.filter(family__campaign__in=campaigns, on__range=(start, end))
    for cadre_id, family_id in contacted.values_list("delivered_by_id", "family_id").distinct():
        friends.setdefault(cadre_id, set()).add(family_id)
    for cadre_id, families in friends.items():
        rows.setdefault(cadre_id, _blank())["friends"] = len(families)
    return rows


def _rank(rows: list[dict], sort: str) -> list[dict]:
    sort = sort if sort in SORTS else "days"
    rows.sort(key=lambda r: (-r[sort], r["name"]))
    for i, r in enumerate(rows, 1):
        r["rank"] = i
    return rows


def cadre_league(campaigns: QuerySet[Campaign], year: int, sort: str = "days") -> list[dict]:
    """One row per cadre with anything recorded in ``year`` (比实事 is a unit's: 0 here)."""
    per = _per_cadre(campaigns, year)
    cadres = Cadre.objects.filter(pk__in=list(per)).select_related("unit")
    rows = [{"name": c.name, "unit": c.unit.name, **per[c.pk]} for c in cadres]
    return _rank(rows, sort)


def unit_league(campaigns: QuerySet[Campaign], units: QuerySet[OrgUnit], year: int, sort: str = "days") -> list[dict]:
    """One row per unit of ``units`` (federations): its cadres' figures added up, and the
    办实事 commitments it completed in ``year``. A cadre counts for the nearest of ``units``
    above their own unit."""
    per = _per_cadre(campaigns, year)
    units = list(units.order_by("-path"))  # deepest first: the nearest unit wins
    rows: dict[int, dict] = {u.pk: {"name": u.name, "unit": u.name, **_blank()} for u in units}

    def home(path: str) -> int | None:
        for u in units:
            if path.startswith(u.path):
                return u.pk
        return None

    for cadre_id, path in Cadre.objects.filter(pk__in=list(per)).values_list("pk", "unit__path"):
        pk = home(path)
        if pk is not None:
            for key in ("reports", "typicals", "friends", "days"):
                rows[pk][key] += per[cadre_id][key]
    done = (
        Commitment.objects.filter(unit__in=[u.pk for u in units], year=year, status=CommitmentStatus.DONE)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for r in done:
        rows[r["unit_id"]]["shishi"] = r["n"]
    return _rank(list(rows.values()), sort)
