"""Reads of the reception app, each a fixed number of queries (house rule 3).

A user sees the reception days of units in the subtree of their own unit, and the days they
receive at; anything else answers 404.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from casework import rules as case_rules
from casework.models import Case, OrgUnit
from casework.models.org import FEDERATION_KINDS

from .models import EntryOutcome, ReceptionEntry, ReceptionSession, SessionStatus


def visible_sessions(user) -> QuerySet[ReceptionSession]:
    if user is None or not user.is_authenticated:
        return ReceptionSession.objects.none()
    if user.is_superuser:
        return ReceptionSession.objects.all()
    leads = ReceptionSession.leaders.through.objects.filter(receptionsession=OuterRef("pk"), user=user)
    visible = Q(Exists(leads))
    profile = case_rules.profile(user)
    if profile is not None:
        visible |= Q(unit__path__startswith=profile.unit.path)
    return ReceptionSession.objects.filter(visible)


def visible_entries(user) -> QuerySet[ReceptionEntry]:
    return ReceptionEntry.objects.filter(session__in=visible_sessions(user).values("pk"))


def _leaders():
    from django.contrib.auth import get_user_model

    return Prefetch("leaders", queryset=get_user_model().objects.order_by("pk"))


MAX_ID = 2**63 - 1


def get_visible_session(user, pk: int) -> ReceptionSession:
    if not 0 < pk <= MAX_ID:
        raise Http404
    try:
        return (
            visible_sessions(user)
            .select_related("unit", "created_by", "closed_by", "signed_off_by")
            .prefetch_related(_leaders(), Prefetch("cases", queryset=Case.objects.only("pk", "number", "summary")))
            .get(pk=pk)
        )
    except (ReceptionSession.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_visible_entry(user, pk: int) -> ReceptionEntry:
    if not 0 < pk <= MAX_ID:
        raise Http404
    try:
        return (
            visible_entries(user)
            .select_related("session__unit", "enterprise", "category", "case", "leader", "outcome_by")
            .prefetch_related("session__leaders")
            .get(pk=pk)
        )
    except (ReceptionEntry.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def session_list(user, *, start: dt.date | None = None, end: dt.date | None = None) -> list[ReceptionSession]:
    qs = visible_sessions(user).select_related("unit").prefetch_related(_leaders())
    tz = timezone.get_current_timezone()
    if start:
        qs = qs.filter(starts_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz))
    if end:
        qs = qs.filter(starts_at__lt=dt.datetime.combine(end, dt.time.min, tzinfo=tz))
    return list(qs.annotate(n_entries=Count("entries")).order_by("starts_at", "pk"))


def entries_of(session: ReceptionSession) -> list[ReceptionEntry]:
    return list(
        session.entries.select_related("enterprise", "category", "case", "leader", "outcome_by").order_by("number")
    )


@dataclass
class MonthCalendar:
    year: int
    month: int
    weeks: list[list[tuple[dt.date | None, list[ReceptionSession]]]]
    prev: dt.date
    next: dt.date


def month_calendar(user, year: int, month: int) -> MonthCalendar:
    first = dt.date(year, month, 1)
    last_day = calendar.monthrange(year, month)[1]
    following = first + dt.timedelta(days=last_day)
    by_day: dict[dt.date, list[ReceptionSession]] = {}
    for s in session_list(user, start=first, end=following):
        by_day.setdefault(timezone.localtime(s.starts_at).date(), []).append(s)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([(d if d.month == month else None, by_day.get(d, [])) for d in week])
    prev = (first - dt.timedelta(days=1)).replace(day=1)
    return MonthCalendar(year=year, month=month, weeks=weeks, prev=prev, next=following)


@dataclass
class SessionSummary:
    """接待人次, 登记件数, 当场解答, 转办, 涉及人数, by category."""

    entries: int = 0
    people: int = 0
    cases: int = 0
    answered: int = 0
    referred: int = 0
    out_of_scope: int = 0
    pending: int = 0
    groups: int = 0
    by_category: list[tuple[str, int, int]] = field(default_factory=list)


def session_summary(entries: list[ReceptionEntry]) -> SessionSummary:
    s = SessionSummary()
    per_category: Counter = Counter()
    people_per_category: Counter = Counter()
    for e in entries:
        s.entries += 1
        s.people += e.head_count
        s.groups += e.head_count > 1
        if e.outcome == EntryOutcome.CASE:
            s.cases += 1
        elif e.outcome == EntryOutcome.ANSWERED:
            s.answered += 1
        elif e.outcome == EntryOutcome.REFERRED:
            s.referred += 1
        elif e.outcome == EntryOutcome.OUT_OF_SCOPE:
            s.out_of_scope += 1
        else:
            s.pending += 1
        name = e.category.name if e.category_id else "—"
        per_category[name] += 1
        people_per_category[name] += e.head_count
    s.by_category = [(name, n, people_per_category[name]) for name, n in sorted(per_category.items())]
    return s


def leader_cases(user, leader) -> QuerySet[Case]:
    """A leader's 包案 cases started at a reception day (the case's leader, filed from a register entry)."""
    from casework.selectors import visible_cases

    return (
        visible_cases(user)
        .filter(leader=leader, reception_entry__isnull=False)
        .select_related("reception_entry__session__unit", "category", "enterprise")
        .order_by("-received_at")
    )


@dataclass
class HeldRow:
    unit: OrgUnit
    planned: int
    held: int
    cancelled: int


def held_vs_planned(user, year: int, month: int) -> list[HeldRow]:
    """Per federation unit in the user's subtree: reception days planned, held (closed) and
    cancelled in the month; units with none held come first."""
    p = case_rules.profile(user)
    units = OrgUnit.objects.filter(kind__in=FEDERATION_KINDS, active=True)
    if not user.is_superuser:
        if p is None:
            return []
        units = units.filter(path__startswith=p.unit.path)
    first = dt.date(year, month, 1)
    following = first + dt.timedelta(days=calendar.monthrange(year, month)[1])
    tz = timezone.get_current_timezone()
    counts = (
        ReceptionSession.objects.filter(
            unit__in=units,
            starts_at__gte=dt.datetime.combine(first, dt.time.min, tzinfo=tz),
            starts_at__lt=dt.datetime.combine(following, dt.time.min, tzinfo=tz),
        )
        .values("unit")
        .annotate(
            planned=Count("pk"),
            held=Count("pk", filter=Q(status=SessionStatus.CLOSED)),
            cancelled=Count("pk", filter=Q(status=SessionStatus.CANCELLED)),
        )
    )
    by_unit = {row["unit"]: row for row in counts}
    rows = []
    for unit in units.order_by("path"):
        c = by_unit.get(unit.pk, {})
        rows.append(HeldRow(unit, c.get("planned", 0), c.get("held", 0), c.get("cancelled", 0)))
    rows.sort(key=lambda r: (r.held > 0, r.unit.path))
    return rows
