"""工作台账 (002 十九): per unit and period, the seven columns — 组织领导, 参与干部, 驻点时间,
职工意见, 所办事项, 办理结果, 职工评价 — drawn from what was recorded once: reception days,
visits (with their interviews) and cases. Nothing is typed twice.

A case filed at a reception day or from a visit's interview shows under that day or visit;
the other cases of the period are rows of their own. The case ledger (``reports.exports``)
is the workbook's second sheet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import Case
from casework.models.case import Outcome, Satisfaction
from reception.models import EntryOutcome, ReceptionSession, SessionStatus
from reports.selectors.scope import Scope, cohort
from visits.models import Visit

LIMIT = 5000  # rows per ledger (a county's year is a few hundred)


def COLUMNS() -> list[str]:  # noqa: N802 - a constant, translated when read
    return [
        _("序号"),
        _("来源"),
        _("组织领导"),
        _("参与干部"),
        _("驻点时间"),
        _("职工意见"),
        _("所办事项"),
        _("办理结果"),
        _("职工评价"),
    ]


@dataclass
class LedgerRow:
    source: str
    on: dt.date
    leaders: str
    cadres: str
    when_where: str
    opinions: str
    matters: str
    results: str
    ratings: str

    def cells(self, n: int) -> list:
        return [n, self.source, self.leaders, self.cadres, self.when_where, self.opinions, self.matters,
                self.results, self.ratings]  # fmt: skip


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _case_result(case: Case) -> str:
    if case.outcome:
        return f"{case.number} {Outcome(case.outcome).label}"
    return f"{case.number} {case.get_status_display()}"


def _ratings(cases) -> str:
    counts: dict[str, int] = {}
    for c in cases:
        if c.satisfaction:
            label = str(Satisfaction(c.satisfaction).label)
            counts[label] = counts.get(label, 0) + 1
    return "；".join(f"{k} {v}" for k, v in counts.items())


def _bounds(scope: Scope):
    return scope.start, scope.end


def _path(scope: Scope) -> str | None:
    return scope.unit.path if scope.unit else None


def reception_rows(scope: Scope) -> list[LedgerRow]:
    start, end = _bounds(scope)
    qs = ReceptionSession.objects.filter(status=SessionStatus.CLOSED, starts_at__gte=start, starts_at__lt=end)
    if _path(scope) is not None:
        qs = qs.filter(unit__path__startswith=_path(scope))
    qs = qs.select_related("unit", "created_by", "closed_by").prefetch_related(
        "leaders",
        Prefetch(
            "entries__case", queryset=Case.objects.only("pk", "number", "outcome", "status", "satisfaction")
        ),  # fmt: skip
    )
    rows = []
    for s in qs.order_by("starts_at", "pk")[:LIMIT]:
        entries = list(s.entries.all())
        cases = [e.case for e in entries if e.case_id]
        counts = {o: sum(e.outcome == o for e in entries) for o in EntryOutcome.values}
        local = timezone.localtime(s.starts_at)
        rows.append(LedgerRow(
            source=_("主席接待日") + f"（{s.get_form_display()}）",
            on=local.date(),
            leaders="、".join(_name(u) for u in s.leaders.all()),
            cadres="、".join(dict.fromkeys(_name(u) for u in (s.created_by, s.closed_by) if u)),
            when_where=f"{local:%Y-%m-%d %H:%M}–{timezone.localtime(s.ends_at):%H:%M} {s.place}",
            opinions=_("接待%(n)s人次，涉及%(p)s人：") % {"n": len(entries), "p": sum(e.head_count for e in entries)}
            + "；".join(e.raised[:40] for e in entries),
            matters="；".join(c.number for c in cases) or "—",
            results="；".join(
                [f"{EntryOutcome(o).label} {n}" for o, n in counts.items() if n] + [_case_result(c) for c in cases]
            ),
            ratings=_ratings(cases),
        ))  # fmt: skip
    return rows


def visit_rows(scope: Scope) -> list[LedgerRow]:
    qs = Visit.objects.filter(visited_on__gte=scope.date_from, visited_on__lte=scope.date_to)
    if _path(scope) is not None:
        qs = qs.filter(group__unit__path__startswith=_path(scope))
    qs = qs.select_related("group__leader", "enterprise", "created_by").prefetch_related(
        "group__members", "interviews__case"
    )
    rows = []
    for v in qs.order_by("visited_on", "pk")[:LIMIT]:
        interviews = list(v.interviews.all())
        cases = [i.case for i in interviews if i.case_id]
        opinions = [t for t in (v.state_of_mind, v.conditions, v.stability_risks) if t]
        opinions += [i.request for i in interviews if i.request]
        rows.append(LedgerRow(
            source=_("走访") + f"（{v.get_kind_display()}）",
            on=v.visited_on,
            leaders=_name(v.group.leader),
            cadres="、".join(_name(u) for u in v.group.members.all()),
            when_where=f"{v.visited_on:%Y-%m-%d} {v.enterprise.name} {v.place}".strip(),
            opinions=_("接触职工%(n)s人：") % {"n": v.workers_met} + "；".join(t[:60] for t in opinions),
            matters="；".join(c.number for c in cases) or "—",
            results="；".join(_case_result(c) for c in cases),
            ratings=_ratings(cases),
        ))  # fmt: skip
    return rows


def case_rows(scope: Scope) -> list[LedgerRow]:
    """Cases of the period not already shown under a reception day or a visit."""
    qs = (
        cohort(scope)
        .filter(reception_entry__isnull=True, visit_interviews__isnull=True)
        .select_related("leader", "owner", "channel")
        .order_by("received_at", "pk")
    )
    rows = []
    for c in qs[:LIMIT]:
        local = timezone.localtime(c.received_at)
        rows.append(LedgerRow(
            source=_("案件") + f"（{c.channel.name}）",
            on=local.date(),
            leaders=_name(c.leader),
            cadres=_name(c.owner),
            when_where=f"{local:%Y-%m-%d} {c.place}".strip(),
            opinions=c.summary[:120],
            matters=f"{c.number} {c.request[:80]}",
            results=_case_result(c) + (f"：{c.result[:80]}" if c.result else ""),
            ratings=str(Satisfaction(c.satisfaction).label) if c.satisfaction else "",
        ))  # fmt: skip
    return rows


def ledger(scope: Scope) -> list[LedgerRow]:
    rows = reception_rows(scope) + visit_rows(scope) + case_rows(scope)
    return sorted(rows, key=lambda r: r.on)


def numbered(rows: list[LedgerRow]) -> Iterator[list]:
    for n, row in enumerate(rows, start=1):
        yield row.cells(n)


def ledger_workbook(scope: Scope, rows: list[LedgerRow]) -> bytes:
    """The .xlsx (``casework.xlsx``'s layout: title, period, widths, frozen header); the case ledger as sheet two."""
    from casework import xlsx
    from reports import exports

    unit = scope.unit.name if scope.unit else _("全部单位")
    sheets = [
        xlsx.Sheet(_("工作台账"), COLUMNS(), numbered(rows), wrap=True),
        xlsx.Sheet(_("案件台账"), exports.ledger_headers(), exports.ledger_rows(cohort(scope))),
    ]
    return xlsx.workbook_bytes(
        sheets,
        title=_("%(unit)s 工作台账") % {"unit": unit},
        period=xlsx.period_label(scope.date_from, scope.date_to),
    )
