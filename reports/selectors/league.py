"""案件办理比拼: the unit league table and the officer view; systemic issues (倾向性、普遍性问题).

Case handling compared on case figures; the campaign's 四比四看 (实事, 调研, 典型, 交友) is
``campaign.league``.

Each table is one or two grouped queries over the cohort; the merge of two small
per-unit aggregates happens in Python (a few hundred units, never a loop over cases).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, Q
from django.utils.translation import gettext_lazy as _

from casework.models import Case, CaseStage
from casework.models.case import OPEN_STATUSES, StageResult
from escalation.models import LEVEL_STAGES, ClockKind, DeadlineClock

from ..db import SecondsBetween
from .outcomes import GOOD, RATED, _rate
from .scope import Scope, cohort

DAY = 86400.0
SORTS = {
    "answered": ("-answered", True),
    "speed": ("avg_days", False),
    "satisfaction": ("satisfaction_rate", True),
    "on_time": ("on_time_rate", True),
}


def unit_league(scope: Scope, at: dt.datetime, sort: str = "answered") -> list[dict]:
    cases = cohort(scope)
    stays = (
        CaseStage.objects.filter(case__in=cases.values("pk"))
        .values("unit_id", "unit__code", "unit__name")
        .annotate(
            handled=Count("pk"),
            answered=Count("pk", filter=Q(result=StageResult.ANSWERED)),
            escalated=Count("pk", filter=Q(result=StageResult.ESCALATED)),
            running=Count("pk", filter=Q(ended_at__isnull=True)),
            avg_seconds=Avg(SecondsBetween("ended_at", "started_at"), filter=Q(ended_at__isnull=False)),
            rated=Count("pk", filter=Q(result=StageResult.ANSWERED, case__satisfaction__in=RATED)),
            good=Count("pk", filter=Q(result=StageResult.ANSWERED, case__satisfaction__in=GOOD)),
        )
    )
    late_running = Q(stopped_at__isnull=True, paused_at__isnull=True, due_at__lte=at)
    clocks = {
        r["unit_id"]: r
        for r in DeadlineClock.objects.filter(case__in=cases.values("pk"), kind=ClockKind.STAGE, stage__in=LEVEL_STAGES)
        .values("unit_id")
        .annotate(
            on_time=Count("pk", filter=Q(stopped_at__isnull=False, late=False)),
            late=Count("pk", filter=Q(stopped_at__isnull=False, late=True) | late_running),
        )
    }
    rows = []
    for r in stays:
        c = clocks.get(r["unit_id"], {"on_time": 0, "late": 0})
        rows.append(
            {
                "code": r["unit__code"],
                "name": r["unit__name"],
                "handled": r["handled"],
                "answered": r["answered"],
                "escalated": r["escalated"],
                "running": r["running"],
                "avg_days": round(r["avg_seconds"] / DAY, 2) if r["avg_seconds"] is not None else None,
                "satisfaction_rate": _rate(r["good"], r["rated"]),
                "rated": r["rated"],
                "on_time": c["on_time"],
                "late": c["late"],
                "on_time_rate": _rate(c["on_time"], c["on_time"] + c["late"]),
            }
        )
    key, descending = SORTS.get(sort, SORTS["answered"])
    name = key.lstrip("-")
    present = [r for r in rows if r[name] is not None]
    missing = [r for r in rows if r[name] is None]
    present.sort(key=lambda r: r[name], reverse=descending)
    ranked = present + missing
    for i, r in enumerate(ranked, 1):
        r["rank"] = i
    return ranked


# What the officer view counts per person, in its columns' order, with the columns' titles
# (the page and the exports share them).
OFFICER_COLUMNS = {
    "resolve": _("形成结果"),
    "escalate": _("上报"),
    "reply": _("答复"),
    "inform": _("告知职工"),
    "follow_up": _("回访"),
    "note": _("办理记录"),
    "urge": _("催办"),
    "supervise": _("督办"),
    "accountability": _("问责"),
}
OFFICER_ACTIONS = list(OFFICER_COLUMNS)


def officer_view(scope: Scope) -> list[dict]:
    """Per staff member: cases owned (首问负责) in the cohort, and what they recorded on them."""
    cases = cohort(scope)
    owned = {
        r["owner_id"]: r
        for r in cases.values("owner_id").annotate(
            owned=Count("pk"), owned_open=Count("pk", filter=Q(status__in=OPEN_STATUSES))
        )
    }
    acts = {}
    history = Case.history.filter(id__in=cases.values("pk"), last_action__in=OFFICER_ACTIONS)
    for r in history.values("history_user_id", "last_action").annotate(n=Count("pk")).order_by():
        acts.setdefault(r["history_user_id"], {})[r["last_action"]] = r["n"]
    ids = {i for i in [*owned, *acts] if i is not None}
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=ids).select_related("staff__unit")}
    rows = []
    for pk in ids:
        user = users.get(pk)
        if user is None:
            continue
        staff = getattr(user, "staff", None)
        row = {
            "username": user.username,
            "name": user.get_full_name() or user.username,
            "unit": staff.unit.name if staff else "",
            "role": staff.get_role_display() if staff else "",
            "owned": owned.get(pk, {}).get("owned", 0),
            "owned_open": owned.get(pk, {}).get("owned_open", 0),
        }
        for action in OFFICER_ACTIONS:
            row[action] = acts.get(pk, {}).get(action, 0)
        row["acts"] = [row[action] for action in OFFICER_ACTIONS]
        rows.append(row)
    rows.sort(key=lambda r: (-r["resolve"], -r["owned"], r["username"]))
    return rows


def systemic_issues(scope: Scope) -> dict:
    """Flagged cases (倾向性、普遍性问题) grouped by category, enterprise and region (county)."""
    flagged = cohort(scope).filter(systemic=True)

    def group(code: str, name: str) -> list[dict]:
        rows = flagged.values(code, name).annotate(count=Count("pk"), workers=Count("worker", distinct=True))
        return [
            {"code": r[code], "name": r[name], "count": r["count"], "workers": r["workers"]}
            for r in rows.order_by("-count", code)
        ]

    return {
        "total": flagged.count(),
        "by_category": group("category__code", "category__name"),
        "by_enterprise": group("enterprise__code", "enterprise__name"),
        "by_region": group("county__code", "county__name"),
        "cases": list(flagged.select_related("category", "enterprise", "county").order_by("-received_at")[:200]),
    }
