"""公示: the public results board. No login; nothing about the worker, no free text."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render
from django.utils.translation import gettext as _

from ..selectors.board import published


def board(request):
    rows = published()
    category = (request.GET.get("category") or "")[:40]
    if category:
        rows = rows.filter(case__category__code=category)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    summary = (
        rows.values("case__category__name", "case__outcome").annotate(n=Count("pk")).order_by("case__category__name")
    )
    context = {"title": _("办理结果公示"), "page": page, "summary": summary}
    response = render(request, "reports/board.html", context)
    response["Cache-Control"] = "public, max-age=300"
    return response
