"""Page: 四比四看 — units or cadres compared on 实事, 调研, 典型, 交友 and days; sortable; .xlsx."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import rules as case_rules
from casework import xlsx
from casework.clock import now
from casework.models import OrgUnit
from casework.models.org import FEDERATION_KINDS
from casework.xlsx import XLSX_TYPE

from .. import league as lg
from ..selectors import visible_campaigns


@login_required
def league(request):
    p = case_rules.profile(request.user)
    if p is None and not request.user.is_superuser:
        raise Http404
    today = timezone.localdate(now())
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else today.year
    by = "cadre" if request.GET.get("by") == "cadre" else "unit"
    sort = request.GET.get("sort", "days")
    sort = sort if sort in lg.SORTS else "days"
    campaigns = visible_campaigns(request.user).filter(period_start__year__lte=year, period_end__year__gte=year)
    if by == "cadre":
        rows = lg.cadre_league(campaigns, year, sort)
    else:
        units = OrgUnit.objects.filter(kind__in=FEDERATION_KINDS, active=True)
        if not request.user.is_superuser:
            units = units.filter(path__startswith=p.unit.path)
        rows = lg.unit_league(campaigns, units, year, sort)
    columns = [(k, str(label)) for k, label in lg.COLUMNS]
    if request.GET.get("format") == "xlsx":
        headers = [_("名次"), _("干部") if by == "cadre" else _("单位"), _("所在单位"), *[c[1] for c in columns]]
        table = ([r["rank"], r["name"], r["unit"], *[float(r[k]) if k == "days" else r[k] for k, _l in columns]]
                 for r in rows)  # fmt: skip
        unit = p.unit.name if p else _("全部单位")
        body = xlsx.workbook_bytes(
            [xlsx.Sheet(_("四比四看"), headers, table)],
            title=unit + " · " + _("四比四看"),
            period=xlsx.period_label(f"{year}-01-01", f"{year}-12-31"),
        )
        response = HttpResponse(body, content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="siBiSiKan-{by}-{year}.xlsx"'
        return response
    context = {
        "title": _("四比四看"),
        "rows": rows,
        "columns": columns,
        "by": by,
        "sort": sort,
        "year": year,
    }
    return render(request, "campaign/league.html", context)
