"""The demo world. Fixed points that docs and tests rely on:

enterprise ``DEMO-E1`` in county A; users (password ``settings.DEMO_PASSWORD``):
``desk`` (intake, county A federation), ``officer_enterprise`` (DEMO-E1's union),
``officer_union`` (county A federation), ``officer_government`` (a county A department),
``leader`` and ``supervisor`` (county A), ``officer_elsewhere`` (an enterprise union in
county B), ``admin``.
"""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from . import clock, services
from .models import Case, Category, Channel, OrgUnit
from .models.org import Role, UnitKind
from .services.org import staff_ensure, unit_ensure

COUNTIES = [
    # code, name, city code, enterprises
    (
        "DEMO-K1",
        "东城区总工会",
        "DEMO-C1",
        ["东方机械制造有限公司", "红星纺织厂", "城建第三工程公司", "安达物流有限公司"],
    ),
    ("DEMO-K2", "西城区总工会", "DEMO-C1", ["西山食品有限公司", "华夏电子科技公司", "平安保安服务公司"]),
    ("DEMO-K3", "南湖县总工会", "DEMO-C2", ["南湖水泥厂", "湖光酒店管理公司", "绿源农业合作社"]),
]
CITIES = [("DEMO-C1", "临江市总工会"), ("DEMO-C2", "青川市总工会")]
DEPARTMENTS = [("G1", "人力资源和社会保障局劳动保障监察大队"), ("G2", "住房和城乡建设局")]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "秀英",
    "建国",
    "海燕",
]
PROBLEMS = {
    "wages": ("企业拖欠三个月工资共计{n}元。", "要求企业尽快足额支付拖欠工资。"),
    "social_insurance": ("企业未按规定为职工缴纳社会保险。", "要求补缴社会保险费。"),
    "contract": ("入职半年企业仍未签订书面劳动合同。", "要求签订劳动合同并支付二倍工资差额。"),
    "safety": ("车间粉尘超标，防护用品长期不发放。", "要求整改作业环境并发放防护用品。"),
    "injury": ("工作中受伤，企业拒绝申报工伤。", "要求企业协助申报工伤认定。"),
    "hardship": ("家庭成员重病，生活困难。", "申请困难职工帮扶。"),
}


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def build_world(password: str) -> dict:
    from .reference import ensure_reference_data, ensure_reply_templates

    ensure_reference_data()
    ensure_reply_templates()
    province = unit_ensure(code="DEMO-P", name="江东省总工会", kind=UnitKind.PROVINCE_FEDERATION)
    cities = {
        code: unit_ensure(code=code, name=name, kind=UnitKind.CITY_FEDERATION, parent=province) for code, name in CITIES
    }
    world = {"province": province, "counties": {}, "enterprises": [], "departments": {}}
    e = 0
    for k_code, k_name, city, enterprises in COUNTIES:
        county = unit_ensure(code=k_code, name=k_name, kind=UnitKind.COUNTY_FEDERATION, parent=cities[city])
        world["counties"][k_code] = county
        world["departments"][k_code] = [
            unit_ensure(code=f"{k_code}-{g}", name=f"{k_name[:3]}{g_name}", kind=UnitKind.GOVERNMENT, parent=county)
            for g, g_name in DEPARTMENTS
        ]
        for name in enterprises:
            e += 1
            ent = unit_ensure(code=f"DEMO-E{e}", name=name, kind=UnitKind.ENTERPRISE, parent=county)
            unit_ensure(code=f"DEMO-E{e}-U", name=f"{name}工会", kind=UnitKind.ENTERPRISE_UNION, parent=ent)
            world["enterprises"].append(ent)

    def staff(username, unit, role, full_name):
        return staff_ensure(
            username=username, password=password, unit=unit, role=role, full_name=full_name, phone="13800138000"
        )

    k1 = world["counties"]["DEMO-K1"]
    fixed = {
        "desk": staff("desk", k1, Role.INTAKE, "接待员小王"),
        "officer_enterprise": staff(
            "officer_enterprise", OrgUnit.objects.get(code="DEMO-E1-U"), Role.OFFICER, "企业工会李主席"
        ),
        "officer_union": staff("officer_union", k1, Role.OFFICER, "区总工会张干事"),
        "officer_government": staff(
            "officer_government", world["departments"]["DEMO-K1"][0], Role.OFFICER, "劳动监察刘科长"
        ),
        "leader": staff("leader", k1, Role.LEADER, "区总工会陈主席"),
        "supervisor": staff("supervisor", k1, Role.SUPERVISOR, "督导组赵组长"),
        "officer_elsewhere": staff(
            "officer_elsewhere", OrgUnit.objects.get(code="DEMO-E5-U"), Role.OFFICER, "西城企业工会周主席"
        ),
    }
    admin = staff("admin", province, Role.ADMIN, "系统管理员")
    if not admin.is_superuser:
        admin.is_superuser = admin.is_staff = True
        admin.save()
    fixed["admin"] = admin
    # Everyone else the demo cases need: a desk, union and department officers per county,
    # and an officer in every enterprise union.
    for k_code, county in world["counties"].items():
        suffix = k_code[-1].lower()
        if k_code != "DEMO-K1":
            staff(f"desk_{suffix}", county, Role.INTAKE, f"接待员{suffix}")
            staff(f"officer_union_{suffix}", county, Role.OFFICER, f"总工会干事{suffix}")
            staff(f"leader_{suffix}", county, Role.LEADER, f"包案领导{suffix}")
        for dept in world["departments"][k_code]:
            if dept.code != "DEMO-K1-G1":
                staff(f"officer_{dept.code.lower()}", dept, Role.OFFICER, f"{dept.name}干部")
    for ent in world["enterprises"]:
        if ent.code not in ("DEMO-E1", "DEMO-E5"):
            staff(f"officer_{ent.code.lower()}", ent.enterprise_union(), Role.OFFICER, f"{ent.name}工会干部")
    world["fixed"] = fixed
    return world


def _actors(case: Case) -> dict:
    """Who acts for ``case`` at each level in the demo (an officer of the handling unit)."""
    user_model = get_user_model()
    return {"handler": user_model.objects.filter(staff__unit=case.handling_unit, staff__role=Role.OFFICER).first()}


# Where each demo case stops, spread over every status of the machine.
SCENARIOS = [
    "registered",
    "enterprise",
    "enterprise_claimed",
    "union",
    "government",
    "answered",
    "replied",
    "closed",
    "closed_union",
    "closed_government",
    "not_accepted",
    "withdrawn",
    "merged",
    "reopened",
    # …and, as in a union's year, most cases done: closed at each level.
    "closed",
    "closed_union",
    "closed",
    "closed_government",
    "closed",
    "closed",
]


# Where each case starts: those that end (closed, not accepted, withdrawn, reopened) anywhere
# in the last two years, so the monthly charts fill; those still open mostly in the last weeks,
# a few months back (past their deadline: the red list).
HISTORY_DAYS = 730
ENDED = {"closed", "closed_union", "closed_government", "not_accepted", "withdrawn", "reopened"}


def received_days_ago(scenario: str, rng: random.Random) -> float:
    if scenario in ENDED:
        return rng.uniform(25, HISTORY_DAYS)
    if scenario != "merged" and rng.random() < 0.4:
        return rng.uniform(40, 180)  # long open: overdue
    return rng.uniform(0.2, 40)


class Timeline:
    """The moments a demo case's steps happen: each ``step`` moves on by some days (office
    hours), never past the real time, and runs the service under ``clock.travel``."""

    def __init__(self, start: dt.datetime, rng: random.Random) -> None:
        self.at, self.rng = start, rng

    def step(self, days_low: float, days_high: float):
        later = self.at + dt.timedelta(days=self.rng.uniform(days_low, days_high))
        later = timezone.localtime(later).replace(hour=self.rng.randrange(9, 17), minute=self.rng.randrange(60))
        self.at = max(self.at, min(later, timezone.now() - dt.timedelta(minutes=5)))
        return clock.travel(self.at)


def _walk(case: Case, scenario: str, rng: random.Random, desk, when: Timeline) -> None:
    def handler():
        return _actors(Case.objects.get(pk=case.pk))["handler"]

    number = case.number
    if scenario == "registered":
        return
    if scenario == "not_accepted":
        with when.step(0, 1):
            services.case_not_accept(
                case=number, actor=desk, guidance="属于劳动仲裁受理范围，请向区劳动人事争议仲裁院申请仲裁。"
            )
        return
    with when.step(0, 1):
        services.case_accept(case=number, actor=desk)
    if scenario == "enterprise":
        return
    if scenario == "enterprise_claimed":
        with when.step(0.5, 2):
            services.task_claim(case=number, actor=handler())
            note = "已与企业人力资源部门沟通，企业承诺一周内答复。"
            services.case_add_note(case=number, actor=handler(), content=note)
        return
    if scenario == "withdrawn":
        with when.step(1, 6):
            services.case_withdraw(case=number, actor=desk, reason="职工与企业已自行协商一致，申请撤回。")
        return
    if scenario == "merged":
        target = Case.objects.filter(enterprise=case.enterprise, status="enterprise").exclude(pk=case.pk).first()
        if target is not None:
            with when.step(0, 1):
                services.case_merge(case=number, actor=desk, into=target.number, reason="同一事项重复反映。")
        return
    levels = {"union": 1, "government": 2, "closed_union": 1, "closed_government": 2}.get(scenario, 0)
    if scenario == "reopened":
        levels = 0
    for _ in range(levels):
        with when.step(3, 12):
            services.case_escalate(case=number, actor=handler(), reason="企业层面难以解决，提请上一层级协调。")
    if scenario in ("union", "government"):
        with when.step(0.5, 2):  # someone at the new level has taken it on (their inbox)
            services.task_claim(case=number, actor=handler())
        return
    outcome = rng.choice(["resolved", "resolved", "partly_resolved", "explained"])
    with when.step(2, 14):
        services.case_resolve(case=number, actor=handler(), outcome=outcome, result="经协调，企业已按规定处理。")
    if scenario == "answered":
        return
    with when.step(0.5, 3):
        services.case_reply(case=number, actor=desk, method="phone", content="已电话告知职工办理结果。")
    if scenario == "replied":
        return
    satisfaction = "dissatisfied" if scenario == "reopened" else rng.choice(["satisfied", "basically_satisfied"])
    with when.step(3, 10):
        services.case_follow_up(case=number, actor=desk, satisfaction=satisfaction, comment="")
    if scenario == "reopened":
        with when.step(1, 5):
            services.case_reopen(case=number, actor=desk, reason="职工对处理结果不满意，申请复查。")


def seed_demo(cases: int = 200) -> int:
    """Build the world and ``cases`` cases over the last two years, each registered and worked
    through the services on its own dates (``Timeline``); does nothing when the demo is there."""
    if Case.objects.filter(enterprise__code__startswith="DEMO-").exists():
        return 0
    rng = random.Random(12351)
    with transaction.atomic():
        world = build_world(settings.DEMO_PASSWORD)
    user_model = get_user_model()
    desks = {
        "DEMO-K1": world["fixed"]["desk"],
        "DEMO-K2": user_model.objects.get(username="desk_2"),
        "DEMO-K3": user_model.objects.get(username="desk_3"),
    }
    categories = list(Category.objects.filter(code__in=PROBLEMS))
    channels = list(Channel.objects.all())
    real_now = timezone.now()
    plan = []
    for i in range(cases):
        scenario = SCENARIOS[i % len(SCENARIOS)]
        plan.append((real_now - dt.timedelta(days=received_days_ago(scenario, rng)), i, scenario))
    # Registered in date order, so case numbers run with the dates as they would have.
    for received, i, scenario in sorted(plan):
        # Shifted each round of the scenarios, so every county gets every scenario.
        enterprise = world["enterprises"][(i + i // len(SCENARIOS)) % len(world["enterprises"])]
        desk = desks[enterprise.county.code]
        category = categories[i % len(categories)]
        summary, request = PROBLEMS[category.code]
        data = services.CaseInput(
            worker={
                "name": _name(rng),
                "gender": rng.choice(["male", "female"]),
                "phone": f"139{rng.randrange(10**8):08d}",
                "migrant": rng.random() < 0.3,
            },
            enterprise=enterprise.code,
            category=category.code,
            channel=channels[i % len(channels)].code,
            summary=summary.format(n=rng.randrange(5, 60) * 1000),
            request=request,
            consent=True,
            workers_involved=rng.choice([1, 1, 1, 3, 12]),
            place="区职工服务中心",
        )
        when = Timeline(received, rng)
        with when.step(0, 0):
            case = services.case_register(actor=desk, data=data, accept=False)
        _walk(case, scenario, rng, desk, when)
    return cases
