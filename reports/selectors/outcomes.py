"""The period report (事事有结果): every figure an aggregate over the cohort.

On PostgreSQL, for a county-level scope, the aggregates are sums over the rollup
(``reports.rollup``, kept by triggers); otherwise three passes over cases, stays and clocks.
Both give the same figures (``tests/reports/test_rollup.py``).

Cohort: the cases received in the period in the unit subtree (``scope.cohort``), their
status as of now. Each case is in exactly one outcome bucket or ``open``: open means a
handling status (registered, enterprise, union, government); every other status carries
the outcome the services set (answered/closed: the result; not accepted, withdrawn, merged).
"""

from __future__ import annotations

import datetime as dt

from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from casework.models import Case, CaseStage
from casework.models.case import LADDER, OPEN_STATUSES, Level, Outcome, Satisfaction, Status
from escalation.models import ClockKind, DeadlineClock, Stage
from voices.selectors import figures as voice_figures

from .. import rollup
from ..db import ExactSeconds, PercentileCont, SecondsBetween, on_postgres, percentile_fallback
from .scope import Scope, by_county, cohort, county_ids

DAY = 86400.0
RATED = [Satisfaction.SATISFIED, Satisfaction.BASICALLY, Satisfaction.DISSATISFIED]
GOOD = [Satisfaction.SATISFIED, Satisfaction.BASICALLY]
RESOLVED = [Outcome.RESOLVED, Outcome.PARTLY_RESOLVED]
FINISHED_FOR_RESOLUTION = [Outcome.RESOLVED, Outcome.PARTLY_RESOLVED, Outcome.EXPLAINED, Outcome.NOT_ACCEPTED]
CLOCK_STAGES = [Stage.RECEIPT, Stage.ENTERPRISE, Stage.UNION, Stage.GOVERNMENT, Stage.REPLY, Stage.FOLLOW_UP]

DEFINITIONS = {
    "received": _("受理量：统计区间内受理（登记）的案件数，按受理时间统计。"),
    "open": _(
        "办理中：上述案件中目前仍处于登记、企业层面、工会层面、党委政府层面办理的案件；其余每件案件恰属一种办理结果。"
    ),
    "on_time_rate": _("按时办结率：上述案件各环节时限中，已结束或已超期的计时里按期完成的比例（挂起时间不计）。"),
    "response_rate": _(
        "响应率：上述案件中，在受理告知时限内完成受理告知（受理或不予受理并告知）的比例；"
        "分母为已告知或已超期未告知的案件。"
    ),
    "resolution_rate": _(
        "解决率：已解决与部分解决的案件 ÷ 已形成办理结果的案件"
        "（已解决、部分解决、解释答复、不予受理；撤回、合并不计）。"
    ),
    "satisfaction_rate": _(
        "满意率：满意与基本满意 ÷ 已评价（满意、基本满意、不满意）；未评价不计入分母。"
        "每次回访评价都计入案件所在期间，复查重办前的评价也计入。"
    ),
    "rated_share": _("参评率：已评价 ÷ 已回访或办结（含未评价）的案件。"),
    "handling_time": _(
        "办理用时：各层级从进入该层级到离开（上报或形成结果）的自然时长，平均值与第90百分位（线性插值）。"
    ),
}


def _rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _case_aggregates() -> dict:
    still_open = Q(status__in=OPEN_STATUSES)
    aggregates = {
        "received": Count("pk"),
        "open": Count("pk", filter=still_open),
        "answered_not_replied": Count("pk", filter=Q(status=Status.ANSWERED, replied_at__isnull=True)),
        "replied_no_follow_up": Count("pk", filter=Q(status=Status.ANSWERED, replied_at__isnull=False)),
        "reopened": Count("pk", filter=Q(reopen_count__gt=0)),
        "reopens": Sum("reopen_count"),
        "systemic": Count("pk", filter=Q(systemic=True)),
        "workers_involved": Sum("workers_involved"),
        "level_none": Count("pk", filter=Q(level="")),
    }
    for code in Outcome.values:
        aggregates[f"outcome_{code}"] = Count("pk", filter=~still_open & Q(outcome=code))
    for code in Level.values:
        aggregates[f"level_{code}"] = Count("pk", filter=Q(level=code))
    for code in Satisfaction.values:
        aggregates[f"sat_{code}"] = Count("pk", filter=Q(satisfaction=code))
    return aggregates


def case_figures(cases) -> dict:
    """One query: received, open, outcome buckets, levels, satisfaction, reopen, gaps."""
    return cases.aggregate(**_case_aggregates())


def _by_count(counts: dict[tuple, int]) -> list[dict]:
    """``ORDER BY count DESC, code`` over ``{(code, name): count}``."""
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    return [{"code": code, "name": name, "count": n} for (code, name), n in rows]


def case_figures_grouped(cases) -> tuple[dict, list[dict], list[dict]]:
    """``case_figures``, ``by_channel`` and ``by_category`` in one pass over the cohort: the
    conditional aggregates grouped by channel × category (at most a few hundred rows), then
    summed here. Sums of counts, so the figures are those of the three separate queries."""
    aggregates = _case_aggregates()
    dims = ("channel__code", "channel__name", "category__code", "category__name")
    rows = list(cases.values(*dims).annotate(**aggregates).order_by())
    sums = ("reopens", "workers_involved")  # Sum over no rows is NULL, Count is 0
    totals = {key: sum(r[key] or 0 for r in rows) if rows or key not in sums else None for key in aggregates}
    channels: dict[tuple, int] = {}
    categories: dict[tuple, int] = {}
    for r in rows:
        for out, code, name in ((channels, "channel__code", "channel__name"), (categories, *dims[2:])):
            out[r[code], r[name]] = out.get((r[code], r[name]), 0) + r["received"]
    return totals, _by_count(channels), _by_count(categories)


def grouped(cases, code_field: str, name_field: str) -> list[dict]:
    rows = cases.values(code_field, name_field).annotate(count=Count("pk")).order_by("-count", code_field)
    return [{"code": r[code_field], "name": r[name_field], "count": r["count"]} for r in rows]


def _clock_rows(cases, at: dt.datetime) -> dict:
    """{stage: counters} of the cohort's stage clocks, computed directly."""
    late_running = Q(stopped_at__isnull=True, paused_at__isnull=True, due_at__isnull=False, due_at__lte=at)
    rows = (
        DeadlineClock.objects.filter(case__in=cases.values("pk"), kind=ClockKind.STAGE)
        .values("stage")
        .annotate(
            total=Count("pk"),
            on_time=Count("pk", filter=Q(stopped_at__isnull=False, late=False)),
            late=Count("pk", filter=Q(stopped_at__isnull=False, late=True) | late_running),
            running=Count("pk", filter=Q(stopped_at__isnull=True)),
            extensions_requested=Count("pk", filter=Q(extension_requested_at__isnull=False)),
            extensions_approved=Count("pk", filter=Q(extension_approved_at__isnull=False)),
        )
    )
    return {r["stage"]: r for r in rows}


def _stage_list(by_stage: dict) -> list[dict]:
    out = []
    for stage in [*CLOCK_STAGES, *(s for s in by_stage if s not in CLOCK_STAGES)]:
        r = by_stage.get(stage)
        if r is None:
            continue
        judged = r["on_time"] + r["late"]
        out.append(
            {
                "stage": stage,
                "name": str(Stage(stage).label) if stage in Stage.values else stage,
                "total": r["total"],
                "judged": judged,
                "on_time": r["on_time"],
                "late": r["late"],
                "running": r["running"],
                "on_time_rate": _rate(r["on_time"], judged),
                "extensions_requested": r["extensions_requested"],
                "extensions_approved": r["extensions_approved"],
            }
        )
    return out


def clock_figures(cases, at: dt.datetime) -> list[dict]:
    """Per stage: clocks judged (finished, or running past due), on time, late, extensions."""
    return _stage_list(_clock_rows(cases, at))


def _stay_rows(cases) -> dict:
    """{level: (finished, total seconds, p90 seconds)} of the cohort's finished stays, directly."""
    stays = CaseStage.objects.filter(case__in=cases.values("pk"), ended_at__isnull=False)
    seconds = SecondsBetween("ended_at", "started_at")
    annotations = {"finished": Count("pk"), "total": Sum(ExactSeconds("ended_at", "started_at"))}
    if on_postgres():
        annotations["p90"] = PercentileCont(seconds, 0.9)
    out = {}
    for r in stays.values("level").annotate(**annotations).order_by():
        if r["level"] not in LADDER:
            continue
        p90 = r["p90"] if "p90" in r else percentile_fallback(stays.filter(level=r["level"]), seconds, 0.9)
        out[r["level"]] = (r["finished"], r["total"], p90)
    return out


def _handling_list(rows: dict) -> list[dict]:
    out = []
    for level in LADDER:
        r = rows.get(level.value)
        if r is None:
            out.append(
                {"level": level.value, "name": str(level.label), "finished": 0, "avg_days": None, "p90_days": None}
            )
            continue
        finished, total, p90 = r
        out.append(
            {
                "level": level.value,
                "name": str(level.label),
                "finished": finished,
                "avg_days": round(float(total) / finished / DAY, 2),
                "p90_days": round(p90 / DAY, 2) if p90 is not None else None,
            }
        )
    return out


def handling_times(cases) -> list[dict]:
    """Per level, from CaseStage: finished stays, average and 90th percentile in days."""
    return _handling_list(_stay_rows(cases))


def _direct(scope: Scope, at: dt.datetime) -> tuple[dict, list, list, dict, dict]:
    """The report's raw figures from cases, stays and clocks: three passes over the cohort."""
    cases = cohort(scope)
    f, by_channel, by_category = case_figures_grouped(cases)
    return f, by_channel, by_category, _clock_rows(cases, at), _stay_rows(cases)


def _from_rollup(scope: Scope, at: dt.datetime, cursor) -> tuple[dict, list, list, dict, dict]:
    """The same raw figures from the rollup (``reports.rollup``): sums over a few thousand rows."""
    counties = county_ids(scope.unit)
    args = (cursor, counties, scope.date_from, scope.date_to)
    channels, categories = rollup.key_counts(*args)
    return (
        rollup.case_figures(*args),
        _by_count(channels),
        _by_count(categories),
        rollup.clock_rows(*args, scope.start, scope.end, at),
        rollup.stay_rows(*args, [lv.value for lv in LADDER]),
    )


def earlier_ratings(cases) -> dict[str, int]:
    """Satisfaction recorded in rounds that a 复查 later reopened: ``case_reopen`` clears the
    case's rating, but the worker's 不满意 (or any rating) still counts in the case's period.
    Read from the history: each ``reopen`` row follows the row that held the cleared rating.
    Only reopened cases are read (``reopen_count > 0``, the partial index ``case_reopened``),
    a small share of any cohort; their ids first, so the history is read by its case-id index
    (one subquery let the planner walk the whole history table instead)."""
    counts = dict.fromkeys(Satisfaction.values, 0)
    ids = list(cases.filter(reopen_count__gt=0).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 1000):
        rows = (
            Case.history.filter(id__in=ids[start : start + 1000])
            .order_by("id", "history_date", "history_id")
            .values_list("id", "last_action", "satisfaction")
        )
        previous = None
        for case_id, action, satisfaction in rows:
            if action == "reopen" and previous and previous[0] == case_id and previous[1] in counts:
                counts[previous[1]] += 1
            previous = (case_id, satisfaction)
    return counts


def raw_figures(scope: Scope, at: dt.datetime, *, method: str = "auto") -> tuple[dict, list, list, dict, dict]:
    """``method``: ``auto`` (the rollup when it can answer the scope, else direct), ``direct``
    or ``rollup`` (tests: an error when the rollup cannot answer)."""
    if method != "direct" and by_county(scope.unit) and on_postgres():
        alias = router.db_for_read(Case) or DEFAULT_DB_ALIAS
        with connections[alias].cursor() as cursor:
            if rollup.usable(cursor):
                return _from_rollup(scope, at, cursor)
    if method == "rollup":
        raise RuntimeError("the report rollup cannot answer this scope")
    return _direct(scope, at)


def outcome_report(scope: Scope, *, at: dt.datetime, method: str = "auto") -> dict:
    """The figures of the period report, JSON-ready (the API, the command, the pages)."""
    f, by_channel, by_category, clock_rows, stay_rows = raw_figures(scope, at, method=method)
    outcomes = {code: f[f"outcome_{code}"] for code in Outcome.values}
    earlier = earlier_ratings(cohort(scope))
    satisfaction = {code: f[f"sat_{code}"] + earlier[code] for code in Satisfaction.values}
    stages = _stage_list(clock_rows)
    rated = sum(satisfaction[c] for c in RATED)
    followed = rated + satisfaction[Satisfaction.NOT_RATED]
    judged = sum(s["judged"] for s in stages)
    on_time = sum(s["on_time"] for s in stages)
    receipt = next((s for s in stages if s["stage"] == Stage.RECEIPT), None)
    levels = [{"code": "", "name": str(_("未进入办理层级")), "count": f["level_none"]}] + [
        {"code": lv.value, "name": str(lv.label), "count": f[f"level_{lv.value}"]} for lv in LADDER
    ]
    return {
        "period": scope.as_dict(),
        "generated_at": at.isoformat(),
        "received": f["received"],
        "open": f["open"],
        "outcomes": outcomes,
        "outcome_labels": {code: str(Outcome(code).label) for code in Outcome.values},
        "by_channel": by_channel,
        "by_category": by_category,
        "by_level": levels,
        "stages": stages,
        "handling_time": _handling_list(stay_rows),
        "extensions": {
            "requested": sum(s["extensions_requested"] for s in stages),
            "approved": sum(s["extensions_approved"] for s in stages),
        },
        "reopened": f["reopened"],
        "reopens": f["reopens"] or 0,
        "systemic": f["systemic"],
        "workers_involved": f["workers_involved"] or 0,
        "satisfaction": satisfaction,
        "satisfaction_labels": {code: str(Satisfaction(code).label) for code in Satisfaction.values},
        "rated_share": _rate(rated, followed),
        "gaps": {"answered_not_replied": f["answered_not_replied"], "replied_no_follow_up": f["replied_no_follow_up"]},
        "on_time_rate": _rate(on_time, judged),
        "response_rate": _rate(receipt["on_time"], receipt["judged"]) if receipt else None,
        "resolution_rate": _rate(sum(outcomes[c] for c in RESOLVED), sum(outcomes[c] for c in FINISHED_FOR_RESOLUTION)),
        "satisfaction_rate": _rate(sum(satisfaction[c] for c in GOOD), rated),
        "definitions": {k: str(v) for k, v in DEFINITIONS.items()},
        # 条条有回音: voices raised outside cases (interviews, 座谈会, visits, reception days).
        "voices": voice_figures(
            unit_path=scope.unit.path if scope.unit else None, start=scope.date_from, end=scope.date_to, at=at
        ),
    }
