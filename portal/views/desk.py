"""The desk's side of 网上职工心声: pending submissions of its county, accept or decline; the
demo's SMS log; the 会员评家 results (reports)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import privacy
from casework.exceptions import CaseworkError
from casework.validators import mask_id_number, mask_phone
from notifications import conf as notification_conf
from notifications.models import Notification
from reports.selectors.scope import can_view_reports, home_unit

from .. import forms, selectors, services
from ..models import SubmissionStatus
from ..services.submissions import (
    can_decide,
    file_path,
    identity_conflict,
    pending_for,
    submission_contact_viewed,
)

DEMO_SMS_BACKENDS = ("console", "file", "locmem")


def selectors_units(unit) -> list[int]:
    """The county federations at or below ``unit``."""
    from casework.models import OrgUnit
    from casework.models.org import UnitKind

    if unit is None:
        return []
    return list(
        OrgUnit.objects.filter(path__startswith=unit.path, kind=UnitKind.COUNTY_FEDERATION).values_list("pk", flat=True)
    )


def _desk(user) -> None:
    if not (user.is_superuser or user.has_perm("casework.register_case")):
        raise PermissionDenied


@login_required
def desk_list(request):
    _desk(request.user)
    found = pending_for(request.user)
    context = {
        "title": _("网上职工心声"),
        "pending": list(found.filter(status=SubmissionStatus.PENDING).order_by("submitted_at")[:200]),
        "decided": list(found.exclude(status=SubmissionStatus.PENDING).order_by("-decided_at")[:20]),
        "sms_log": notification_conf.get("NOTIFICATIONS_SMS_BACKEND") in DEMO_SMS_BACKENDS,
    }
    return render(request, "portal/desk/list.html", context)


def _submission(request, pk: int):
    _desk(request.user)
    found = pending_for(request.user).select_related("county", "case").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@login_required
def desk_detail(request, pk: int):
    s = _submission(request, pk)
    accept_form = forms.AcceptForm(initial={"category": s.category.code})
    decline_form = forms.DeclineForm()
    status = 200
    if request.method == "POST" and s.status == SubmissionStatus.PENDING:
        decision = request.POST.get("decision")
        form = forms.AcceptForm(request.POST) if decision == "accept" else forms.DeclineForm(request.POST)
        try:
            if not form.is_valid():
                raise CaseworkError(_("填写的内容有误，请检查后重试。"))
            if decision == "accept":
                case = services.submission_accept(
                    submission=s, actor=request.user, category=form.cleaned_data["category"],
                    identity_checked=form.cleaned_data["identity_checked"],
                )  # fmt: skip
                messages.success(request, _("已受理，案件编号 %(n)s。") % {"n": case.number})
                return redirect("casework:detail", number=case.number)
            services.submission_decline(submission=s, actor=request.user, guidance=form.cleaned_data["guidance"])
            messages.success(request, _("已不予受理，并已告知职工。"))
            return redirect("portal:desk")
        except CaseworkError as exc:
            for field, msgs in (exc.fields or {}).items():
                for m in msgs:
                    form.add_error(field if field in form.fields else None, str(m))
            if not exc.fields and not form.errors:
                form.add_error(None, str(exc.message))
            status = exc.http_status
            if decision == "accept":
                accept_form = form
            else:
                decline_form = form
    # Masked unless this request is a logged unmask (casework.privacy): the desk calls the
    # worker to check who they are, and that look at the number is recorded.
    shown = privacy.reveal(
        request,
        allowed=True,
        record=lambda: submission_contact_viewed(submission=s, user=request.user, ip=privacy.client_ip(request)),
    )
    context = {
        "title": s.reference,
        "s": s,
        "show_personal": shown,
        "phone": s.phone if shown else mask_phone(s.phone),
        "id_number": s.id_number if shown else mask_id_number(s.id_number),
        "files": list(s.files.all()),
        "conflict": identity_conflict(s) if s.status == SubmissionStatus.PENDING else False,
        "can_decide": can_decide(s, request.user) and s.status == SubmissionStatus.PENDING,
        "accept_form": accept_form,
        "decline_form": decline_form,
    }
    return render(request, "portal/desk/detail.html", context, status=status)


@login_required
def desk_file(request, pk: int, attachment_pk: int):
    s = _submission(request, pk)
    item = s.files.filter(pk=attachment_pk).first()
    if item is None or not file_path(item).is_file():
        raise Http404
    response = FileResponse(
        open(file_path(item), "rb"),  # noqa: SIM115 - FileResponse closes it
        content_type=item.content_type,
        as_attachment=item.content_type == "image/tiff",
        filename=item.name,
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def sms_log(request):
    """The demo's stand-in for the worker's phone: the portal's texts as queued in the outbox.
    Only while no SMS gateway is configured (``NOTIFICATIONS_SMS_BACKEND`` console, file or
    locmem); with a real gateway the codes reach phones only, and this page is a 404."""
    _desk(request.user)
    if notification_conf.get("NOTIFICATIONS_SMS_BACKEND") not in DEMO_SMS_BACKENDS:
        raise Http404
    rows = Notification.objects.filter(channel="sms", event__startswith="portal_")
    if not request.user.is_superuser:
        unit = home_unit(request.user)
        counties = selectors_units(unit)
        keys = [f"portal:k{c}:" for c in counties] + ["portal:code:"]
        match = Q(pk__in=[])
        for key in keys:
            match |= Q(key__startswith=key)
        rows = rows.filter(match)
    context = {"title": _("短信记录（演示）"), "rows": list(rows.order_by("-created_at")[:50])}
    return render(request, "portal/desk/sms.html", context)


@login_required
def ratings(request):
    """会员评家 results per union in the user's jurisdiction: scores, count, comments."""
    if not can_view_reports(request.user):
        raise PermissionDenied
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), 2100)
    from ..models import RatingQuestion

    context = {
        "title": _("会员评家"),
        "year": year,
        "questions": [q.label for q in RatingQuestion],
        "rows": selectors.rating_results(unit=home_unit(request.user), year=year),
    }
    return render(request, "portal/desk/ratings.html", context)
