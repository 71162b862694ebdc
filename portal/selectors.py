"""What the worker may see, as plain dicts of allow-listed fields (no model instance reaches a
portal template or the portal API, so nothing internal leaks through an attribute).

Never shown: internal notes, officer or unit names of the handling side, other workers'
data, the enterprise's side (what it said or did), merged-into case numbers.
tests/portal/test_leaks.py checks every page and API field against these lists.
"""

from __future__ import annotations

from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework import rules, selectors
from casework.models import Case, OrgUnit
from casework.models.case import Satisfaction, Status
from casework.models.org import UnitKind

from .models import PublicationConsent, RatingQuestion, Submission, SubmissionStatus, UnionRating

CASE_FIELDS = (
    "kind", "reference", "number", "status", "status_text", "level", "level_label", "hear_back_by",
    "received_on", "category", "enterprise", "summary", "request", "workers_involved", "anonymous_to_enterprise",
    "progress", "notices", "outcome", "result", "reply", "guidance", "satisfaction", "satisfaction_comment",
    "can_rate", "can_reopen", "reopen_until", "can_withdraw", "publication", "can_consent", "unions", "letter",
)  # fmt: skip
SUBMISSION_FIELDS = (
    "kind", "reference", "number", "status", "status_text", "received_on", "category", "enterprise", "summary",
    "request", "workers_involved", "anonymous_to_enterprise", "guidance", "can_withdraw",
)  # fmt: skip
PROGRESS_FIELDS = ("on", "text")
NOTICE_FIELDS = ("on", "text")
REPLY_FIELDS = ("on", "method", "content")
UNION_FIELDS = ("id", "name", "rated")

# Milestones the worker sees (the history row's action → words for the worker); reasons are
# never shown: they are written for staff (notes, escalation grounds, the enterprise's side).
PROGRESS = {
    "register": gettext_lazy("已登记"),
    "accept": gettext_lazy("已受理，转企业层面协调办理"),
    "not_accept": gettext_lazy("不予受理（见告知与指引）"),
    "resolve": gettext_lazy("已形成办理结果"),
    "reply": gettext_lazy("已答复您"),
    "follow_up": gettext_lazy("已回访评价"),
    "close": gettext_lazy("已办结"),
    "reopen": gettext_lazy("已受理复查申请"),
    "withdraw": gettext_lazy("已撤回"),
    "merge": gettext_lazy("与反映同一事项的诉求合并办理"),
    "extension_approved": gettext_lazy("办理期限经批准延长"),
}
ESCALATED = {
    Status.UNION: gettext_lazy("转工会层面协调办理"),
    Status.GOVERNMENT: gettext_lazy("提请党委政府有关部门办理"),
}
STATUS_TEXT = {
    Status.REGISTERED: gettext_lazy("已收到，正在审核受理"),
    Status.ENTERPRISE: gettext_lazy("正在企业层面协调办理"),
    Status.UNION: gettext_lazy("正在工会层面协调办理"),
    Status.GOVERNMENT: gettext_lazy("正在由党委政府有关部门办理"),
    Status.CLOSED: gettext_lazy("已办结"),
    Status.NOT_ACCEPTED: gettext_lazy("不予受理"),
    Status.WITHDRAWN: gettext_lazy("已撤回"),
    Status.MERGED: gettext_lazy("已与反映同一事项的诉求合并办理"),
}
SUBMISSION_TEXT = {
    SubmissionStatus.PENDING: gettext_lazy("已提交，等待区县总工会受理（一般 1 个工作日内）"),
    SubmissionStatus.ACCEPTED: gettext_lazy("已受理，转为案件办理"),
    SubmissionStatus.DECLINED: gettext_lazy("不予受理（见告知与指引）"),
    SubmissionStatus.WITHDRAWN: gettext_lazy("已撤回"),
}


def _status_text(case: Case) -> str:
    if case.status == Status.ANSWERED:
        return str(_("已答复，请您评价") if case.replied_at else _("已形成办理结果，近期将答复您"))
    return str(STATUS_TEXT.get(case.status, case.get_status_display()))


def _day(value) -> str:
    return timezone.localtime(value).date().isoformat() if value else ""


def _progress(timeline: list) -> list[dict]:
    rows = []
    for entry in timeline:
        text = ESCALATED.get(entry.to_status) if entry.action == "escalate" else PROGRESS.get(entry.action)
        if text:
            rows.append({"on": _day(entry.at), "text": str(text)})
    return rows


def _notices(timeline: list) -> list[dict]:
    """告知职工 along the way (``inform``): the words staff addressed to the worker. Only
    these: an internal note (``note``) or any other action's reason is never shown; the
    guidance and the reply have their own fields."""
    return [{"on": _day(e.at), "text": e.reason} for e in selectors.told_worker(timeline) if e.action == "inform"]


def may_rate(case: Case) -> bool:
    return case.status == Status.ANSWERED and case.replied_at is not None and not case.satisfaction


def may_reopen(case: Case) -> bool:
    return case.status in (Status.ANSWERED, Status.CLOSED) and case.replied_at is not None and rules.may_reopen(case)


def reopen_until(case: Case) -> str:
    since = case.closed_at or case.replied_at
    return _day(since + rules.REOPEN_WINDOW) if since and may_reopen(case) else ""


def ratable_unions(case: Case) -> list[OrgUnit]:
    """会员评家: the enterprise's union and the county federation, once the case has a result."""
    if case.status not in (Status.ANSWERED, Status.CLOSED) or not case.outcome:
        return []
    unions = list(
        OrgUnit.objects.filter(parent_id=case.enterprise_id, kind=UnitKind.ENTERPRISE_UNION, active=True).order_by(
            "path"
        )[:1]
    )
    unions.append(case.county)
    return unions


def case_view(case: Case) -> dict:
    """The case as the worker sees it (``CASE_FIELDS`` only)."""
    replied = case.replied_at is not None
    closed_or_replied = replied or case.status == Status.CLOSED
    submission = Submission.objects.filter(case=case).only("reference").first()
    consent = PublicationConsent.objects.filter(case=case).first()
    rater_year = timezone.localdate().year
    from . import codes

    rater = codes.rater_key(case.worker_id)
    timeline = selectors.timeline(case)
    rated = set(
        UnionRating.objects.filter(year=rater_year, rater=rater).values_list("union_id", flat=True)
    )
    view = {
        "kind": "case",
        "reference": submission.reference if submission else "",
        "number": case.number,
        "status": case.status,
        "status_text": _status_text(case),
        "level": case.level if case.status in (Status.ENTERPRISE, Status.UNION, Status.GOVERNMENT) else "",
        "level_label": case.get_level_display() if case.status in (Status.ENTERPRISE, Status.UNION, Status.GOVERNMENT)
        else "",
        "hear_back_by": _day(case.due_at) if case.is_open or (case.status == Status.ANSWERED and not replied) else "",
        "received_on": _day(case.received_at),
        "category": case.category.name,
        "enterprise": case.enterprise.name,
        "summary": case.summary,
        "request": case.request,
        "workers_involved": case.workers_involved,
        "anonymous_to_enterprise": case.anonymous_to_enterprise,
        "progress": _progress(timeline),
        "notices": _notices(timeline),
        "outcome": case.get_outcome_display() if case.outcome and (closed_or_replied or not case.is_open) else "",
        "result": case.result if closed_or_replied else "",
        "reply": {"on": _day(case.replied_at), "method": case.get_reply_method_display(), "content": case.reply_content}
        if replied
        else None,
        "guidance": case.guidance if case.status == Status.NOT_ACCEPTED else "",
        "satisfaction": case.get_satisfaction_display()
        if case.satisfaction and case.satisfaction != Satisfaction.NOT_RATED
        else "",
        "satisfaction_comment": case.satisfaction_comment if case.satisfaction else "",
        "can_rate": may_rate(case),
        "can_reopen": may_reopen(case),
        "reopen_until": reopen_until(case),
        "can_withdraw": case.is_open,
        "publication": "" if consent is None else ("agreed" if consent.agreed else "refused"),
        "can_consent": case.status == Status.CLOSED and case.outcome in ("resolved", "partly_resolved", "explained"),
        "unions": [
            {"id": u.pk, "name": u.name, "rated": u.pk in rated} for u in ratable_unions(case)
        ],
        "letter": bool(replied and case.outcome),
    }
    assert tuple(view) == CASE_FIELDS
    return view


def submission_view(s: Submission) -> dict:
    """A submission not (yet) a case, as the worker sees it (``SUBMISSION_FIELDS`` only)."""
    view = {
        "kind": "submission",
        "reference": s.reference,
        "number": s.case.number if s.case_id else "",
        "status": s.status,
        "status_text": str(SUBMISSION_TEXT[s.status]),
        "received_on": _day(s.submitted_at),
        "category": s.category.name,
        "enterprise": s.enterprise.name,
        "summary": s.summary,
        "request": s.request,
        "workers_involved": s.workers_involved,
        "anonymous_to_enterprise": s.anonymous_to_enterprise,
        "guidance": s.guidance if s.status == SubmissionStatus.DECLINED else "",
        "can_withdraw": s.status == SubmissionStatus.PENDING,
    }
    assert tuple(view) == SUBMISSION_FIELDS
    return view


def letter_view(case: Case) -> dict:
    """答复意见书 for the worker: the letter without any officer's name or phone."""
    return {
        "number": case.number,
        "name": case.worker.name,
        "received_on": case.received_at,
        "category": case.category.name,
        "summary": case.summary,
        "request": case.request,
        "outcome": case.get_outcome_display(),
        "level": case.get_answered_level_display() if case.answered_level else "",
        "result": case.result,
        "reply": case.reply_content,
        "unit": case.receiving_unit.name,
        "replied_on": case.replied_at,
    }


LETTER_FIELDS = (
    "number", "name", "received_on", "category", "summary", "request", "outcome", "level", "result", "reply",
    "unit", "replied_on",
)  # fmt: skip


def granted_case_ids(grant) -> set[int]:
    """The cases a grant covers: those named, and those its submissions became."""
    if not grant:
        return set()
    ids = set(grant.cases)
    if grant.submissions:
        became = Submission.objects.filter(pk__in=grant.submissions, case__isnull=False)
        ids |= set(became.values_list("case_id", flat=True))
    return ids


def granted_cases(grant) -> list[Case]:
    ids = granted_case_ids(grant)
    if not ids:
        return []
    return list(
        Case.objects.filter(pk__in=ids)
        .select_related("category", "enterprise", "county", "worker")
        .order_by("-received_at")
    )


def granted_submissions(grant) -> list[Submission]:
    """Submissions not yet a case (an accepted one is shown as its case)."""
    if not grant or not grant.submissions:
        return []
    return list(
        Submission.objects.filter(pk__in=grant.submissions, case__isnull=True)
        .select_related("category", "enterprise")
        .order_by("-submitted_at")
    )


# --- 会员评家 results (reports) ------------------------------------------------------------


def rating_results(*, unit: OrgUnit | None, year: int) -> list[dict]:
    """Per union in ``unit``'s subtree (None: all): count, average per question, comments.
    Never who rated."""
    rows = UnionRating.objects.filter(year=year)
    if unit is not None:
        rows = rows.filter(union__path__startswith=unit.path)
    questions = [q.value for q in RatingQuestion]
    figures = (
        rows.values("union_id", "union__name", "union__kind")
        .annotate(n=Count("pk"), **{f"avg_{q}": Avg(q) for q in questions})
        .order_by("union__name")
    )
    comments: dict[int, list[str]] = {}
    for union_id, comment in rows.exclude(comment="").order_by("-created_at").values_list("union_id", "comment")[:500]:
        comments.setdefault(union_id, []).append(comment)
    out = []
    for f in figures:
        averages = [round(float(f[f"avg_{q}"] or 0), 2) for q in questions]
        out.append(
            {
                "union": f["union__name"],
                "kind": str(UnitKind(f["union__kind"]).label),
                "count": f["n"],
                "scores": averages,
                "overall": round(sum(averages) / len(averages), 2) if averages else 0,
                "comments": comments.get(f["union_id"], [])[:20],
            }
        )
    return out

