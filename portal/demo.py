"""The portal's part of the demo (``seed_demo``): a worker's online submission in county A that
the desk accepted and the union answered — ready to be read and rated in the portal — and one
still waiting in the desk's list. Every run prints the case number and a fresh query code."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from casework import services as cw

from . import services
from .models import Submission, SubmissionStatus
from .services.access import query_code_reissue

PHONE = "13912345601"


def seed_portal_demo() -> str:
    """Build once (when the demo world is there), then a fresh query code each run."""
    users = get_user_model().objects.in_bulk(["desk", "officer_enterprise", "officer_union"], field_name="username")
    if len(users) < 3:
        return ""
    demo = Submission.objects.filter(phone=PHONE, case__isnull=False).select_related("case").first()
    if demo is None:
        demo = _build(users)
    code = query_code_reissue(submission=demo)
    return (
        f"worker portal demo (/portal/follow/): case {demo.case.number}, "
        f"query code {code[:4]}-{code[4:]} "
        f"(or phone {PHONE} + the SMS code, shown to `desk` under 网上职工心声 → 短信记录)"
    )


def _build(users) -> Submission:
    desk, enterprise, union = users["desk"], users["officer_enterprise"], users["officer_union"]
    submission, _code = services.submission_create(
        data=services.SubmissionInput(
            name="林小红", phone=PHONE, enterprise="DEMO-E1", category="wages", consent=True, workers_involved=12,
            summary="装配车间 12 名职工 9 月、10 月加班费未发放。", request="要求企业按规定补发加班费。",
            anonymous_to_enterprise=True,
        ),
        ip=None,
    )  # fmt: skip
    case = services.submission_accept(submission=submission, actor=desk)
    cw.task_claim(case=case.number, actor=enterprise)
    cw.case_escalate(case=case.number, actor=enterprise, reason="企业称订单回款未到，企业层面难以解决。")
    cw.task_claim(case=case.number, actor=union)
    cw.case_resolve(
        case=case.number, actor=union, outcome="resolved", result="经区总工会协调，企业已于 11 月 20 日补发全部加班费。"
    )
    cw.case_reply(case=case.number, actor=desk, method="sms", content="加班费已补发，请您查收；如有疑问请拨打 12351。")
    if not Submission.objects.filter(status=SubmissionStatus.PENDING, enterprise__code="DEMO-E1").exists():
        services.submission_create(
            data=services.SubmissionInput(
                name="马建军", phone="13912345602", enterprise="DEMO-E1", category="safety", consent=True,
                summary="喷漆车间通风设备坏了两周，没有发放口罩。", request="要求尽快修好通风设备并发放防护用品。",
            ),
            ip=None,
        )  # fmt: skip
    return Submission.objects.get(pk=submission.pk)  # as the services left it
