"""Pages of the reporting app: the 工作台账 (page, .xlsx, PDF) and the period reports."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from casework.exceptions import CaseworkError
from casework.views.pdf import render_pdf
from reports.views.common import bad_input, query, reports_required, scope_from

from . import ledger as ledger_mod

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
