"""Pages: 办实事 — a unit's public commitments, their progress and the public board."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import rules as case_rules
from casework.clock import now
from casework.exceptions import CaseworkError
from casework.models import OrgUnit
from casework.models.org import FEDERATION_KINDS
from visits import rules as visit_rules

from .. import forms, selectors, services
from ..models import MIN_PER_YEAR, Commitment, CommitmentStatus
from .common import form_page, manager_unit, run_and_redirect


def _visible(user):
    return selectors.visible_commitments(user)


def _year(request, today) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else today.year


@login_required
def commitment_list(request):
    """This year's commitments of the user's subtree; overdue ones and units short of the
    yearly minimum in red."""
    today = timezone.localdate(now())
    year = _year(request, today)
    items = list(_visible(request.user).filter(year=year).select_related("unit").order_by("unit__path", "due_on"))
    p = case_rules.profile(request.user)
    units = OrgUnit.objects.filter(kind__in=MIN_PER_YEAR.keys(), active=True)
    if not request.user.is_superuser:
        units = units.filter(path__startswith=p.unit.path) if p else units.none()
    counts: dict[int, int] = {}
    for c in items:
        counts[c.unit_id] = counts.get(c.unit_id, 0) + 1
    minimums = [(u, counts.get(u.pk, 0), MIN_PER_YEAR[u.kind]) for u in units.order_by("path")]
    context = {
        "title": _("办实事：公开承诺"),
        "year": year,
        "rows": [(c, c.overdue(today)) for c in items],
        "minimums": minimums,
        "can_create": manager_unit(request.user) is not None,
    }
    return render(request, "campaign/commitments.html", context)


@login_required
def commitment_create(request):
    unit = manager_unit(request.user)
    if unit is None:
        raise PermissionDenied
    units = OrgUnit.objects.filter(path__startswith=unit.path, kind__in=FEDERATION_KINDS, active=True).order_by("path")
    today = timezone.localdate(now())
    form = forms.CommitmentForm(request.POST or None, units=units, initial={"unit": unit, "year": today.year})

    def save(d):
        c = services.commitment_create(actor=request.user, **d)
        return _("已登记办实事承诺。"), redirect("campaign:commitment", pk=c.pk)

    return form_page(request, form, {"title": _("登记办实事承诺")}, save)


def _get(request, pk: int) -> Commitment:
    c = _visible(request.user).select_related("unit").filter(pk=pk).first()
    if c is None:
        raise Http404
    return c


@login_required
def commitment_detail(request, pk: int):
    c = _get(request, pk)
    today = timezone.localdate(now())
    can_manage = visit_rules.can_manage(request.user, c.unit)
    is_open = c.status == CommitmentStatus.OPEN
    context = {
        "title": _("办实事承诺"),
        "c": c,
        "overdue": c.overdue(today),
        "notes": list(c.notes.order_by("on", "pk")),
        "can_manage": can_manage,
        "can_edit": can_manage and is_open,
        "note_form": forms.CommitmentNoteForm(initial={"on": today}) if can_manage and is_open else None,
        "done_form": forms.CommitmentDoneForm(initial={"done_on": today}) if can_manage and is_open else None,
    }
    return render(request, "campaign/commitment.html", context)


def _act(request, pk: int, form_class, call, success: str):
    c = _get(request, pk)
    if not visit_rules.can_manage(request.user, c.unit):
        raise PermissionDenied
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("campaign:commitment", pk=c.pk)
    try:
        call(c, form.cleaned_data if form else {})
    except CaseworkError as exc:
        for e in [m for ms in (exc.fields or {}).values() for m in ms] or [exc.message]:
            messages.error(request, str(e))
    else:
        messages.success(request, success)
    return redirect("campaign:commitment", pk=c.pk)


@login_required
@require_POST
def commitment_note(request, pk: int):
    return _act(
        request,
        pk,
        forms.CommitmentNoteForm,
        lambda c, d: services.commitment_note(actor=request.user, commitment=c, **d),
        _("已记录进展。"),
    )


@login_required
@require_POST
def commitment_complete(request, pk: int):
    return _act(
        request,
        pk,
        forms.CommitmentDoneForm,
        lambda c, d: services.commitment_complete(actor=request.user, commitment=c, **d),
        _("承诺已办结。"),
    )


@login_required
@require_POST
def commitment_publish(request, pk: int):
    publish = request.POST.get("published") != "0"
    return _act(
        request,
        pk,
        None,
        lambda c, d: services.commitment_publish(actor=request.user, commitment=c, published=publish),
        _("已公开。") if publish else _("已撤回公开。"),
    )


@login_required
def commitment_edit(request, pk: int):
    c = _get(request, pk)
    if not visit_rules.can_manage(request.user, c.unit):
        raise PermissionDenied
    initial = {"title": c.title, "content": c.content, "due_on": c.due_on, "owner": c.owner}
    form = forms.CommitmentEditForm(request.POST or None, initial=initial)

    def save(d):
        services.commitment_update(actor=request.user, commitment=c, **d)
        return _("已修改办实事承诺。"), redirect("campaign:commitment", pk=c.pk)

    context = {"title": _("修改办实事承诺"), "back_commitment": c,
               "delete_url": reverse("campaign:commitment_delete", args=[c.pk])}  # fmt: skip
    return form_page(request, form, context, save)


@login_required
@require_POST
def commitment_delete(request, pk: int):
    c = _get(request, pk)
    if not visit_rules.can_manage(request.user, c.unit):
        raise PermissionDenied
    return run_and_redirect(
        request,
        lambda: services.commitment_delete(actor=request.user, commitment=c),
        _("已删除办实事承诺。"),
        reverse("campaign:commitments") + f"?year={c.year}",
        reverse("campaign:commitment", args=[c.pk]),
    )


def public_board(request):
    """公开承诺 the units chose to publish: no login, no personal data (the owner's name is
    a post holder's, published with the commitment)."""
    today = timezone.localdate(now())
    year = _year(request, today)
    items = (
        Commitment.objects.filter(Q(published=True), year=year)
        .select_related("unit")
        .order_by("unit__path", "due_on", "pk")[:500]
    )
    context = {"title": _("办实事公开承诺"), "year": year, "rows": [(c, c.overdue(today)) for c in items]}
    return render(request, "campaign/public_commitments.html", context)
