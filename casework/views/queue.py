"""Queue tools: bulk actions on selected cases, 关注, saved filters, and a worker's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import bulk, rules, selectors
from ..exceptions import CaseworkError, NotAllowed
from ..services import queue as queue_services


def _safe_next(request) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


def _back(request, default: str = "casework:list"):
    return redirect(_safe_next(request) or default)


def _errors(exc: CaseworkError) -> list[str]:
    return [str(m) for found in (exc.fields or {}).values() for m in found] or [str(exc.message)]


@login_required
@require_POST
def bulk_act(request):
    """批量操作 (and 认领 of one row: ``claim_one``): a page listing each case's outcome."""
    one = (request.POST.get("claim_one") or "").strip()
    action = "claim" if one else request.POST.get("action", "")
    numbers = [one] if one else request.POST.getlist("case")
    try:
        outcomes = bulk.cases_bulk_act(actor=request.user, action=action, numbers=numbers, data=request.POST)
    except NotAllowed as exc:
        raise PermissionDenied(str(exc.message)) from None
    except CaseworkError as exc:
        for message in _errors(exc):
            messages.error(request, message)
        return _back(request)
    done = sum(1 for o in outcomes if o.done)
    if one and done:
        messages.success(request, _("已认领案件 %(n)s。") % {"n": one})
        return redirect("casework:detail", number=one)
    context = {
        "title": _("批量操作结果"),
        "action_label": bulk.BULK_ACTIONS[action],
        "outcomes": outcomes,
        "done": done,
        "failed": len(outcomes) - done,
        "next": _safe_next(request),
    }
    return render(request, "casework/bulk_result.html", context)


@login_required
@require_POST
def watch(request, number: str):
    """关注, or with ``unwatch`` 取消关注: only a case the user can see."""
    case = selectors.get_visible_case(request.user, number)
    if request.POST.get("unwatch"):
        queue_services.case_unwatch(case=case, user=request.user)
        messages.success(request, _("已取消关注。"))
    else:
        queue_services.case_watch(case=case, user=request.user)
        messages.success(request, _("已关注该案件，可在“我关注的”中查看。"))
    return redirect("casework:detail", number=case.number)


@login_required
@require_POST
def filter_save(request):
    try:
        saved = queue_services.saved_filter_save(
            user=request.user,
            page=request.POST.get("page", ""),
            name=request.POST.get("name", ""),
            query=request.POST.get("query", ""),
        )
    except CaseworkError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("已保存筛选“%(name)s”。") % {"name": saved.name})
    return _back(request)


@login_required
@require_POST
def filter_delete(request, pk: int):
    try:
        queue_services.saved_filter_delete(user=request.user, pk=pk)
    except CaseworkError:
        raise Http404 from None
    messages.success(request, _("已删除筛选。"))
    return _back(request)


@login_required
def worker(request, number: str):
    """职工页: every case of this case's worker the user can see, with each one's replies and
    satisfaction ratings. Personal data masked (the full values are a logged unmask on a
    case page); a worker anonymous towards the user's side has no page (404)."""
    case = selectors.get_visible_case(request.user, number)
    if rules.hides_worker(case, request.user):
        raise Http404
    cases = selectors.same_worker_cases(request.user, case)
    events = selectors.worker_case_events(cases)
    rows = [(c, events.get(c.pk, [])) for c in cases]
    context = {
        "title": _("职工：%(name)s") % {"name": case.worker.name},
        "case": case,
        "worker": case.worker,
        "rows": rows,
    }
    return render(request, "casework/worker.html", context)
