"""What every supervisors' page shares: the role check and the period × unit picker."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from casework.exceptions import CaseworkError

from ..forms import PeriodForm
from ..selectors.scope import can_view_reports, home_unit, parse_scope


def reports_required(view):
    """Logged in, and a supervisor, leader or admin (else 403)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_view_reports(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def scope_from(request):
    """(scope, form); bad dates raise ``CaseworkError`` (shown by ``bad_input``), a unit
    outside the jurisdiction raises 404."""
    form = PeriodForm(request.GET or None)
    scope = parse_scope(
        date_from=request.GET.get("from"),
        date_to=request.GET.get("to"),
        unit=request.GET.get("unit"),
        within=home_unit(request.user),
        everything=request.user.is_superuser,
    )
    return scope, form


def bad_input(request, exc: CaseworkError, title: str):
    messages = [str(m) for ms in (exc.fields or {}).values() for m in ms] or [str(exc.message)]
    return render(request, "reports/bad_input.html", {"title": title, "errors": messages}, status=400)


def query(scope) -> str:
    from urllib.parse import urlencode

    params = {"from": scope.date_from.isoformat(), "to": scope.date_to.isoformat()}
    if scope.unit is not None:
        params["unit"] = scope.unit.code
    return urlencode(params)
