"""What the campaign pages share: the form page and the manager's unit."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from casework import rules as case_rules
from casework.exceptions import CaseworkError
from casework.models import OrgUnit
from casework.views.errors import apply_error
from visits import rules as visit_rules


def form_page(request, form, context: dict, save):
    """GET shows the form; a valid POST runs ``save(cleaned_data)`` — a service call that
    returns (success message, redirect) — and bad input or a refused service shows the form
    again with the errors (422)."""
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                message, target = save(form.cleaned_data)
            except CaseworkError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, message)
                return target
    return render(request, "campaign/form.html", {**context, "form": form}, status=status)


def manager_unit(user) -> OrgUnit | None:
    """The unit a user may run campaigns under (leader/admin), or None."""
    p = case_rules.profile(user)
    if p is not None and p.role in visit_rules.MANAGER_ROLES:
        return p.unit
    if user.is_superuser:
        return OrgUnit.objects.filter(parent=None).order_by("path").first()
    return None


def run_and_redirect(request, call, success: str, done, back):
    """A POST-only action (a delete): run ``call()`` — a service — and go to ``done`` with
    ``success``; a refusal goes back to ``back`` with its Chinese message(s)."""
    try:
        call()
    except CaseworkError as exc:
        for e in [m for ms in (exc.fields or {}).values() for m in ms] or [exc.message]:
            messages.error(request, str(e))
        return redirect(back)
    messages.success(request, success)
    return redirect(done)
