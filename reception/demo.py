"""The reception demo: two past days of county A (one signed off) and planned days ahead.

Built through the services on top of the casework demo world; past days are entered with
``session_record_held`` (补录), as a unit that held its day on paper would.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from casework.clock import now
from casework.models import Category, OrgUnit

from . import services
from .models import ReceptionSession

DEMO_PLACE = "东城区总工会职工服务中心接待室"


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def seed_reception_demo(cases: int = 200) -> int:
    """Create the demo days; returns 0 when they already exist."""
    if ReceptionSession.objects.filter(place=DEMO_PLACE).exists():
        return 0
    from casework.demo import seed_demo

    seed_demo(cases=cases)
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["leader", "desk", "leader_2"])}
    leader, desk = users["leader"], users["desk"]
    k1, k2 = OrgUnit.objects.get(code="DEMO-K1"), OrgUnit.objects.get(code="DEMO-K2")
    e1, e2 = OrgUnit.objects.get(code="DEMO-E1"), OrgUnit.objects.get(code="DEMO-E2")
    wages, insurance = Category.objects.get(code="wages"), Category.objects.get(code="social_insurance")
    today = timezone.localdate(now())
    with transaction.atomic():
        # A day held two weeks ago: three workers received, closed and signed by the chairman.
        held = services.session_record_held(
            actor=desk,
            unit=k1,
            data=services.SessionInput(
                starts_at=_at(today - dt.timedelta(days=14), 9),
                ends_at=_at(today - dt.timedelta(days=14), 12),
                place=DEMO_PLACE,
                form="regular",
                leaders=[leader],
                issues="劳动报酬、社会保险、劳动合同等问题",
            ),
        )
        answered = services.entry_add(
            actor=desk,
            session=held,
            data=services.EntryInput(
                worker_name="孙丽", raised="询问产假期间工资如何计算。", enterprise=e2, category=wages, leader=leader
            ),
        )
        services.entry_resolve(
            actor=leader, entry=answered, outcome="answered", text="产假期间享受生育津贴，已告知申领流程。"
        )
        filed = services.entry_add(
            actor=desk,
            session=held,
            data=services.EntryInput(
                worker_name="周强",
                phone="13912340021",
                raised="企业连续两个月未缴社会保险。",
                request="要求企业补缴社会保险。",
                enterprise=e1,
                category=insurance,
                leader=leader,
            ),
        )
        services.entry_file_case(actor=desk, entry=filed, consent=True, leader_takes_charge=True)
        group = services.entry_add(
            actor=desk,
            session=held,
            data=services.EntryInput(
                worker_name="吴师傅", raised="外地分包商拖欠农民工工资。", employer="某建筑劳务分包公司",
                category=wages, head_count=9, leader=leader,
            ),
        )  # fmt: skip
        services.entry_resolve(actor=desk, entry=group, outcome="referred", text="区人社局劳动保障监察大队")
        services.session_close(actor=desk, session=held)
        # 条条有回音: an opinion from a 座谈会 ten days ago that nobody has answered yet.
        from voices.services import voice_record

        voice_record(
            actor=desk,
            unit=k1,
            source="forum",
            summary="职工反映厂区班车线路调整后上下班不便，希望恢复原线路。",
            raised_on=today - dt.timedelta(days=10),
            worker_name="职工代表",
        )
        services.session_sign_off(actor=leader, session=held)
        # Planned: next week in county A, a topical day in county B.
        for unit, form, topic, chair, days in [
            (k1, "regular", "", leader, 7),
            (k1, "rotating", "", leader, 35),
            (k2, "topic", "农民工工资支付专题接访", users["leader_2"], 10),
        ]:
            services.session_plan(
                actor=chair,
                unit=unit,
                data=services.SessionInput(
                    starts_at=_at(today + dt.timedelta(days=days), 9),
                    ends_at=_at(today + dt.timedelta(days=days), 12),
                    place=DEMO_PLACE if unit == k1 else "西城区总工会一楼大厅",
                    form=form,
                    topic=topic,
                    leaders=[chair],
                    issues="劳动报酬、社会保险、劳动合同、安全生产等问题",
                ),
            )
    return 1
