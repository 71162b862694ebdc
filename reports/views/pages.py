"""The supervisors' pages: dashboard, gaps, the period report with charts and exports,
the league table, the officer view, systemic issues, the ledger."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from casework import rules
from casework.clock import now
from casework.exceptions import CaseworkError
from casework.models.org import Role
from casework.views.pdf import render_pdf
from casework.xlsx import period_label

from .. import charts, exports
from ..selectors import dashboard as dash
from ..selectors import league as lg
from ..selectors.outcomes import outcome_report
from ..selectors.scope import cohort, home_unit, jurisdiction_cases
from ..selectors.trends import backlog_ageing, monthly
from .common import bad_input, query, reports_required, scope_from


def _book(scope, title) -> dict:
    """An export's title (the unit and the report) and period, for ``casework.xlsx``'s header rows."""
    unit = scope.unit.name if scope.unit else _("全部单位")
    return {"title": f"{unit} · {title}", "period": period_label(scope.date_from, scope.date_to)}


@reports_required
def dashboard(request):
    at = now()
    cases = jurisdiction_cases(request.user)
    by_level, by_unit = dash.state_counts(cases, at)
    context = {
        "title": _("督导工作台"),
        "unit": home_unit(request.user),
        "by_level": by_level,
        "by_unit": by_unit,
        "totals": dash.totals(by_level),
        "red": dash.red_list(cases, at),
        "limit": dash.RED_LIST_LIMIT,
        "calendar_notice": _calendar_notice(request.user, at),
        "now": at,
    }
    return render(request, "reports/dashboard.html", context)


def _calendar_notice(user, at) -> str:
    """Supervisors and admins are told when next year's holiday schedule is not loaded."""
    if not (user.is_superuser or rules.role_of(user) in (Role.SUPERVISOR, Role.ADMIN)):
        return ""
    from escalation.provisional import schedule_missing_notice

    return schedule_missing_notice(at)


@reports_required
def gaps(request):
    at = now()
    context = {"title": _("事事有结果：未闭环案件"), **dash.gaps(jurisdiction_cases(request.user), at), "now": at}
    return render(request, "reports/gaps.html", context)


def _charts(report: dict, trend: dict, ageing: list) -> dict:
    month_labels = [m.strftime("%Y-%m") for m in trend["months"]]
    return {
        "intake": charts.lines(
            month_labels,
            [(_("受理"), trend["intake"]), (_("办结"), trend["closed"])],
            _("每月受理与办结"),
        ),
        "on_time": charts.lines(month_labels, [(_("按时率"), trend["on_time"])], _("按时办结率走势"), percent=True),
        "ageing": charts.hbars(ageing, _("积压案件账龄"), color=charts.PALETTE[3]),
        "outcomes": charts.stacked(
            [(report["outcome_labels"][c], n) for c, n in report["outcomes"].items()] + [(_("办理中"), report["open"])],
            _("办理结果构成"),
        ),
        "category": charts.hbars([(r["name"], r["count"]) for r in report["by_category"]], _("按诉求类别")),
    }


def _report_context(request, scope):
    at = now()
    report = outcome_report(scope, at=at)
    return {
        "title": _("事事有结果报表"),
        "report": report,
        "scope": scope,
        "query": query(scope),
        "charts": _charts(report, monthly(scope), backlog_ageing(scope, at)),
        "now": at,
    }


@reports_required
def outcomes(request):
    try:
        scope, form = scope_from(request)
    except CaseworkError as exc:
        return bad_input(request, exc, _("事事有结果报表"))
    fmt = request.GET.get("format", "")
    if fmt in ("xlsx", "csv"):
        report = outcome_report(scope, at=now())
        tables = exports.report_tables(report)
        name = f"outcome-report-{scope.date_from}-{scope.date_to}.{fmt}"
        return exports.table_response(fmt, tables, name, **_book(scope, _("事事有结果报表")))
    return render(request, "reports/outcomes.html", {**_report_context(request, scope), "form": form})


@reports_required
def outcomes_pdf(request):
    try:
        scope, _form = scope_from(request)
    except CaseworkError as exc:
        return bad_input(request, exc, _("事事有结果报表"))
    context = _report_context(request, scope)
    return render_pdf(
        request, "reports/outcomes_print.html", context, f"outcome-report-{scope.date_from}-{scope.date_to}.pdf"
    )


@reports_required
def outcomes_print(request):
    try:
        scope, _form = scope_from(request)
    except CaseworkError as exc:
        return bad_input(request, exc, _("事事有结果报表"))
    return render(request, "reports/outcomes_print.html", _report_context(request, scope))


LEAGUE_HEADERS = [
    "rank", "name", "handled", "answered", "escalated", "running", "avg_days", "on_time_rate", "satisfaction_rate",
]  # fmt: skip


@reports_required
def league(request):
    try:
        scope, form = scope_from(request)
    except CaseworkError as exc:
        return bad_input(request, exc, _("案件办理比拼"))
    sort = request.GET.get("sort", "answered")
    rows = lg.unit_league(scope, now(), sort)
    fmt = request.GET.get("format", "")
    if fmt in ("xlsx", "csv"):
        headers = [_("名次"), _("单位"), _("承办"), _("形成结果"), _("上报"), _("在办"), _("平均用时（天）"),
                   _("按时率"), _("满意率")]  # fmt: skip
        table = [(_("案件办理比拼"), headers, ([r[k] for k in LEAGUE_HEADERS] for r in rows))]
        name = f"league-{scope.date_from}-{scope.date_to}.{fmt}"
        return exports.table_response(fmt, table, name, **_book(scope, _("案件办理比拼：承办单位")))
    context = {"title": _("案件办理比拼：承办单位"), "rows": rows, "sort": sort, "form": form, "scope": scope,
               "query": query(scope)}  # fmt: skip
    return render(request, "reports/league.html", context)


@reports_required
def officers(request):
    try:
        scope, form = scope_from(request)
    except CaseworkError as exc:
        return bad_input(request, exc, _("经办人统计"))
    rows = lg.officer_view(scope)
    fmt = request.GET.get("format", "")
    keys = ["name", "unit", "role", "owned", "owned_open", *lg.OFFICER_ACTIONS]
    if fmt in ("xlsx", "csv"):
        headers = [_("姓名"), _("单位"), _("角色"), _("首问负责"), _("其中在办"), *lg.OFFICER_COLUMNS.values()]
        table = [(_("经办人统计"), headers, ([r[k] for k in keys] for r in rows))]
        name = f"officers-{scope.date_from}-{scope.date_to}.{fmt}"
        return exports.table_response(fmt, table, name, **_book(scope, _("经办人统计")))
    context = {"title": _("经办人统计"), "rows": rows, "columns": lg.OFFICER_COLUMNS.values(), "form": form,
               "scope": scope, "query": query(scope)}  # fmt: skip
    return render(request, "reports/officers.html", context)


@reports_required
def systemic(request):
    try:
        scope, form = scope_from(request)
    except CaseworkError as exc:
        return bad_input(request, exc, _("倾向性、普遍性问题"))
    data = lg.systemic_issues(scope)
    fmt = request.GET.get("format", "")
    if fmt in ("xlsx", "csv"):
        head = [_("名称"), _("件数"), _("涉及职工")]
        tables = [
            (title, head, ([r["name"], r["count"], r["workers"]] for r in data[key]))
            for title, key in [(_("按类别"), "by_category"), (_("按企业"), "by_enterprise"), (_("按地区"), "by_region")]
        ]
        name = f"systemic-{scope.date_from}-{scope.date_to}.{fmt}"
        return exports.table_response(fmt, tables, name, **_book(scope, _("倾向性、普遍性问题")))
    context = {"title": _("倾向性、普遍性问题"), **data, "form": form, "scope": scope, "query": query(scope)}
    return render(request, "reports/systemic.html", context)


@reports_required
def ledger(request, fmt: str):
    """工作台账: a row per case received in the period, streamed."""
    try:
        scope, _form = scope_from(request)
    except CaseworkError as exc:
        return bad_input(request, exc, _("工作台账"))
    table = [(_("工作台账"), exports.ledger_headers(), exports.ledger_rows(cohort(scope)))]
    name = f"ledger-{scope.date_from}-{scope.date_to}.{fmt}"
    return exports.table_response(fmt, table, name, **_book(scope, _("工作台账")))
