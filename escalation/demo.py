"""The demo's working-day clock: ``seed_demo`` shows a provisional deadline (暂定) while next
year's holiday schedule is not loaded, and the admin's 节假日安排 pages to load it."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from casework import services
from casework.models import Category

from .models import BreachAction, Stage, TimePolicy

POLICY_NAME = "工伤诉求·党委政府层面（演示：60个工作日）"


def seed_holiday_demo() -> str:
    """A 60-working-day government policy for 工伤 cases, and one such case escalated to the
    government level now; returns its number ("" when the demo already has it)."""
    if TimePolicy.objects.filter(name=POLICY_NAME).exists():
        return ""
    policy = TimePolicy(
        name=POLICY_NAME,
        stage=Stage.GOVERNMENT,
        category=Category.objects.get(code="injury"),
        length=60,
        length_unit="working_days",
        breach_action=BreachAction.FLAG,
        max_extension_days=30,
        note="演示：按工作日计算的时限；跨入未录入节假日安排的年度时为暂定期限。",
    )
    policy.full_clean()
    policy.save()
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=["desk", "officer_enterprise", "officer_union"])
    }
    data = services.CaseInput(
        worker={"name": "赵建军", "gender": "male", "phone": "13912340023"},
        enterprise="DEMO-E1",
        category="injury",
        channel="reception_day",
        summary="工作中受伤，企业拒绝申报工伤。",
        request="要求企业申报工伤并支付工伤待遇。",
        consent=True,
    )
    case = services.case_register(actor=users["desk"], data=data, accept=True)
    services.case_escalate(case=case.number, actor=users["officer_enterprise"], reason="企业拒不配合，转工会协调。")
    services.case_escalate(
        case=case.number, actor=users["officer_union"], reason="需人社部门认定工伤，转党委政府层面。"
    )
    return case.number
