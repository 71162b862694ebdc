"""The campaign demo: a county A campaign on the visits demo group, with cadres' days, logs,
a report, a 典型, contact points (one overdue) and a 困难职工 family with help given.

Built through the services on top of ``visits.demo`` (idempotent). Dates are relative to
today, so the demo shows progress, shortfalls and an overdue 联系点 whenever it is run.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from casework.clock import now
from casework.models import OrgUnit
from visits.demo import DEMO_GROUP, seed_visits_demo
from visits.models import WorkGroup

from . import services
from .models import Campaign, Slot

DEMO_CAMPAIGN = "东城区总工会“双走双促”活动"


def seed_campaign_demo(cases: int = 200) -> int:
    """Create the demo campaign; returns 0 when it already exists."""
    if Campaign.objects.filter(name=DEMO_CAMPAIGN).exists():
        return 0
    seed_visits_demo(cases=cases)
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["leader", "desk", "officer_union"])}
    leader_u, desk_u, officer_u = users["leader"], users["desk"], users["officer_union"]
    county = OrgUnit.objects.get(code="DEMO-K1")
    work_group = WorkGroup.objects.get(name=DEMO_GROUP)
    visits = list(work_group.visits.select_related("enterprise").order_by("visited_on"))
    first, second = visits[0], visits[-1]
    today = timezone.localdate(now())
    with transaction.atomic():
        campaign = services.campaign_create(
            actor=leader_u,
            unit=county,
            data=services.CampaignInput(
                name=DEMO_CAMPAIGN,
                period_start=today - dt.timedelta(days=180),
                period_end=today + dt.timedelta(days=185),
                units=[county],
            ),
        )
        leader = services.cadre_for_user(actor=leader_u, user=leader_u, post="主席")
        officer = services.cadre_for_user(actor=leader_u, user=officer_u, post="干事")
        desk = services.cadre_for_user(actor=leader_u, user=desk_u, post="接待员")
        sun = services.cadre_create(actor=leader_u, campaign=campaign, name="孙建华", unit=county, post="办公室主任")
        group = services.group_create(
            actor=leader_u,
            campaign=campaign,
            name="第一工作组",
            leader=leader,
            members=[officer, desk, sun],
            work_group=work_group,
        )
        day1 = first.visited_on
        services.participation_add(actor=leader_u, group=group, visit=first, cadre=leader, day_from=day1)
        services.participation_add(
            actor=leader_u, group=group, visit=first, cadre=officer, day_from=day1, day_to=day1 + dt.timedelta(days=2)
        )
        services.participation_add(
            actor=leader_u, group=group, visit=second, cadre=officer, day_from=second.visited_on, slot=Slot.PM
        )
        services.participation_add(
            actor=leader_u, group=group, visit=second, cadre=desk, day_from=second.visited_on, slot=Slot.AM
        )
        services.participation_add(
            actor=leader_u, group=group, visit=second, cadre=leader, day_from=second.visited_on, slot=Slot.AM
        )
        for i, text in enumerate(
            ["召开职工座谈会，了解工资发放情况。", "走访二车间，核对拖欠工资名单。", "与企业负责人交换意见。"]
        ):
            services.worklog_save(
                actor=leader_u, group=group, cadre=officer, day=day1 + dt.timedelta(days=i), content=text
            )
        services.report_file(
            actor=leader_u,
            group=group,
            author=officer,
            title="关于东方机械制造有限公司工资拖欠问题的调研报告",
            subject="企业经营困难与职工工资支付",
            findings="订单下降约三成，二车间三个月工资未足额发放。",
            suggestions="推动企业制定欠薪清偿计划，工资集体协商纳入年度工作。",
            filed_on=second.visited_on,
        )
        services.typical_file(
            actor=leader_u,
            group=group,
            author=leader,
            kind="experience",
            title="座谈会当场答复职工关切的做法",
            content="工作组与企业负责人一同参加座谈，能答复的当场答复，不能答复的登记为案件限时办理。",
            filed_on=second.visited_on,
        )
        since = campaign.period_start
        services.point_add(
            actor=leader_u, campaign=campaign, place=first.enterprise, unit=county, cadre=officer, since=since
        )
        services.point_add(
            actor=leader_u,
            campaign=campaign,
            place=OrgUnit.objects.get(code="DEMO-E2"),
            unit=county,
            cadre=desk,
            since=since,
        )
        family = services.family_create(
            actor=leader_u,
            campaign=campaign,
            unit=county,
            head="赵秀兰",
            phone="13912340088",
            address="东城区幸福里3号楼2单元",
            employer=first.enterprise.name,
            members=3,
            hardship="illness",
            situation="丈夫患尿毒症长期透析，孩子上初中，家庭收入仅靠本人工资。",
        )
        services.pairing_add(actor=leader_u, family=family, cadre=officer, since=day1)
        services.family_contact_add(
            actor=leader_u, family=family, kind="condolence", on=day1, delivered_by=officer, amount=Decimal(1000)
        )
        services.family_contact_add(
            actor=leader_u,
            family=family,
            kind="schooling",
            on=second.visited_on,
            delivered_by=leader,
            amount=Decimal(2000),
            note="金秋助学",
        )
        # 办实事: one overdue (red), one done and on the public board.
        year = today.year
        late = services.commitment_create(
            actor=leader_u,
            unit=county,
            year=year,
            title="为户外劳动者建设爱心驿站",
            content="在辖区建成五处爱心驿站，提供饮水、休息、充电。",
            due_on=max(dt.date(year, 1, 1), today - dt.timedelta(days=3)),
            owner="区总工会陈主席",
        )
        services.commitment_note(actor=leader_u, commitment=late, text_="已完成三处选址。", on=today)
        done = services.commitment_create(
            actor=leader_u,
            unit=county,
            year=year,
            title="开展农民工工资集体协商专项行动",
            due_on=dt.date(year, 12, 31),
            owner="区总工会张干事",
        )
        services.commitment_complete(
            actor=leader_u, commitment=done, result="12家建筑企业签订工资专项集体合同。", done_on=today
        )
        services.commitment_publish(actor=leader_u, commitment=done)
    return 1
