"""The worker's pages: public, mobile-first, no JavaScript needed (a small script only fills the
enterprise list as one types). Each page gets plain dicts from ``portal.selectors``."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from casework import signals
from casework.exceptions import CaseworkError
from casework.models import Case
from reports.models import AccessKind

from .. import forms, limits, selectors, services
from ..actor import portal_user
from ..models import Submission
from ..services.submissions import enterprise_matches
from . import grants


def _ip(request) -> str | None:
    return limits.client_ip(request)


def _errors(form, exc: CaseworkError) -> None:
    placed = False
    for field, msgs in (exc.fields or {}).items():
        for message in msgs:
            form.add_error(field if field in form.fields else None, str(message))
            placed = True
    if not placed:
        form.add_error(None, str(exc.message))


def _status(exc: CaseworkError) -> int:
    return exc.http_status


def home(request):
    return render(request, "portal/home.html", {"title": _("网上职工心声"), "signed_in": grants.current(request)})


@never_cache
def submit(request):
    """我要反映: the form; on success the receipt (提交编号 + 查询码, shown once)."""
    status = 200
    if request.method == "POST":
        form = forms.SubmitForm(request.POST, request.FILES)
        if limits.over("submit_ip", _ip(request)):
            return _refused(request, limits.TooManyRequests())
        if form.is_valid():
            d = form.cleaned_data
            data = services.SubmissionInput(
                name=d["name"], phone=d["phone"], id_number=d["id_number"], enterprise=d["enterprise"],
                category=d["category"], summary=d["summary"], request=d["request"],
                workers_involved=d["workers_involved"], consent=d["consent"],
                anonymous_to_enterprise=d["anonymous_to_enterprise"], files=d["attachments"],
            )  # fmt: skip
            try:
                submission, code = services.submission_create(data=data, ip=_ip(request))
            except limits.TooManyRequests as exc:
                return _refused(request, exc)
            except CaseworkError as exc:
                _errors(form, exc)
            else:
                grants.remember(request, services.Grant([submission.pk], [], "code"))
                request.session["portal_receipt"] = {"reference": submission.reference, "code": code}
                return redirect("portal:receipt")
        status = 400  # the form is shown again with what was typed, and a new captcha (its widget draws one)
    else:
        form = forms.SubmitForm()
    return render(request, "portal/submit.html", {"title": _("我要反映"), "form": form}, status=status)


def _refused(request, exc: CaseworkError, template: str = "portal/refused.html"):
    return render(request, template, {"title": _("请稍后再试"), "message": str(exc.message)}, status=_status(exc))


@never_cache
def receipt(request):
    shown = request.session.pop("portal_receipt", None)
    if not shown:
        return redirect("portal:my")
    from ..codes import display

    context = {"title": _("提交成功"), "reference": shown["reference"], "code": display(shown["code"])}
    return render(request, "portal/receipt.html", context)


def enterprises(request):
    """The enterprise picker's list (a ``<datalist>``; the form works without it)."""
    q = (request.GET.get("q") or "").strip()[:50]
    names = [u.name for u in enterprise_matches(q, limit=20)] if len(q) >= 2 else []
    response = JsonResponse({"results": names}, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=300"
    return response


PHONE_IDS = "ph_%s"  # the two forms share a page: their fields need distinct ids


@never_cache
def follow(request):
    """查询进度: 编号 + 查询码, or 手机号 + 短信验证码."""
    code_form, phone_form, status = forms.CodeForm(), forms.PhoneForm(auto_id=PHONE_IDS), 200
    if request.method == "POST":
        via = request.POST.get("via")
        try:
            if via == "code":
                code_form = forms.CodeForm(request.POST)
                if code_form.is_valid():
                    d = code_form.cleaned_data
                    grant = services.open_by_code(reference=d["reference"], code=d["code"], ip=_ip(request))
                    grants.remember(request, grant)
                    return redirect("portal:my")
                status = 400
            elif via == "phone":
                phone_form = forms.PhoneForm(request.POST, auto_id=PHONE_IDS)
                if phone_form.is_valid():
                    d = phone_form.cleaned_data
                    if "send" in request.POST:
                        services.phone_code_send(phone=d["phone"], ip=_ip(request))
                        messages.info(request, _("如该号码有诉求记录，验证码已发送，5 分钟内有效。"))
                        phone_form = forms.PhoneForm(initial={"phone": d["phone"]}, auto_id=PHONE_IDS)
                    else:
                        grant = services.open_by_phone(phone=d["phone"], code=d["code"], ip=_ip(request))
                        grants.remember(request, grant)
                        return redirect("portal:my")
                else:
                    status = 400
            else:
                status = 400
        except CaseworkError as exc:
            _errors(code_form if via == "code" else phone_form, exc)
            status = _status(exc)
    context = {"title": _("查询办理进度"), "code_form": code_form, "phone_form": phone_form}
    return render(request, "portal/follow.html", context, status=status)


def _log(request, case: Case) -> None:
    """Every portal access to a case is in the access log (reports.AccessLog, kind ``portal``)."""
    signals.personal_data_viewed.send(
        sender=Case, case=case, user=portal_user(), kind=AccessKind.PORTAL, ip=_ip(request)
    )


@never_cache
def my(request):
    grant = grants.current(request)
    if grant is None:
        return redirect("portal:follow")
    cases = selectors.granted_cases(grant)
    for case in cases:
        _log(request, case)
    items = [selectors.submission_view(s) for s in selectors.granted_submissions(grant)]
    items += [selectors.case_view(c) for c in cases]
    return render(request, "portal/my.html", {"title": _("我的诉求"), "items": items})


def _denied(request):
    """Without proven access a case or submission is not found (404, as for a number never
    issued), with the way to prove it."""
    context = {"title": _("请先验证"), "message": _("请先用查询码或手机短信验证码验证身份，再查看诉求。")}
    return render(request, "portal/refused.html", {**context, "follow": True}, status=404)


def _find(request, number: str):
    """(case or None, submission or None) that the session's grant covers, else 404."""
    grant = grants.current(request)
    if grant is None:
        return None
    case = Case.objects.filter(number=number).select_related("category", "enterprise", "county", "worker").first()
    if case is not None:
        if case.pk not in selectors.granted_case_ids(grant):
            raise Http404
        return case
    submission = Submission.objects.filter(reference=number).select_related("category", "enterprise").first()
    if submission is None or not grant.allows_submission(submission.pk):
        raise Http404
    return submission.case if submission.case_id else submission


def _item_context(item, bound: dict | None = None) -> dict:
    bound = bound or {}
    view = selectors.case_view(item) if isinstance(item, Case) else selectors.submission_view(item)
    return {
        "title": view["number"] or view["reference"],
        "view": view,
        "rate_form": bound.get("rate") or forms.RateForm(),
        "reopen_form": bound.get("reopen") or forms.ReasonForm(),
        "withdraw_form": bound.get("withdraw") or forms.ReasonForm(),
        "consent_form": bound.get("consent") or forms.ConsentForm(),
        "union_forms": [
            (u, bound.get(f"union{u['id']}") or forms.UnionRatingForm(initial={"union": u["id"]}))
            for u in view.get("unions", [])
            if not u["rated"]
        ],
    }


@never_cache
def item(request, number: str):
    found = _find(request, number)
    if found is None:
        return _denied(request)
    if isinstance(found, Case):
        _log(request, found)
    return render(request, "portal/item.html", _item_context(found))


ACTIONS = ("rate", "reopen", "withdraw", "consent", "union")


@require_POST
def act(request, number: str, action: str):
    if action not in ACTIONS:
        raise Http404
    found = _find(request, number)
    if found is None:
        return _denied(request)
    form = {
        "rate": forms.RateForm, "reopen": forms.ReasonForm, "withdraw": forms.ReasonForm,
        "consent": forms.ConsentForm, "union": forms.UnionRatingForm,
    }[action](request.POST)  # fmt: skip
    key = action
    try:
        if not form.is_valid():
            raise CaseworkError(_("填写的内容有误，请检查后重试。"))
        d = form.cleaned_data
        if isinstance(found, Submission):
            if action != "withdraw":
                raise Http404
            services.submission_withdraw(submission=found, reason=d["reason"])
            messages.success(request, _("已撤回您的提交。"))
        else:
            _log(request, found)
            done = _perform(found, action, d)
            if action == "union":
                key = f"union{d['union']}"
            messages.success(request, done)
    except CaseworkError as exc:
        if action == "union" and form.is_valid():
            key = f"union{form.cleaned_data['union']}"
        if exc.fields or not form.errors:
            _errors(form, exc)
        found = Case.objects.get(pk=found.pk) if isinstance(found, Case) else Submission.objects.get(pk=found.pk)
        context = _item_context(found, {key: form})
        context["error_action"] = action
        context["error_message"] = str(exc.message)
        return render(request, "portal/item.html", context, status=_status(exc))
    return redirect("portal:item", number=number)


def _perform(case: Case, action: str, d: dict) -> str:
    from ..actor import portal_actor
    from ..models import ConsentMethod

    if action == "rate":
        services.worker_follow_up(case=case, satisfaction=d["satisfaction"], comment=d["comment"])
        return _("感谢您的评价，本案已办结。")
    if action == "reopen":
        services.worker_reopen(case=case, reason=d["reason"])
        return _("已受理您的复查申请，上一级将重新办理，请留意短信通知。")
    if action == "withdraw":
        services.worker_withdraw(case=case, reason=d["reason"])
        return _("已撤回您的诉求。")
    if action == "consent":
        services.publication_consent_set(
            case=case.number, agreed=d["agreed"] == "yes", actor=portal_actor(case), method=ConsentMethod.PORTAL
        )
        return _("已记录您的公示意见。")
    scores = {k: v for k, v in d.items() if k not in ("union", "comment")}
    services.union_rating_submit(case=case, union=d["union"], scores=scores, comment=d["comment"])
    return _("感谢您参加会员评家。")


@never_cache
def letter(request, number: str):
    """答复意见书, for the worker: no officer's name or phone on it."""
    found = _find(request, number)
    if found is None:
        return _denied(request)
    if not isinstance(found, Case) or not selectors.case_view(found)["letter"]:
        raise Http404
    _log(request, found)
    return render(request, "portal/letter.html", {"title": _("答复意见书"), "letter": selectors.letter_view(found)})


@require_POST
def leave(request):
    grants.forget(request)
    messages.info(request, _("已退出查询。"))
    return redirect("portal:home")
