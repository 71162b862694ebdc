"""The visits demo: a work group in county A with targets, two visits and three interviews.

Built through the services on top of the casework demo world (``casework.demo.build_world``,
idempotent), so it also works on a database where ``seed_demo`` has not run.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from casework.clock import now
from casework.models import Category, OrgUnit

from . import services
from .models import EnterpriseType, WorkGroup

DEMO_GROUP = "东城区总工会走访工作组（一组）"

PROFILES = {
    "DEMO-E1": [EnterpriseType.DIFFICULT, EnterpriseType.MIGRANT_HEAVY],
    "DEMO-E2": [EnterpriseType.DISPUTE_PRONE],
    "DEMO-E3": [EnterpriseType.MIGRANT_HEAVY],
    "DEMO-E4": [EnterpriseType.SMALL_PRIVATE],
}


def seed_visits_demo(cases: int = 200) -> int:
    """Create the demo group and its visits; returns 0 when they already exist.

    Runs casework's ``seed_demo`` first (it does nothing when the demo is there): it skips
    itself once any demo case exists, and the case filed here would otherwise block it.
    """
    if WorkGroup.objects.filter(name=DEMO_GROUP).exists():
        return 0
    from casework.demo import seed_demo

    seed_demo(cases=cases)
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["leader", "desk", "officer_union"])}
    leader, desk, officer = users["leader"], users["desk"], users["officer_union"]
    county = OrgUnit.objects.get(code="DEMO-K1")
    today = timezone.localdate(now())
    with transaction.atomic():
        for code, types in PROFILES.items():
            services.enterprise_profile_set(actor=leader, enterprise=OrgUnit.objects.get(code=code), types=types)
        group = services.workgroup_create(
            actor=leader, name=DEMO_GROUP, unit=county, leader=leader, members=[desk, officer]
        )
        services.target_save(
            actor=leader,
            group=group,
            period_start=today.replace(month=1, day=1),
            period_end=today.replace(month=12, day=31),
            min_enterprises=5,
            min_workers=50,
            min_interviews=10,
        )
        first = services.visit_create(
            actor=officer,
            group=group,
            data=services.VisitInput(
                enterprise=OrgUnit.objects.get(code="DEMO-E1"),
                visited_on=today - dt.timedelta(days=7),
                kind="forum",
                place="东方机械制造有限公司职工之家",
                workers_met=18,
                workers_named="王师傅\n李班长\n赵会计",
                difficulties="订单下降约三成，资金周转紧张。",
                bottlenecks="设备老化，技术工人流失。",
                workforce_changes="今年以来减员约40人，农民工占比六成。",
                conditions="食堂和宿舍条件一般，夏季车间高温。",
                state_of_mind="职工担心工资按时发放，对企业前景信心不足。",
                stability_risks="二车间三个月工资未足额发放，存在集体讨薪风险。",
                work_log="上午召开职工座谈会，下午与企业负责人交换意见，约定两周后回访。",
            ),
        )
        second = services.visit_create(
            actor=officer,
            group=group,
            data=services.VisitInput(
                enterprise=OrgUnit.objects.get(code="DEMO-E3"),
                visited_on=today - dt.timedelta(days=2),
                kind="interview",
                place="城建第三工程公司项目部",
                workers_met=6,
                conditions="工地住宿为活动板房，已配备空调。",
                state_of_mind="关注年底工资结算。",
                work_log="走访项目部，开展个案访谈。",
            ),
        )
        wages = Category.objects.get(code="wages")
        injury = Category.objects.get(code="injury")
        at = timezone.localtime(now()).replace(hour=10, minute=0, second=0, microsecond=0)
        filed = services.interview_create(
            actor=officer,
            visit=first,
            data=services.InterviewInput(
                interviewed_at=at - dt.timedelta(days=7),
                consent=True,
                province="江东省",
                city="临江市",
                county="东城区",
                worker_name="王大力",
                gender="male",
                birth_month="1982-05",
                phone="13912340001",
                hukou="江东省青川市",
                ethnicity="汉族",
                political_status="群众",
                education="初中",
                post="装配工",
                migrant=True,
                notes="二车间自今年三月起工资未足额发放，累计拖欠约一万二千元。",
                category=wages,
                request="要求企业尽快补发拖欠工资。",
                place="职工之家",
                interviewer=officer,
                original_pages=2,
                cleaned_pages=1,
            ),
        )
        services.interview_sign_off(actor=leader, interview=filed)
        services.interview_file_case(actor=desk, interview=filed)
        services.interview_create(
            actor=officer,
            visit=first,
            data=services.InterviewInput(
                interviewed_at=at - dt.timedelta(days=7, hours=-1),
                notes="职工不愿留下个人信息，反映食堂饭菜价格上涨。",
                place="职工之家",
                interviewer=officer,
                original_pages=1,
            ),
        )
        services.interview_create(
            actor=desk,
            visit=second,
            data=services.InterviewInput(
                interviewed_at=at - dt.timedelta(days=2),
                consent=True,
                worker_name="刘小红",
                gender="female",
                birth_month="1995-11",
                post="资料员",
                dispatched=True,
                notes="上月在工地扭伤脚踝，项目部未申报工伤。",
                category=injury,
                request="希望企业协助申报工伤认定。",
                place="项目部会议室",
                interviewer=desk,
                original_pages=1,
                cleaned_pages=1,
            ),
        )
    return 1
