"""Pages of the visits app: groups, visits, interviews, enterprise types, the unit summary.

Views are thin: they read through ``selectors`` (404 outside the user's subtree), write
through ``services`` and show service errors on the form.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import privacy
from casework import rules as case_rules
from casework.clock import now
from casework.exceptions import CaseworkError
from casework.models import OrgUnit
from casework.models.org import UnitKind
from casework.validators import mask_phone
from casework.views.errors import apply_error
from casework.views.files import serve_stored_file

from . import forms, rules, selectors, services
from .models import UNION_FACTS, EnterpriseProfile, EnterpriseType, Target


def _flash_error(request, exc: CaseworkError) -> None:
    field_errors = [e for errors in (exc.fields or {}).values() for e in errors]
    for e in field_errors:
        messages.error(request, e)
    if not field_errors:
        messages.error(request, str(exc.message))


def _manager_unit(user) -> OrgUnit | None:
    """The unit a user manages groups under (leader/admin), or None."""
    p = case_rules.profile(user)
    if p is not None and p.role in rules.MANAGER_ROLES:
        return p.unit
    if user.is_superuser:
        return OrgUnit.objects.filter(parent=None).order_by("path").first()
    return None


# --- groups ---------------------------------------------------------------------------------


@login_required
def group_list(request):
    groups = selectors.group_list(request.user)
    context = {
        "title": _("走访工作组"),
        "groups": groups,
        "can_create": _manager_unit(request.user) is not None,
    }
    return render(request, "visits/group_list.html", context)


def _form_page(request, form, context: dict, save):
    """A form page: GET shows it; a valid POST runs ``save(cleaned_data)`` — a service call that
    returns (success message, redirect) — and bad input or a refused service shows the form again
    with the errors (422)."""
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
    return render(request, "visits/form.html", {**context, "form": form}, status=status)


def _group_form(request, data=None, initial=None):
    unit = _manager_unit(request.user)
    if unit is None:
        raise PermissionDenied
    units = selectors.summary_units(request.user).filter(path__startswith=unit.path)
    return forms.WorkGroupForm(data, initial=initial, units=units, staff_unit=unit)


@login_required
def group_create(request):
    form = _group_form(request, request.POST or None, initial={"active": True})

    def save(d):
        group = services.workgroup_create(
            actor=request.user, name=d["name"], unit=d["unit"], leader=d["leader"], members=d["members"]
        )
        return _("已成立工作组：%(name)s") % {"name": group.name}, redirect("visits:group", pk=group.pk)

    return _form_page(request, form, {"title": _("成立走访工作组")}, save)


@login_required
def group_edit(request, pk: int):
    group = selectors.get_visible_group(request.user, pk)
    if not rules.can_manage(request.user, group.unit):
        raise PermissionDenied
    initial = {
        "unit": group.unit,
        "name": group.name,
        "leader": group.leader,
        "members": list(group.members.all()),
        "active": group.active,
    }
    form = _group_form(request, request.POST or None, initial=initial)
    form.fields["unit"].disabled = True

    def save(d):
        services.workgroup_update(
            actor=request.user,
            group=group,
            name=d["name"],
            leader=d["leader"],
            members=d["members"],
            active=d["active"],
        )
        return _("已保存工作组。"), redirect("visits:group", pk=group.pk)

    return _form_page(request, form, {"title": _("修改工作组"), "back": group}, save)


@login_required
def group_detail(request, pk: int):
    group = selectors.get_visible_group(request.user, pk)
    context = {
        "title": group.name,
        "group": group,
        "members": list(group.members.all()),
        "progress": selectors.target_progress(group),
        "sample": selectors.interview_sample(group),
        "visits": selectors.group_visits(group),
        "can_record": rules.can_record(group, request.user),
        "can_manage": rules.can_manage(request.user, group.unit),
    }
    return render(request, "visits/group_detail.html", context)


@login_required
def target_edit(request, pk: int, target_pk: int | None = None):
    group = selectors.get_visible_group(request.user, pk)
    if not rules.can_manage(request.user, group.unit):
        raise PermissionDenied
    target = get_object_or_404(Target, pk=target_pk, group=group) if target_pk else None
    initial = {}
    if target is not None:
        initial = {f: getattr(target, f) for f in forms.TargetForm.base_fields}
    form = forms.TargetForm(request.POST or None, initial=initial)

    def save(d):
        services.target_save(actor=request.user, group=group, target=target, **d)
        return _("已保存走访目标。"), redirect("visits:group", pk=group.pk)

    return _form_page(request, form, {"title": _("走访目标") + " · " + group.name, "back": group}, save)


# --- visits ---------------------------------------------------------------------------------


def _visit_input(d) -> services.VisitInput:
    return services.VisitInput(**{k: v for k, v in d.items() if k != "attachments"})


@login_required
def visit_create(request, pk: int):
    group = selectors.get_visible_group(request.user, pk)
    if not rules.can_record(group, request.user):
        raise PermissionDenied
    form = forms.VisitForm(
        request.POST or None, request.FILES or None, group=group, initial={"visited_on": timezone.localdate(now())}
    )

    def save(d):
        visit = services.visit_create(
            actor=request.user,
            group=group,
            data=_visit_input(d),
            files=d.get("attachments"),
        )
        return _("已记录走访。"), redirect("visits:visit", pk=visit.pk)

    return _form_page(
        request, form, {"title": _("记录走访") + " · " + group.name, "back": group, "multipart": True}, save
    )


@login_required
def visit_edit(request, pk: int):
    visit = selectors.get_visible_visit(request.user, pk)
    if not rules.can_record(visit.group, request.user):
        raise PermissionDenied
    initial = {f: getattr(visit, f) for f in forms.VisitForm.base_fields if f != "attachments"}
    form = forms.VisitForm(request.POST or None, group=visit.group, with_files=False, initial=initial)

    def save(d):
        services.visit_update(actor=request.user, visit=visit, data=_visit_input(d))
        return _("已保存走访记录。"), redirect("visits:visit", pk=visit.pk)

    return _form_page(request, form, {"title": _("修改走访记录"), "back_visit": visit}, save)


@login_required
def visit_detail(request, pk: int):
    visit = selectors.get_visible_visit(request.user, pk)
    can_record = rules.can_record(visit.group, request.user)
    context = {
        "title": _("走访记录") + " · " + visit.enterprise.name,
        "visit": visit,
        "profile": EnterpriseProfile.objects.filter(enterprise=visit.enterprise).first(),
        "six": [(forms.VisitForm.base_fields[f].label, getattr(visit, f)) for f in forms.VisitForm.SIX_NOTES],
        "interviews": selectors.visit_interviews(visit),
        "cases": selectors.visit_cases(visit),
        "attachments": list(visit.attachments.select_related("uploaded_by")),
        "can_record": can_record,
        "attach_form": forms.AttachmentForm() if can_record else None,
    }
    return render(request, "visits/visit_detail.html", context)


@login_required
@require_POST
def visit_attach(request, pk: int):
    visit = selectors.get_visible_visit(request.user, pk)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            saved = services.visit_attach(actor=request.user, visit=visit, files=form.cleaned_data["attachments"])
        except CaseworkError as exc:
            _flash_error(request, exc)
        else:
            messages.success(request, _("已上传 %(n)d 个附件。") % {"n": len(saved)})
    else:
        for e in form.errors.get("attachments", [_("请选择要上传的文件。")]):
            messages.error(request, e)
    return redirect("visits:visit", pk=visit.pk)


@login_required
def visit_attachment(request, pk: int, attachment_pk: int):
    """One file of a visit, only to users who may see the visit (else 404)."""
    visit = selectors.get_visible_visit(request.user, pk)
    return serve_stored_file(visit.attachments.filter(pk=attachment_pk).first())


# --- interviews ---------------------------------------------------------------------------


def _interview_input(d) -> services.InterviewInput:
    d = dict(d)
    outline = {k.removeprefix("outline_"): d.pop(k) for k in list(d) if k.startswith("outline_")}
    return services.InterviewInput(**d, outline=outline)


@login_required
def interview_create(request, pk: int):
    visit = selectors.get_visible_visit(request.user, pk)
    group = visit.group
    if not rules.can_record(group, request.user):
        raise PermissionDenied
    initial = {
        "interviewer": request.user.pk,
        "place": visit.place,
        "employer": visit.enterprise.name,
        "interviewed_at": timezone.localtime(now()).replace(second=0, microsecond=0),
    }
    form = forms.InterviewForm(request.POST or None, group=group, initial=initial)

    def save(d):
        interview = services.interview_create(actor=request.user, visit=visit, data=_interview_input(d))
        return _("已登记个案访谈，编号 %(n)d。") % {"n": interview.number}, redirect(
            "visits:interview", pk=interview.pk
        )

    return _form_page(
        request, form, {"title": _("个案访谈登记") + " · " + visit.enterprise.name, "back_visit": visit}, save
    )


@login_required
def interview_edit(request, pk: int):
    interview = selectors.get_visible_interview(request.user, pk)
    if not rules.can_record(interview.group, request.user) or interview.signed_off_at:
        raise PermissionDenied
    initial = {f: getattr(interview, f) for f in forms.InterviewForm.base_fields}
    initial.update({f"outline_{k}": v for k, v in (interview.outline or {}).items()})
    initial["interviewed_at"] = timezone.localtime(interview.interviewed_at)
    form = forms.InterviewForm(request.POST or None, group=interview.group, initial=initial)

    def save(d):
        services.interview_update(actor=request.user, interview=interview, data=_interview_input(d))
        return _("已保存个案访谈。"), redirect("visits:interview", pk=interview.pk)

    return _form_page(request, form, {"title": _("修改个案访谈"), "back_interview": interview}, save)


def contact_context(request, interview, kind: str) -> dict:
    """The phone masked unless this request is a logged unmask (``casework.privacy``)."""
    allowed = rules.can_see_contact(interview, request.user)
    shown = privacy.reveal(
        request,
        allowed=allowed,
        record=lambda: services.interview_contact_viewed(
            interview=interview, user=request.user, kind=kind, ip=privacy.client_ip(request)
        ),
    )
    return {
        "interview": interview,
        "show_contact": shown,
        "can_unmask": allowed and bool(interview.phone),
        "masked_phone": mask_phone(interview.phone),
    }


def _interview_context(request, interview):
    return contact_context(request, interview, "page")


@login_required
def interview_detail(request, pk: int):
    interview = selectors.get_visible_interview(request.user, pk)
    context = {
        **_interview_context(request, interview),
        "title": _("个案访谈 第%(n)d号") % {"n": interview.number},
        "can_edit": rules.can_record(interview.group, request.user) and not interview.signed_off_at,
        "can_sign_off": rules.can_sign_off(interview, request.user) and not interview.signed_off_at,
        "can_file_case": rules.can_file_case(interview, request.user),
        "can_write_up": rules.can_record(interview.group, request.user) and not interview.written_up_at,
        "can_submit": rules.can_sign_off(interview, request.user)
        and interview.signed_off_at is not None
        and interview.submitted_at is None,
        "late": interview.late(timezone.localdate(now())),
        "attachments": list(interview.attachments.select_related("uploaded_by")),
        "attach_form": forms.InterviewAttachmentForm()
        if rules.can_record(interview.group, request.user) and not interview.signed_off_at
        else None,
    }
    return render(request, "visits/interview_detail.html", context)


@login_required
@require_POST
def interview_sign_off(request, pk: int):
    interview = selectors.get_visible_interview(request.user, pk)
    try:
        services.interview_sign_off(actor=request.user, interview=interview)
    except CaseworkError as exc:
        _flash_error(request, exc)
    else:
        messages.success(request, _("组长已签字确认。"))
    return redirect("visits:interview", pk=interview.pk)


@login_required
@require_POST
def interview_attach(request, pk: int):
    interview = selectors.get_visible_interview(request.user, pk)
    form = forms.InterviewAttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            saved = services.interview_attach(
                actor=request.user, interview=interview, files=form.cleaned_data["attachments"]
            )
        except CaseworkError as exc:
            _flash_error(request, exc)
        else:
            messages.success(request, _("已上传 %(n)d 个附件。") % {"n": len(saved)})
    else:
        for e in form.errors.get("attachments", [_("请选择要上传的文件。")]):
            messages.error(request, e)
    return redirect("visits:interview", pk=interview.pk)


@login_required
def interview_attachment(request, pk: int, attachment_pk: int):
    """One original of an interview, only to users who may see the interview (else 404)."""
    interview = selectors.get_visible_interview(request.user, pk)
    return serve_stored_file(interview.attachments.filter(pk=attachment_pk).first())


def _interview_step(request, pk: int, service, success: str):
    interview = selectors.get_visible_interview(request.user, pk)
    try:
        service(actor=request.user, interview=interview)
    except CaseworkError as exc:
        _flash_error(request, exc)
    else:
        messages.success(request, success)
    return redirect("visits:interview", pk=interview.pk)


@login_required
@require_POST
def interview_write_up(request, pk: int):
    return _interview_step(request, pk, services.interview_write_up, _("已确认整理完成。"))


@login_required
@require_POST
def interview_submit(request, pk: int):
    return _interview_step(request, pk, services.interview_submit, _("已报送活动办公室。"))


@login_required
@require_POST
def interview_file_case(request, pk: int):
    """一键登记案件 from the interview; the filer becomes the case's owner (首问负责)."""
    interview = selectors.get_visible_interview(request.user, pk)
    try:
        case = services.interview_file_case(
            actor=request.user, interview=interview, urgent=request.POST.get("urgent") == "on"
        )
    except CaseworkError as exc:
        if exc.fields:
            messages.error(request, str(exc.message))
        _flash_error(request, exc)
        return redirect("visits:interview", pk=interview.pk)
    messages.success(request, _("已登记为案件 %(n)s。") % {"n": case.number})
    return redirect("visits:interview", pk=interview.pk)


# --- enterprise types and the unit summary ------------------------------------------------------


@login_required
def enterprise_list(request):
    """Enterprises of the user's subtree with their coverage types."""
    profile = case_rules.profile(request.user)
    if profile is None and not request.user.is_superuser:
        raise Http404
    qs = OrgUnit.objects.filter(kind=UnitKind.ENTERPRISE, active=True).select_related("visit_profile", "parent")
    if not request.user.is_superuser:
        qs = qs.filter(path__startswith=profile.unit.path)
    q = (request.GET.get("q") or "").strip()[:50]
    if q:
        qs = qs.filter(name__icontains=q)
    page = Paginator(qs.order_by("path"), 50).get_page(request.GET.get("page"))
    rows = []
    for unit in page.object_list:
        p = getattr(unit, "visit_profile", None)
        facts = [str(EnterpriseProfile._meta.get_field(f).verbose_name) for f in UNION_FACTS if p and getattr(p, f)]
        rows.append((unit, p.type_labels() if p else [], rules.can_manage(request.user, unit), facts))
    context = {"title": _("企业类型"), "page": page, "rows": rows, "q": q}
    return render(request, "visits/enterprise_list.html", context)


@login_required
def enterprise_types(request, pk: int):
    enterprise = get_object_or_404(OrgUnit, pk=pk, kind=UnitKind.ENTERPRISE)
    if not rules.covers(request.user, enterprise):
        raise Http404
    if not rules.can_manage(request.user, enterprise):
        raise PermissionDenied
    p = EnterpriseProfile.objects.filter(enterprise=enterprise).first()
    initial = {"types": p.types, "employees": p.employees, "note": p.note} if p else {}
    if p:
        initial.update({f: getattr(p, f) for f in UNION_FACTS})
    form = forms.EnterpriseProfileForm(request.POST or None, initial=initial)

    def save(d):
        services.enterprise_profile_set(actor=request.user, enterprise=enterprise, **d)
        return _("已保存企业类型。"), redirect("visits:enterprises")

    return _form_page(request, form, {"title": _("企业类型") + " · " + enterprise.name}, save)


@login_required
def summary(request):
    """走访情况汇总 for one unit of the user's subtree (default: the user's own unit)."""
    units = selectors.summary_units(request.user)
    unit_pk = request.GET.get("unit")
    if unit_pk:
        if not str(unit_pk).isdigit():
            raise Http404
        unit = units.filter(pk=int(unit_pk)).first()
    else:
        p = case_rules.profile(request.user)
        unit = p.unit if p is not None else units.first()
    if unit is None:
        raise Http404
    start, end, errors = _date_range(request)
    for e in errors:
        messages.error(request, e)
    context = {
        "title": _("走访情况汇总") + " · " + unit.name,
        "summary": selectors.unit_summary(unit, start=start, end=end),
        "units": list(units.order_by("path")),
        "unit": unit,
        "start": start,
        "end": end,
        "types": EnterpriseType,
    }
    return render(request, "visits/summary.html", context)


def _date_range(request):
    import datetime as dt

    values, errors = [], []
    for key, label in (("start", _("起始日期")), ("end", _("截止日期"))):
        raw = (request.GET.get(key) or "").strip()
        value = None
        if raw:
            try:
                value = dt.date.fromisoformat(raw)
            except ValueError:
                errors.append(_("%(label)s格式应为 YYYY-MM-DD，已忽略。") % {"label": label})
        values.append(value)
    return values[0], values[1], errors
