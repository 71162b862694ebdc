"""Pages of the reception app: the month calendar, planning, the day's register, the notice,
the closing summary (print + PDF), the leader's 包案 list and the held-vs-planned dashboard.

Views are thin: they read through ``selectors`` (404 outside the user's subtree), write
through ``services`` and show service errors on the form or as messages.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import rules as case_rules
from casework.clock import now
from casework.dates import format_day
from casework.exceptions import CaseworkError, InvalidInput
from casework.models import Case, OrgUnit
from casework.models.case import Status
from casework.selectors import visible_cases
from casework.views.errors import apply_error
from casework.views.pdf import render_pdf

from . import forms, rules, selectors, services
from .models import SessionStatus


def _flash_error(request, exc: CaseworkError) -> None:
    field_errors = [e for errors in (exc.fields or {}).values() for e in errors]
    for e in field_errors:
        messages.error(request, e)
    if not field_errors or exc.message != exc.default_message:
        messages.error(request, str(exc.message))


def _month(request) -> tuple[int, int]:
    today = timezone.localdate(now())
    raw = request.GET.get("month", "")
    try:
        year, month = (int(p) for p in raw.split("-"))
        dt.date(year, month, 1)
    except (ValueError, TypeError):
        return today.year, today.month
    if not 2000 <= year <= 2100:
        return today.year, today.month
    return year, month


def _own_unit(user) -> OrgUnit | None:
    p = case_rules.profile(user)
    if p is not None:
        return p.unit
    if user.is_superuser:
        return OrgUnit.objects.filter(parent=None).order_by("path").first()
    return None


@login_required
def calendar_view(request):
    year, month = _month(request)
    cal = selectors.month_calendar(request.user, year, month)
    unit = _own_unit(request.user)
    context = {
        "title": _("主席接待日"),
        "cal": cal,
        "can_plan": unit is not None and rules.can_plan(request.user, unit),
        "can_dashboard": rules.is_leader(request.user)
        or case_rules.role_of(request.user) == "supervisor"
        or request.user.is_superuser,
    }
    return render(request, "reception/calendar.html", context)


def _plan_form(request, data=None, initial=None):
    unit = _own_unit(request.user)
    if unit is None or not rules.can_plan(request.user, unit):
        raise PermissionDenied
    units = OrgUnit.objects.filter(path__startswith=unit.path, active=True).order_by("path")
    ended = [Status.CLOSED, Status.WITHDRAWN, Status.MERGED, Status.NOT_ACCEPTED]
    open_ids = list(
        visible_cases(request.user)
        .exclude(status__in=ended)
        .order_by("-received_at")
        .values_list("pk", flat=True)[:200]
    )
    cases = Case.objects.filter(pk__in=open_ids).order_by("-received_at")
    return forms.SessionPlanForm(data, initial=initial, units=units, staff_unit=unit, cases=cases)


def _session_input(d) -> services.SessionInput:
    return services.SessionInput(
        starts_at=d["starts_at"],
        ends_at=d["ends_at"],
        place=d["place"],
        form=d["form"],
        leaders=list(d["leaders"]),
        topic=d.get("topic", ""),
        issues=d.get("issues", ""),
        cases=list(d.get("cases") or []),
    )


def _form_page(request, form, context: dict, save):
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
    return render(request, "reception/form.html", {**context, "form": form}, status=status)


@login_required
def session_plan(request):
    unit = _own_unit(request.user)
    form = _plan_form(request, request.POST or None, initial={"unit": unit})

    def save(d):
        session = services.session_plan(actor=request.user, unit=d["unit"], data=_session_input(d))
        return _("已安排主席接待日。"), redirect("reception:session", pk=session.pk)

    return _form_page(request, form, {"title": _("安排主席接待日")}, save)


@login_required
def session_edit(request, pk: int):
    session = selectors.get_visible_session(request.user, pk)
    if not rules.can_plan(request.user, session.unit):
        raise PermissionDenied
    tz = timezone.get_current_timezone()
    initial = {
        "unit": session.unit,
        "starts_at": session.starts_at.astimezone(tz),
        "ends_at": session.ends_at.astimezone(tz),
        "place": session.place,
        "form": session.form,
        "topic": session.topic,
        "issues": session.issues,
        "leaders": list(session.leaders.all()),
        "cases": list(session.cases.all()),
    }
    form = _plan_form(request, request.POST or None, initial=initial)
    form.fields["unit"].disabled = True

    def save(d):
        services.session_update(actor=request.user, session=session, data=_session_input(d))
        return _("已保存接待日安排。"), redirect("reception:session", pk=session.pk)

    return _form_page(request, form, {"title": _("修改主席接待日"), "back": session}, save)


@login_required
def session_detail(request, pk: int):
    session = selectors.get_visible_session(request.user, pk)
    entries = selectors.entries_of(session)
    can_record = rules.can_record(session, request.user)
    is_open = session.status == SessionStatus.OPEN
    context = {
        "title": _("主席接待日") + " · " + format_day(session.starts_at),
        "session": session,
        "leaders": list(session.leaders.all()),
        "entries": entries,
        "summary": selectors.session_summary(entries),
        "can_record": can_record and is_open,
        "can_open": can_record and session.status == SessionStatus.PLANNED,
        "can_plan": rules.can_plan(request.user, session.unit) and session.status == SessionStatus.PLANNED,
        "can_sign_off": rules.can_sign_off(session, request.user)
        and session.status == SessionStatus.CLOSED
        and not session.signed_off_at,
        "entry_form": forms.EntryForm(session=session) if can_record and is_open else None,
        "outcome_form": forms.OutcomeForm() if can_record and is_open else None,
        "file_form": forms.FileCaseForm() if can_record and is_open else None,
        "cancel_form": forms.CancelForm(),
        "announce_form": forms.AnnounceForm(initial={"channels": ["email"], "resend": bool(session.notice_sends)}),
    }
    return render(request, "reception/session_detail.html", context)


def _post_action(request, pk: int, action, success: str):
    session = selectors.get_visible_session(request.user, pk)
    try:
        action(session)
    except CaseworkError as exc:
        _flash_error(request, exc)
    else:
        messages.success(request, success)
    return redirect("reception:session", pk=session.pk)


@login_required
@require_POST
def session_open(request, pk: int):
    return _post_action(request, pk, lambda s: services.session_open(actor=request.user, session=s), _("已开始接待。"))


@login_required
@require_POST
def session_close(request, pk: int):
    return _post_action(request, pk, lambda s: services.session_close(actor=request.user, session=s), _("已结束接待。"))


@login_required
@require_POST
def session_cancel(request, pk: int):
    reason = request.POST.get("reason", "")
    return _post_action(
        request,
        pk,
        lambda s: services.session_cancel(actor=request.user, session=s, reason=reason),
        _("已取消该接待日。"),
    )


@login_required
@require_POST
def session_announce(request, pk: int):
    session = selectors.get_visible_session(request.user, pk)
    form = forms.AnnounceForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(_("发送方式只能是短信或电子邮件。"))
        n = services.session_announce(
            actor=request.user, session=session, channels=form.cleaned_data["channels"],
            resend=form.cleaned_data["resend"],
        )  # fmt: skip
    except CaseworkError as exc:
        _flash_error(request, exc)
    else:
        messages.success(request, _("已向企业工会发送公告（%(n)s 条通知）。") % {"n": n})
    return redirect("reception:session", pk=session.pk)


@login_required
@require_POST
def session_sign_off(request, pk: int):
    return _post_action(
        request, pk, lambda s: services.session_sign_off(actor=request.user, session=s), _("已签字确认。")
    )


@login_required
@require_POST
def entry_add(request, pk: int):
    session = selectors.get_visible_session(request.user, pk)
    form = forms.EntryForm(request.POST, session=session)
    if form.is_valid():
        d = form.cleaned_data
        try:
            entry = services.entry_add(
                actor=request.user,
                session=session,
                data=services.EntryInput(
                    worker_name=d["worker_name"],
                    raised=d["raised"],
                    phone=d["phone"],
                    enterprise=d["enterprise"],
                    employer=d["employer"],
                    category=d["category"],
                    request=d["request"],
                    head_count=d["head_count"],
                    leader=d["leader"],
                ),
            )
        except CaseworkError as exc:
            _flash_error(request, exc)
        else:
            messages.success(request, _("已登记第 %(n)s 号。") % {"n": entry.number})
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("reception:session", pk=session.pk)


@login_required
@require_POST
def entry_resolve(request, pk: int):
    entry = selectors.get_visible_entry(request.user, pk)
    form = forms.OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.entry_resolve(
                actor=request.user, entry=entry, outcome=form.cleaned_data["outcome"], text=form.cleaned_data["text"]
            )
        except CaseworkError as exc:
            _flash_error(request, exc)
        else:
            messages.success(request, _("已记录第 %(n)s 号的处理情况。") % {"n": entry.number})
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("reception:session", pk=entry.session_id)


@login_required
@require_POST
def entry_file_case(request, pk: int):
    entry = selectors.get_visible_entry(request.user, pk)
    form = forms.FileCaseForm(request.POST)
    form.is_valid()
    d = form.cleaned_data
    try:
        case = services.entry_file_case(
            actor=request.user,
            entry=entry,
            consent=d.get("consent", False),
            leader_takes_charge=d.get("leader_takes_charge", False),
            urgent=d.get("urgent", False),
        )
    except CaseworkError as exc:
        _flash_error(request, exc)
    else:
        messages.success(request, _("已登记为案件 %(n)s。") % {"n": case.number})
    return redirect("reception:session", pk=entry.session_id)


# --- printables -----------------------------------------------------------------------------


def _summary_context(request, session):
    entries = selectors.entries_of(session)
    return {
        "title": _("主席接待日接待情况汇总"),
        "session": session,
        "leaders": list(session.leaders.all()),
        "entries": entries,
        "summary": selectors.session_summary(entries),
    }


@login_required
def session_notice(request, pk: int):
    session = selectors.get_visible_session(request.user, pk)
    context = {"title": _("主席接待日公告"), "session": session, "leaders": list(session.leaders.all())}
    return render(request, "reception/notice.html", context)


@login_required
def session_notice_pdf(request, pk: int):
    session = selectors.get_visible_session(request.user, pk)
    context = {"title": _("主席接待日公告"), "session": session, "leaders": list(session.leaders.all())}
    return render_pdf(request, "reception/notice.html", context, f"reception-notice-{session.pk}.pdf")


def _closed(request, pk: int):
    session = selectors.get_visible_session(request.user, pk)
    if session.status != SessionStatus.CLOSED:
        messages.error(request, _("接待结束后才能打印接待情况汇总。"))
        return session, redirect("reception:session", pk=session.pk)
    return session, None


@login_required
def session_summary(request, pk: int):
    session, refused = _closed(request, pk)
    if refused:
        return refused
    return render(request, "reception/summary.html", _summary_context(request, session))


@login_required
def session_summary_pdf(request, pk: int):
    session, refused = _closed(request, pk)
    if refused:
        return refused
    return render_pdf(
        request, "reception/summary.html", _summary_context(request, session), f"reception-summary-{session.pk}.pdf"
    )


# --- lists for leaders and supervisors ------------------------------------------------------


@login_required
def leader_cases(request, user_pk: int | None = None):
    """A leader's 包案 cases started at reception days (their own, or — for those over them — any leader's)."""
    leader = request.user if user_pk is None else get_object_or_404(get_user_model(), pk=user_pk)
    if user_pk is not None and leader != request.user:
        p = case_rules.profile(leader)
        if p is None or not (request.user.is_superuser or rules.can_plan(request.user, p.unit)):
            raise Http404
    cases = list(selectors.leader_cases(request.user, leader)[:500])
    context = {"title": _("接待日包案件"), "leader": leader, "cases": cases}
    return render(request, "reception/leader_cases.html", context)


@login_required
def dashboard(request):
    if not (
        rules.is_leader(request.user) or case_rules.role_of(request.user) == "supervisor" or request.user.is_superuser
    ):
        raise PermissionDenied
    year, month = _month(request)
    rows = selectors.held_vs_planned(request.user, year, month)
    first = dt.date(year, month, 1)
    context = {
        "title": _("主席接待日开展情况"),
        "rows": rows,
        "month": first,
        "prev": (first - dt.timedelta(days=1)).replace(day=1),
        "next": (first + dt.timedelta(days=32)).replace(day=1),
        "none_held": [r for r in rows if r.held == 0],
    }
    return render(request, "reception/dashboard.html", context)
