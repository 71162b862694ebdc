"""Pages of the reporting app: the 工作台账 (page, .xlsx, PDF) and the period reports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import rules as case_rules
from casework.exceptions import CaseworkError
from casework.views.errors import apply_error
from casework.views.pdf import render_pdf
from casework.xlsx import XLSX_TYPE
from reports.views.common import bad_input, query, reports_required, scope_from

from . import forms, selectors, services
from . import ledger as ledger_mod
from .models import ReportingPeriod, ReportStatus


def _ledger_context(request):
    scope, form = scope_from(request)
    rows = ledger_mod.ledger(scope)
    return scope, {
        "title": _("工作台账"),
        "scope": scope,
        "form": form,
        "query": query(scope),
        "columns": ledger_mod.COLUMNS(),
        "rows": list(ledger_mod.numbered(rows)),
        "unit_name": scope.unit.name if scope.unit else _("全部单位"),
    }


@reports_required
def ledger_page(request):
    try:
        _scope, context = _ledger_context(request)
    except CaseworkError as exc:
        return bad_input(request, exc, _("工作台账"))
    return render(request, "reporting/ledger.html", context)


@reports_required
def ledger_xlsx(request):
    try:
        scope, _form = scope_from(request)
    except CaseworkError as exc:
        return bad_input(request, exc, _("工作台账"))
    body = ledger_mod.ledger_workbook(scope, ledger_mod.ledger(scope))
    response = HttpResponse(body, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="work-ledger-{scope.date_from}-{scope.date_to}.xlsx"'
    return response


@reports_required
def ledger_pdf(request):
    try:
        scope, context = _ledger_context(request)
    except CaseworkError as exc:
        return bad_input(request, exc, _("工作台账"))
    return render_pdf(request, "reporting/ledger_print.html", context, f"work-ledger-{scope.date_from}.pdf")


@reports_required
def ledger_print(request):
    try:
        _scope, context = _ledger_context(request)
    except CaseworkError as exc:
        return bad_input(request, exc, _("工作台账"))
    return render(request, "reporting/ledger_print.html", context)


# --- 定期上报 -------------------------------------------------------------------------------


def _flash(request, exc: CaseworkError) -> None:
    texts = [str(m) for ms in (exc.fields or {}).values() for m in ms] or [str(exc.message)]
    for text in texts:
        messages.error(request, text)


@login_required
def periods(request):
    p = case_rules.profile(request.user)
    if p is None:
        raise PermissionDenied
    rows = []
    for period in ReportingPeriod.objects.filter(active=True).order_by("-due_on")[:20]:
        own = period.reports.filter(unit=p.unit).first()
        children = selectors.children_status(p.unit, period)
        rows.append({"period": period, "own": own, "children": children,
                     "totals": selectors.subtree_totals(children)})  # fmt: skip
    context = {"title": _("定期上报"), "rows": rows, "unit": p.unit, "can_report": p.unit.parent_id is not None}
    return render(request, "reporting/periods.html", context)


@login_required
@require_POST
def report_start(request, period_pk: int):
    period = get_object_or_404(ReportingPeriod, pk=period_pk)
    p = case_rules.profile(request.user)
    if p is None:
        raise PermissionDenied
    try:
        report = services.report_start(actor=request.user, period=period, unit=p.unit)
    except CaseworkError as exc:
        _flash(request, exc)
        return redirect("reporting:periods")
    return redirect("reporting:report", pk=report.pk)


def _report_context(request, report, form=None):
    figures = (
        report.figures
        if report.status == ReportStatus.SUBMITTED
        else selectors.live_figures(report.period, report.unit)
    )
    systemic = report.systemic if report.status == ReportStatus.SUBMITTED else figures.get("systemic_cases", [])
    return {
        "title": _("定期上报") + " · " + str(report.period),
        "report": report,
        "figures": figures,
        "systemic": systemic,
        "frozen": report.status == ReportStatus.SUBMITTED,
        "form": form,
        "can_submit": services.is_head(request.user, report.unit) and report.status != ReportStatus.SUBMITTED,
        "can_return": services.is_upper(request.user, report.unit) and report.status == ReportStatus.SUBMITTED,
        "return_form": forms.ReturnForm(),
        "onward_form": forms.OnwardForm() if services.is_upper(request.user, report.unit) else None,
        "onward": list(report.onward.all()),
        "history": list(report.history.select_related("history_user").order_by("-history_date")[:50]),
    }


@login_required
def report_detail(request, pk: int):
    report = selectors.get_visible_report(request.user, pk)
    editable = services.is_member(request.user, report.unit) and report.status != ReportStatus.SUBMITTED
    form = None
    status = 200
    if editable:
        initial = {name: getattr(report, name) for name in services.NARRATIVE}
        form = forms.NarrativeForm(request.POST or None, initial=initial)
        if request.method == "POST":
            status = 422
            if form.is_valid():
                try:
                    services.report_edit(actor=request.user, report=report, **form.cleaned_data)
                except CaseworkError as exc:
                    apply_error(form, exc)
                else:
                    messages.success(request, _("已保存工作简报。"))
                    return redirect("reporting:report", pk=report.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "reporting/report.html", _report_context(request, report, form), status=status)


def _report_post(request, pk, call, success):
    report = selectors.get_visible_report(request.user, pk)
    try:
        call(report)
    except CaseworkError as exc:
        _flash(request, exc)
    else:
        messages.success(request, success)
    return redirect("reporting:report", pk=report.pk)


@login_required
@require_POST
def report_submit(request, pk: int):
    return _report_post(request, pk, lambda r: services.report_submit(actor=request.user, report=r), _("已签发上报。"))


@login_required
@require_POST
def report_return(request, pk: int):
    comment = request.POST.get("comment", "")
    return _report_post(
        request, pk, lambda r: services.report_return(actor=request.user, report=r, comment=comment), _("已退回。")
    )


@login_required
@require_POST
def onward_record(request, pk: int):
    form = forms.OnwardForm(request.POST)

    def call(report):
        if not form.is_valid():
            raise CaseworkError(_("请完整填写报送对象、日期和内容。"))
        services.onward_record(actor=request.user, report=report, **form.cleaned_data)

    return _report_post(request, pk, call, _("已记录向上报送情况。"))


def report_table(report, figures) -> list[tuple[str, object]]:
    v = figures.get("voices") or {}
    r = figures.get("reception") or {}
    return [
        (_("受理职工诉求（件）"), figures.get("received", 0)),
        (_("尚在办理（件）"), figures.get("open", 0)),
        (_("涉及职工（人）"), figures.get("workers_involved", 0)),
        (_("倾向性、普遍性问题（件）"), figures.get("systemic", 0)),
        (_("主席接待日：计划 / 举办（次）"), f"{r.get('planned', 0)} / {r.get('held', 0)}"),
        (_("案件以外的职工诉求（条）"), v.get("received", 0)),
        (_("其中当场答复 / 登记为案件 / 无需办理 / 尚未回音"),
         f"{v.get('answered', 0)} / {v.get('case', 0)} / {v.get('no_action', 0)} / {v.get('unanswered', 0)}"),
    ]  # fmt: skip


def _print_context(request, pk):
    report = selectors.get_visible_report(request.user, pk)
    context = _report_context(request, report)
    context["table"] = report_table(report, context["figures"])
    return report, context


@login_required
def report_print(request, pk: int):
    _report, context = _print_context(request, pk)
    return render(request, "reporting/report_print.html", context)


@login_required
def report_pdf(request, pk: int):
    report, context = _print_context(request, pk)
    return render_pdf(request, "reporting/report_print.html", context, f"period-report-{report.pk}.pdf")


@login_required
def report_xlsx(request, pk: int):
    from casework import xlsx

    report, context = _print_context(request, pk)
    period = report.period
    figures = [[_("状态"), str(report.get_status_display())], *[[str(k), v] for k, v in context["table"]]]
    brief = [[str(report._meta.get_field(n).verbose_name), getattr(report, n)] for n in services.NARRATIVE]
    systemic = [[c["number"], c["category"], c["summary"], c["workers"]] for c in context["systemic"]]
    sheets = [
        xlsx.Sheet(_("上报数据"), [_("指标"), _("数值")], figures),
        xlsx.Sheet(_("工作简报"), [_("项目"), _("内容")], brief, wrap=True),
        xlsx.Sheet(_("倾向性、普遍性问题"), [_("案件编号"), _("诉求类别"), _("反映问题"), _("涉及人数")], systemic),
    ]
    body = xlsx.workbook_bytes(
        sheets,
        title=f"{report.unit.name} · {period.name}",
        period=xlsx.period_label(period.starts_on, period.ends_on),
    )
    response = HttpResponse(body, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="period-report-{report.pk}.xlsx"'
    return response
