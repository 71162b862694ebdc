"""The case page, its printable documents, attachments, and one page per action."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import privacy, rules, selectors, services
from ..actions import ACTIONS, perform
from ..clock import now
from ..exceptions import CaseworkError
from ..forms import AttachmentForm
from ..models import CaseWatch
from ..models.case import LADDER, Status
from .errors import apply_error
from .files import serve_stored_file
from .pdf import render_pdf


def _ladder(case, stages):
    """The three levels as steps: done / current / ahead, with the time spent at each."""
    steps = []
    for level in LADDER:
        stays = [s for s in stages if s.level == level]
        current = case.status == level
        steps.append(
            {
                "level": level,
                "label": level.label,
                "stays": stays,
                "state": "current" if current else ("done" if stays else "ahead"),
            }
        )
    return steps


def _case_context(request, case):
    task = selectors.open_task(case)
    stages = selectors.stages(case)
    timeline = selectors.timeline(case)
    return {
        "case": case,
        "task": task,
        "timeline": timeline,
        "told_worker": selectors.told_worker(timeline),
        "internal_notes": selectors.internal_notes(timeline),
        "stages": stages,
        "ladder": _ladder(case, stages),
        "allowed": [ACTIONS[a] for a in selectors.allowed_actions(case, request.user, task)],
        # Masked unless this request is a logged unmask (casework.privacy: GET ?unmask=1, allowed, logged).
        "can_unmask": rules.can_see_personal_data(case, request.user),
        "show_personal": privacy.reveal_case(request, case, kind="case_page"),
        "now": now(),
    }


def _can_attach(case, user) -> bool:
    return case.status not in (Status.CLOSED, Status.MERGED, Status.WITHDRAWN, Status.NOT_ACCEPTED) and (
        rules.is_owner(case, user) or rules.can_handle(case, user) or rules.can_lead(case, user)
    )


@login_required
def detail(request, number: str):
    case = selectors.get_visible_case(request.user, number)
    context = {
        **_case_context(request, case),
        "title": case.number,
        "attachments": selectors.attachments(case),
        "related": selectors.related_cases(case),
        "letter_rounds": selectors.reply_letter_rounds(case),
        "can_attach": _can_attach(case, request.user),
        "attach_form": AttachmentForm(),
        "watching": CaseWatch.objects.filter(user=request.user, case=case).exists(),
        "worker_page": not rules.hides_worker(case, request.user),
    }
    return render(request, "casework/case_detail.html", context)


def _receipt_context(case):
    return {"case": case, "title": _("受理回执")}


@login_required
def receipt(request, number: str):
    """受理回执: printable, for the worker at the desk."""
    case = selectors.get_visible_case(request.user, number)
    return render(request, "casework/receipt.html", _receipt_context(case))


@login_required
def receipt_pdf(request, number: str):
    case = selectors.get_visible_case(request.user, number)
    return render_pdf(request, "casework/receipt.html", _receipt_context(case), f"receipt-{case.number}.pdf")


def _reply_letter(request, number: str, round_no: int | None) -> dict:
    """The letter of one round (1-based, as sent), or without a round the current one: the
    case's own result while it has one, else the last letter sent (a reopened case)."""
    case = selectors.get_visible_case(request.user, number)
    sent = selectors.reply_letters(case)
    current = bool(case.outcome) and case.status not in (Status.MERGED, Status.WITHDRAWN)
    if round_no is not None:
        if not 1 <= round_no <= len(sent):
            raise Http404
        letter = sent[round_no - 1]
    elif current:
        letter = case
    elif sent:
        letter, round_no = sent[-1], len(sent)
    else:
        raise Http404
    title = _("答复意见书（第 %(n)d 轮）") % {"n": round_no} if round_no else _("答复意见书")
    return {"case": letter, "title": title, "now": now(), "round_no": round_no}


@login_required
def reply_letter(request, number: str, round_no: int | None = None):
    """答复意见书: the written answer to the worker, once a result exists; every round's stays readable."""
    return render(request, "casework/reply_letter.html", _reply_letter(request, number, round_no))


@login_required
def reply_letter_pdf(request, number: str, round_no: int | None = None):
    context = _reply_letter(request, number, round_no)
    suffix = f"-{round_no}" if round_no else ""
    return render_pdf(request, "casework/reply_letter.html", context, f"reply-{number}{suffix}.pdf")


@login_required
def attachment(request, number: str, pk: int):
    """One attachment, only to users who may see the case (else 404)."""
    case = selectors.get_visible_case(request.user, number)
    return serve_stored_file(case.attachments.filter(pk=pk).first())


@login_required
@require_POST
def attach(request, number: str):
    case = selectors.get_visible_case(request.user, number)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            saved = services.attachment_add(case=case, actor=request.user, files=form.cleaned_data["attachments"])
        except CaseworkError as exc:
            for errors in (exc.fields or {}).values():
                for e in errors:
                    messages.error(request, e)
            if not exc.fields:
                messages.error(request, str(exc.message))
        else:
            messages.success(request, _("已上传 %(n)d 个附件。") % {"n": len(saved)})
    else:
        for e in form.errors.get("attachments", [_("请选择要上传的文件。")]):
            messages.error(request, e)
    return redirect("casework:detail", number=case.number)


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
    if action == "reply":
        context["reply_templates"] = selectors.reply_templates(case.category_id)
    return render(request, "casework/case_action.html", context, status=status)
