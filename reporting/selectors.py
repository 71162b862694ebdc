"""Reads of 定期上报: live figures for a period, the upper union's view of its children
(submitted / late / returned), and the subtree totals computed from the submissions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import rules as case_rules
from casework.clock import now
from casework.models import OrgUnit
from casework.models.org import FEDERATION_KINDS
from reception.models import ReceptionSession, SessionStatus
from reports.selectors.outcomes import outcome_report
from reports.selectors.scope import Scope, cohort

from .models import PeriodReport, ReportDeadline, ReportingPeriod, ReportStatus

TOTALLED = ("received", "open", "systemic", "workers_involved")


def live_figures(period: ReportingPeriod, unit: OrgUnit) -> dict:
    """The figures as they are now: the 事事有结果 report, reception days, systemic cases."""
    scope = Scope(period.starts_on, period.ends_on, unit)
    at = now()
    report = outcome_report(scope, at=at)
    sessions = ReceptionSession.objects.filter(
        unit__path__startswith=unit.path, starts_at__gte=scope.start, starts_at__lt=scope.end
    )
    systemic = [
        {"number": c.number, "category": c.category.name, "summary": c.summary[:200], "workers": c.workers_involved}
        for c in cohort(scope).filter(systemic=True).select_related("category").order_by("received_at")[:200]
    ]
    return {
        "generated_at": at.isoformat(),
        "received": report["received"],
        "open": report["open"],
        "outcomes": report["outcomes"],
        "systemic": report["systemic"],
        "workers_involved": report["workers_involved"],
        "on_time_rate": report["on_time_rate"],
        "satisfaction_rate": report["satisfaction_rate"],
        "voices": report["voices"],
        "reception": {
            "planned": sessions.count(),
            "held": sessions.filter(status=SessionStatus.CLOSED).count(),
        },
        "systemic_cases": systemic,
    }


def prefill_work_done(f: dict) -> str:
    return _(
        "本期共受理职工诉求%(received)s件，尚在办理%(open)s件；举办主席接待日%(held)s次；"
        "收到案件以外的职工诉求%(voices)s条，尚未回音%(unanswered)s条。"
    ) % {
        "received": f["received"], "open": f["open"], "held": f["reception"]["held"],
        "voices": f["voices"]["received"], "unanswered": f["voices"]["unanswered"],
    }  # fmt: skip


def prefill_typical(f: dict) -> str:
    return "\n".join(f"{c['number']} {c['category']}：{c['summary']}" for c in f["systemic_cases"][:10])


def visible_reports(user) -> QuerySet[PeriodReport]:
    if user is None or not user.is_authenticated:
        return PeriodReport.objects.none()
    if user.is_superuser:
        return PeriodReport.objects.all()
    p = case_rules.profile(user)
    if p is None:
        return PeriodReport.objects.none()
    return PeriodReport.objects.filter(unit__path__startswith=p.unit.path)


def get_visible_report(user, pk: int) -> PeriodReport:
    if not 0 < pk < 2**63:
        raise Http404
    report = (
        visible_reports(user)
        .select_related("unit", "period", "submitted_by", "returned_by", "created_by")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    return report


@dataclass
class ChildRow:
    unit: OrgUnit
    report: PeriodReport | None
    state: str  # submitted / submitted_late / returned / draft / missing
    late: bool
    deadline: ReportDeadline | None = None  # what the reporting sweep did (warned / breached)

    @property
    def label(self) -> str:
        return {
            "submitted": _("已按时上报"),
            "submitted_late": _("逾期上报"),
            "returned": _("已退回"),
            "draft": _("起草中"),
            "missing": _("未上报"),
        }[self.state]


def children_status(unit: OrgUnit, period: ReportingPeriod, today: dt.date | None = None) -> list[ChildRow]:
    """The federations directly under ``unit``: who submitted, who is late (past the due date)."""
    today = today or timezone.localdate(now())
    children = list(OrgUnit.objects.filter(parent=unit, kind__in=FEDERATION_KINDS, active=True).order_by("path"))
    reports = {r.unit_id: r for r in PeriodReport.objects.filter(period=period, unit__in=children)}
    clocks = {d.unit_id: d for d in ReportDeadline.objects.filter(period=period, unit__in=children)}
    rows = []
    for child in children:
        r = reports.get(child.pk)
        overdue = today > period.due_on
        if r is not None and r.status == ReportStatus.SUBMITTED:
            late = timezone.localtime(r.submitted_at).date() > period.due_on
            rows.append(ChildRow(child, r, "submitted_late" if late else "submitted", late, clocks.get(child.pk)))
        else:
            state = r.status if r is not None else "missing"
            rows.append(ChildRow(child, r, state, overdue, clocks.get(child.pk)))
    return rows


def subtree_totals(rows: list[ChildRow]) -> dict:
    """Totals of the submitted children's frozen figures (what was reported, not the live data)."""
    totals: dict = {k: 0 for k in TOTALLED}
    totals["voices"] = {}
    totals["reception_held"] = 0
    totals["reports"] = 0
    for row in rows:
        if row.report is None or row.report.status != ReportStatus.SUBMITTED:
            continue
        f = row.report.figures
        totals["reports"] += 1
        for k in TOTALLED:
            totals[k] += f.get(k) or 0
        for k, v in (f.get("voices") or {}).items():
            totals["voices"][k] = totals["voices"].get(k, 0) + v
        totals["reception_held"] += (f.get("reception") or {}).get("held", 0)
    return totals
