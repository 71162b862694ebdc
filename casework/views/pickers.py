"""Searchable pickers for fields that take a code: units, staff, cases (``?q=``, JSON).

Each answers at most 20 rows as ``{"value": ..., "label": ...}``; ``value`` is what the
field accepts ("名称（代码）", or a case number), ``label`` what the list shows beside it.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import JsonResponse

from .. import selectors
from ..models import OrgUnit
from ..models.org import UnitKind

LIMIT = 20


def _q(request) -> str:
    return (request.GET.get("q") or "").strip()[:50]


@login_required
def units(request):
    """``?q=&kind=government``: active units whose name or code contains q (any kind but
    enterprises unless ``kind`` names one)."""
    q, kind = _q(request), request.GET.get("kind", "")
    rows = OrgUnit.objects.filter(active=True)
    rows = rows.filter(kind=kind) if kind in UnitKind.values else rows.exclude(kind=UnitKind.ENTERPRISE)
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(code__icontains=q))
    results = [
        {"value": f"{u.name}（{u.code}）", "label": str(UnitKind(u.kind).label)} for u in rows.order_by("path")[:LIMIT]
    ]
    return JsonResponse({"results": results})


@login_required
def staff(request):
    """``?q=``: active staff whose name or user name contains q, with their unit."""
    q = _q(request)
    rows = get_user_model().objects.filter(is_active=True, staff__isnull=False).select_related("staff__unit")
    if q:
        rows = rows.filter(Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q))
    results = [
        {"value": f"{u.get_full_name() or u.username}（{u.username}）", "label": u.staff.unit.name}
        for u in rows.order_by("username")[:LIMIT]
    ]
    return JsonResponse({"results": results})


@login_required
def cases(request):
    """``?q=``: cases the user can see whose number contains q, newest first."""
    q = _q(request)
    rows = selectors.visible_cases(request.user).select_related("category", "enterprise")
    if q:
        rows = rows.filter(number__icontains=q)
    results = [
        {"value": c.number, "label": f"{c.enterprise.name} · {c.category.name} · {c.get_status_display()}"}
        for c in rows.order_by("-received_at")[:LIMIT]
    ]
    return JsonResponse({"results": results})
