"""The intake desk: register a worker's problem on one page, with duplicates shown first."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from .. import selectors, services
from ..dates import format_day
from ..exceptions import CaseworkError
from ..forms import IntakeForm
from ..models import OrgUnit
from ..models.org import UnitKind
from ..validators import normalize_id_number, normalize_phone, validate_id_number
from .errors import apply_error

FIELD_GROUPS = [
    (
        "worker",
        _l("职工信息"),
        ["name", "gender", "phone", "id_number", "birth_month", "post", "migrant", "dispatched"],
    ),
    (
        "worker_more",
        _l("更多职工信息（可选）"),
        ["technical_title", "hukou", "ethnicity", "political_status", "education"],
    ),
    (
        "case",
        _l("诉求内容"),
        ["enterprise", "category", "channel", "place", "summary", "request", "workers_involved", "urgent"],
    ),
    ("files", _l("附件与确认"), ["attachments", "consent", "accept"]),
]


def _groups(form):
    return [(key, legend, [form[name] for name in names]) for key, legend, names in FIELD_GROUPS]


def _parse_decision(user, value: str):
    """ "new" → (None, None); "repeat:N" → (case, None); "merge:N" → (None, case)."""
    kind, _sep, number = (value or "").partition(":")
    if kind == "new":
        return None, None
    if kind in ("repeat", "merge") and number:
        case = selectors.visible_cases(user).filter(number=number).first()
        if case is not None:
            return (case, None) if kind == "repeat" else (None, case)
    raise ValidationError(_("请选择对可能重复案件的处理方式。"))


def _dup_rows(user, cases):
    return [
        {
            "case": c,
            "show_personal": False,  # the desk compares masked numbers; unmasking is on the case page
        }
        for c in cases
    ]


@login_required
@permission_required("casework.register_case", raise_exception=True)
def register(request):
    form = IntakeForm(request.POST or None, request.FILES or None, initial={"accept": True, "workers_involved": 1})
    duplicates = []
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            d = form.cleaned_data
            duplicates = selectors.possible_duplicates(
                request.user,
                id_number=d["id_number"],
                phone=d["phone"],
                name=d["name"],
                enterprise=d["enterprise"],
                text=f"{d['summary']}{d['request']}",
            )
            repeat_of = merge_into = None
            decision = d["duplicate"]
            if duplicates and not decision:
                status = 200
                msg = _("发现可能重复的案件，请在下方选择处理方式后再次提交。")
                if d["attachments"]:
                    msg += _("附件需要重新选择。")
                form.add_error(None, msg)
            else:
                try:
                    if decision:
                        repeat_of, merge_into = _parse_decision(request.user, decision)
                except ValidationError as exc:
                    form.add_error("duplicate", exc)
                else:
                    try:
                        case = services.intake_register(
                            actor=request.user,
                            data=services.CaseInput(
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
                            ),
                            accept=d["accept"],
                            files=d["attachments"],
                            repeat_of=repeat_of,
                            merge_into=merge_into,
                        )
                    except CaseworkError as exc:
                        apply_error(form, exc)
                    else:
                        if merge_into is not None:
                            messages.success(
                                request,
                                _("已登记 %(n)s 并合并至 %(m)s。") % {"n": case.number, "m": merge_into.number},
                            )
                        else:
                            messages.success(request, _("已登记 %(n)s。") % {"n": case.number})
                        return redirect("casework:receipt", number=case.number)
    context = {
        "form": form,
        "groups": _groups(form),
        "duplicates": _dup_rows(request.user, duplicates),
        "title": _("登记受理"),
    }
    return render(request, "casework/intake.html", context, status=status)


@login_required
@permission_required("casework.register_case", raise_exception=True)
def duplicate_check(request):
    """``?id_number=&phone=&name=&enterprise=&text=``: possible duplicates, as the desk types
    (an invalid ID number or phone is left out, never widened to the enterprise)."""
    g = request.GET
    id_number = normalize_id_number(g.get("id_number", ""))[:18]
    try:
        validate_id_number(id_number) if id_number else None
    except ValidationError:
        id_number = ""
    try:
        phone = normalize_phone(g.get("phone", "")[:20])
    except ValidationError:
        phone = ""
    enterprise = g.get("enterprise", "").strip()[:250]
    form = IntakeForm({"enterprise": enterprise})
    form.is_valid()
    enterprise_code = form.cleaned_data.get("enterprise", "") if "enterprise" in form.cleaned_data else ""
    cases = selectors.possible_duplicates(
        request.user,
        id_number=id_number,
        phone=phone,
        name=g.get("name", "").strip()[:50],
        enterprise=enterprise_code,
        text=g.get("text", "")[:2000],
    )
    results = []
    for c in cases:
        results.append(
            {
                "number": c.number,
                "url": reverse("casework:detail", args=[c.number]),
                "worker": c.worker.name,
                # masked: the live duplicate check must not reveal other workers' numbers
                "phone": c.worker.masked_phone,
                "enterprise": c.enterprise.name,
                "category": c.category.name,
                "status": c.get_status_display(),
                "received": format_day(c.received_at),
                "open": c.is_open,
            }
        )
    return JsonResponse({"results": results})


@login_required
def enterprise_search(request):
    """``?q=``: up to 20 active enterprises whose name or code contains q."""
    q = (request.GET.get("q") or "").strip()[:50]
    units = OrgUnit.objects.filter(kind=UnitKind.ENTERPRISE, active=True)
    if q:
        units = units.filter(Q(name__icontains=q) | Q(code__icontains=q))
    results = [{"code": u.code, "name": u.name} for u in units.order_by("name")[:20]]
    return JsonResponse({"results": results})
