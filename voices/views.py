"""Pages of 条条有回音: the unanswered list per unit, recording a voice, giving it its end."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import rules as case_rules
from casework.clock import now
from casework.exceptions import CaseworkError
from casework.models import OrgUnit
from casework.views.errors import apply_error

from . import forms, selectors, services


def _units(user):
    path = selectors.scope_path(user)
    qs = OrgUnit.objects.filter(active=True).exclude(kind="enterprise_union").order_by("path")
    return qs if path is None else qs.filter(path__startswith=path)


def _require_staff(user):
    if not user.is_superuser and case_rules.profile(user) is None:
        raise PermissionDenied


@login_required
def unanswered_list(request):
    _require_staff(request.user)
    items = selectors.unanswered(unit_path=selectors.scope_path(request.user))
    by_unit: dict[str, list] = {}
    for item in items[: selectors.LISTED]:
        by_unit.setdefault(item.unit_name, []).append(item)
    context = {
        "title": _("未回音的职工诉求"),
        "days": selectors.unanswered_days(),
        "by_unit": sorted(by_unit.items()),
        "total": len(items),
        "interview_form": forms.InterviewCloseForm(),
    }
    return render(request, "voices/list.html", context)


@login_required
def voice_create(request):
    _require_staff(request.user)
    form = forms.VoiceForm(
        request.POST or None, units=_units(request.user), initial={"raised_on": timezone.localdate(now())}
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            d = form.cleaned_data
            try:
                voice = services.voice_record(
                    actor=request.user, unit=d["unit"], source=d["source"], summary=d["summary"],
                    raised_on=d["raised_on"], worker_name=d["worker_name"],
                )  # fmt: skip
            except CaseworkError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("已记录职工诉求。"))
                return redirect("voices:voice", pk=voice.pk)
    return render(request, "voices/form.html", {"title": _("记录职工诉求"), "form": form}, status=status)


def _voice(request, pk: int):
    if not 0 < pk < 2**63:
        raise Http404
    voice = selectors.visible_voices(request.user).select_related("unit", "case", "outcome_by").filter(pk=pk).first()
    if voice is None:
        raise Http404
    return voice


@login_required
def voice_detail(request, pk: int):
    voice = _voice(request, pk)
    form = forms.CloseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.voice_close(actor=request.user, voice=voice, outcome=d["outcome"], text=d["text"],
                                     case_number=d["case_number"])  # fmt: skip
            except CaseworkError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("已记录回音。"))
                return redirect("voices:voice", pk=voice.pk)
    context = {"title": _("职工诉求"), "voice": voice, "form": None if voice.outcome else form}
    return render(request, "voices/detail.html", context, status=status)


@login_required
@require_POST
def interview_close(request, pk: int):
    from visits.selectors import get_visible_interview

    interview = get_visible_interview(request.user, pk)
    form = forms.InterviewCloseForm(request.POST)
    if form.is_valid():
        try:
            services.interview_close(
                actor=request.user, interview=interview, outcome=form.cleaned_data["outcome"],
                text=form.cleaned_data["text"],
            )  # fmt: skip
        except CaseworkError as exc:
            for errors in (exc.fields or {}).values():
                for e in errors:
                    messages.error(request, e)
            if not exc.fields:
                messages.error(request, str(exc.message))
        else:
            messages.success(request, _("已记录回音。"))
    else:
        messages.error(request, _("请选择回音并填写内容。"))
    return redirect("voices:list")
