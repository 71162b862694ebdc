"""The case page, its printable receipt, and one page per action."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import rules, selectors
from ..actions import ACTIONS, perform
from ..clock import now
from ..exceptions import CaseworkError
from .errors import apply_error


def _case_context(request, case):
    task = selectors.active_task(case)
    return {
        "case": case,
        "task": task,
        "timeline": selectors.timeline(case),
        "stages": selectors.stages(case),
        "allowed": [ACTIONS[a] for a in selectors.allowed_actions(case, request.user, task)],
        "show_personal": rules.can_see_personal_data(case, request.user),
        "now": now(),
    }


@login_required
def detail(request, number: str):
    case = selectors.get_visible_case(request.user, number)
    return render(request, "casework/case_detail.html", {**_case_context(request, case), "title": case.number})


@login_required
def receipt(request, number: str):
    """受理回执: printable, for the worker at the desk."""
    case = selectors.get_visible_case(request.user, number)
    return render(request, "casework/receipt.html", {"case": case, "title": _("受理回执")})


@login_required
def act(request, number: str, action: str):
    case = selectors.get_visible_case(request.user, number)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    form = spec.form(request.POST or None, initial={"version": case.version})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                perform(action, case, request.user, data, data["version"])
            except CaseworkError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("已完成：%(action)s") % {"action": spec.title})
                if selectors.visible_cases(request.user).filter(pk=case.pk).exists():
                    return redirect("casework:detail", number=case.number)
                return redirect("casework:inbox")
        status = 422
    elif action not in selectors.allowed_actions(case, request.user):
        messages.warning(request, _("您当前不能对该案件执行“%(action)s”。") % {"action": spec.title})
        return redirect("casework:detail", number=case.number)
    context = {**_case_context(request, case), "form": form, "spec": spec, "title": spec.title}
    return render(request, "casework/case_action.html", context, status=status)
