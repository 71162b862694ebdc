"""The per-case audit page (督导检查): same visibility as the case page, plus the reports role."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from casework import selectors

from ..selectors.audit import case_audit
from .common import reports_required


@reports_required
def case_audit_page(request, number: str):
    case = selectors.get_visible_case(request.user, number)
    context = {"title": _("案件督查：%(number)s") % {"number": case.number}, "case": case, **case_audit(case)}
    return render(request, "reports/audit.html", context)
