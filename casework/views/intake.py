"""The intake desk: register a worker's problem on one page."""

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import services
from ..exceptions import CaseworkError
from ..models import OrgUnit
from ..models.org import UnitKind
from .errors import apply_error


@login_required
@permission_required("casework.register_case", raise_exception=True)
def register(request):
    from ..forms import IntakeForm

    form = IntakeForm(request.POST or None, initial={"accept": True, "workers_involved": 1})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = services.CaseInput(
            worker=form.worker_data(),
            enterprise=d["enterprise"],
            category=d["category"].code,
            channel=d["channel"].code,
            summary=d["summary"],
            request=d["request"],
            consent=d["consent"],
            workers_involved=d["workers_involved"],
            urgent=d["urgent"],
            place=d["place"],
        )
        try:
            case = services.case_register(actor=request.user, data=data, accept=d["accept"])
        except CaseworkError as exc:
            apply_error(form, exc)
        else:
            return redirect("casework:receipt", number=case.number)
    status = 422 if request.method == "POST" else 200
    return render(request, "casework/intake.html", {"form": form, "title": _("登记受理")}, status=status)


@login_required
def enterprise_search(request):
    """``?q=``: up to 20 active enterprises whose name or code contains q."""
    q = (request.GET.get("q") or "").strip()[:50]
    units = OrgUnit.objects.filter(kind=UnitKind.ENTERPRISE, active=True)
    if q:
        units = units.filter(Q(name__icontains=q) | Q(code__icontains=q))
    results = [{"code": u.code, "name": u.name} for u in units.order_by("name")[:20]]
    return JsonResponse({"results": results})
