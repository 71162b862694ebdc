"""Reads of the visits app, each a fixed number of queries whatever the data (house rule 3).

Visibility follows the unit tree like cases: a user sees the groups (and their visits and
interviews) of units in the subtree of their own unit, plus the groups they lead or belong
to; anything else answers 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext_noop

from casework import rules as case_rules
from casework.models import Case, OrgUnit
from casework.models.case import Outcome

from .models import EnterpriseProfile, EnterpriseType, Interview, Target, Visit, WorkGroup

INTERVIEW_RELATED = ("group", "visit__enterprise", "interviewer", "signed_off_by", "category", "case")


def visible_groups(user) -> QuerySet[WorkGroup]:
    if user is None or not user.is_authenticated:
        return WorkGroup.objects.none()
    if user.is_superuser:
        return WorkGroup.objects.all()
    membership = WorkGroup.members.through.objects.filter(workgroup=OuterRef("pk"), user=user)
    visible = Q(leader=user) | Q(Exists(membership))
    profile = case_rules.profile(user)
    if profile is not None:
        visible |= Q(unit__path__startswith=profile.unit.path)
    return WorkGroup.objects.filter(visible)


def visible_visits(user) -> QuerySet[Visit]:
    return Visit.objects.filter(group__in=visible_groups(user).values("pk"))


def visible_interviews(user) -> QuerySet[Interview]:
    return Interview.objects.filter(group__in=visible_groups(user).values("pk"))


def _members():
    return Prefetch("members", queryset=get_user_model().objects.order_by("pk"))


def get_visible_group(user, pk: int) -> WorkGroup:
    try:
        return visible_groups(user).select_related("unit", "leader").prefetch_related(_members()).get(pk=pk)
    except WorkGroup.DoesNotExist:
        raise Http404 from None


def get_visible_visit(user, pk: int) -> Visit:
    try:
        return (
            visible_visits(user)
            .select_related("group__unit", "group__leader", "enterprise", "created_by")
            .prefetch_related("group__members")
            .get(pk=pk)
        )
    except Visit.DoesNotExist:
        raise Http404 from None


def get_visible_interview(user, pk: int) -> Interview:
    try:
        return (
            visible_interviews(user)
            .select_related(*INTERVIEW_RELATED, "group__unit", "group__leader", "visit__group")
            .prefetch_related("group__members")
            .get(pk=pk)
        )
    except Interview.DoesNotExist:
        raise Http404 from None


def group_list(user) -> QuerySet[WorkGroup]:
    """Visible groups with their counts (one query)."""
    return (
        visible_groups(user)
        .select_related("unit", "leader")
        .annotate(
            n_visits=Count("visits", distinct=True),
            n_interviews=Count("interviews", distinct=True),
        )
        .order_by("unit__path", "name", "pk")
    )


def group_visits(group: WorkGroup) -> list[Visit]:
    return list(
        group.visits.select_related("enterprise").annotate(n_interviews=Count("interviews")).order_by("-visited_on")
    )


def visit_interviews(visit: Visit) -> list[Interview]:
    return list(visit.interviews.select_related(*INTERVIEW_RELATED).order_by("number"))


def visit_cases(visit: Visit) -> list[Case]:
    """Cases filed from the visit's interviews."""
    return list(
        Case.objects.filter(visit_interviews__visit=visit)
        .select_related("worker", "category", "handling_unit")
        .order_by("received_at", "pk")
    )


def interview_register(interviews: QuerySet[Interview]) -> list[Interview]:
    """The rows of the 个案访谈登记册, in number order (one query)."""
    return list(interviews.select_related(*INTERVIEW_RELATED).order_by("group__pk", "number"))


# --- targets ---------------------------------------------------------------------------


@dataclass
class Progress:
    label: str
    done: int
    goal: int

    @property
    def percent(self) -> int:
        if not self.goal:
            return 100
        return min(100, round(self.done * 100 / self.goal))

    @property
    def met(self) -> bool:
        return self.done >= self.goal


@dataclass
class TargetProgress:
    target: Target
    enterprises: int
    workers: int
    interviews: int
    bars: list[Progress] = field(default_factory=list)


def target_progress(group: WorkGroup) -> list[TargetProgress]:
    """Each target of the group with what was done in its period (three queries).

    Counted by the visit date: distinct enterprises visited, the sum of workers met, and the
    interviews recorded under those visits.
    """
    from django.utils.translation import gettext as _

    targets = list(group.targets.order_by("-period_start", "pk"))
    if not targets:
        return []
    start = min(t.period_start for t in targets)
    end = max(t.period_end for t in targets)
    visits = list(
        group.visits.filter(visited_on__range=(start, end))
        .annotate(n_interviews=Count("interviews"))
        .values_list("visited_on", "enterprise_id", "workers_met", "n_interviews")
    )
    result = []
    for t in targets:
        rows = [v for v in visits if t.period_start <= v[0] <= t.period_end]
        p = TargetProgress(
            target=t,
            enterprises=len({r[1] for r in rows}),
            workers=sum(r[2] for r in rows),
            interviews=sum(r[3] for r in rows),
        )
        for label, done, goal in (
            (_("走访企业（家）"), p.enterprises, t.min_enterprises),
            (_("接触职工（人）"), p.workers, t.min_workers),
            (_("个案访谈（人）"), p.interviews, t.min_interviews),
        ):
            if goal:
                p.bars.append(Progress(label=label, done=done, goal=goal))
        result.append(p)
    return result


# --- the per-unit summary ------------------------------------------------------------------


@dataclass
class UnitSummary:
    unit: OrgUnit
    visits: int
    enterprises: int
    workers: int
    interviews: int
    cases: int
    by_type: list[tuple[str, int]]
    outcomes: list[tuple[str, int]]
    open_cases: int
    groups: list[WorkGroup]


def summary_units(user) -> QuerySet[OrgUnit]:
    """Units a user may see the summary of: their unit's subtree (federations only)."""
    from casework.models.org import FEDERATION_KINDS

    qs = OrgUnit.objects.filter(kind__in=FEDERATION_KINDS)
    if user.is_superuser:
        return qs
    profile = case_rules.profile(user)
    if profile is None:
        return OrgUnit.objects.none()
    return qs.filter(path__startswith=profile.unit.path)


def unit_summary(unit: OrgUnit, *, start: dt.date | None = None, end: dt.date | None = None) -> UnitSummary:
    """走访情况汇总 for the groups of ``unit``'s subtree in a date range (five queries)."""
    visits = Visit.objects.filter(group__unit__path__startswith=unit.path)
    if start:
        visits = visits.filter(visited_on__gte=start)
    if end:
        visits = visits.filter(visited_on__lte=end)
    totals = visits.aggregate(n=Count("pk"), enterprises=Count("enterprise", distinct=True), workers=Sum("workers_met"))
    types = EnterpriseProfile.objects.filter(enterprise__in=visits.values("enterprise")).aggregate(
        **{t.value: Count("pk", filter=Q(**{t.value: True})) for t in EnterpriseType}
    )
    interviews = Interview.objects.filter(visit__in=visits.values("pk"))
    counts = interviews.aggregate(n=Count("pk"), cases=Count("case"))
    outcome_rows = (
        Case.objects.filter(pk__in=interviews.exclude(case=None).values("case"))
        .values("outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # A case with an outcome counts under it (事事有结果); without one it is still being handled.
    outcomes: dict[str, int] = {}
    open_cases = 0
    for row in outcome_rows:
        if row["outcome"]:
            label = str(Outcome(row["outcome"]).label)
            outcomes[label] = outcomes.get(label, 0) + row["n"]
        else:
            open_cases += row["n"]
    groups = list(
        WorkGroup.objects.filter(unit__path__startswith=unit.path)
        .select_related("unit", "leader")
        .annotate(
            n_visits=Count("visits", filter=Q(visits__in=visits.values("pk")), distinct=True),
            n_workers=Sum("visits__workers_met", filter=Q(visits__in=visits.values("pk"))),
        )
        .order_by("unit__path", "name")
    )
    return UnitSummary(
        unit=unit,
        visits=totals["n"],
        enterprises=totals["enterprises"],
        workers=totals["workers"] or 0,
        interviews=counts["n"],
        cases=counts["cases"],
        by_type=[(str(t.label), types[t.value]) for t in EnterpriseType],
        outcomes=sorted(outcomes.items(), key=lambda kv: -kv[1]),
        open_cases=open_cases,
        groups=groups,
    )


# --- the interview sample ----------------------------------------------------------------------

AGE_BANDS = (
    (0, 25, gettext_noop("25岁以下")),
    (25, 35, gettext_noop("25–34岁")),
    (35, 45, gettext_noop("35–44岁")),
    (45, 55, gettext_noop("45–54岁")),
    (55, 200, gettext_noop("55岁及以上")),
)


def interview_sample(group: WorkGroup) -> list[tuple[str, list[tuple[str, int]]]]:
    """How the group's interview sample is spread (one query): by 性别, 年龄段 (at the
    interview), 用工形式, 文化程度 and enterprise type, so a group sees whether it is spread
    as asked. Unknowns count under 未填."""
    from django.utils.translation import gettext as _

    from casework.models.worker import Gender

    rows = list(group.interviews.select_related("visit__enterprise__visit_profile"))
    unknown = _("未填")

    def tally(values) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for v in values:
            counts[v] = counts.get(v, 0) + 1
        return sorted(counts.items(), key=lambda kv: (kv[0] == unknown, -kv[1], kv[0]))

    def age(i) -> str:
        if not i.birth_month:
            return unknown
        years = i.interviewed_at.year - int(i.birth_month[:4])
        return next((_(label) for lo, hi, label in AGE_BANDS if lo <= years < hi), unknown)

    def employment(i) -> str:
        if i.dispatched:
            return _("劳务派遣工")
        return _("农民工") if i.migrant else _("其他用工")

    def types(i) -> list[str]:
        profile = getattr(i.visit.enterprise, "visit_profile", None)
        return (profile.type_labels() if profile else []) or [unknown]

    return [
        (_("性别"), tally(str(Gender(i.gender).label) if i.gender != "unknown" else unknown for i in rows)),
        (_("年龄段"), tally(age(i) for i in rows)),
        (_("用工形式"), tally(employment(i) for i in rows)),
        (_("文化程度"), tally(i.education or unknown for i in rows)),
        (_("企业类型"), tally(t for i in rows for t in types(i))),
    ]
