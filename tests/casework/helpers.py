"""Bring a case to any status through the services, as the demo's people would."""

from casework import services
from casework.models import Case

# The intake desk's form, filled in as a desk would (the pages' and the bad-input tests' base).
INTAKE_FORM = {
    "name": "李四",
    "gender": "male",
    "phone": "13800138000",
    "id_number": "",
    "enterprise": "DEMO-E1",
    "category": "wages",
    "channel": "reception_day",
    "summary": "拖欠两个月工资。",
    "request": "要求补发工资。",
    "workers_involved": "3",
    "consent": "on",
    "accept": "on",
}

HANDLER = {"enterprise": "officer_enterprise", "union": "officer_union", "government": "officer_government"}

# The states the transition table walks, and how to reach each one.
STATES = [
    "registered",
    "enterprise",
    "union",
    "government",
    "answered",
    "replied",
    "closed",
    "not_accepted",
    "withdrawn",
    "merged",
]


def bring_to(state: str, users, make_case, satisfaction: str = "dissatisfied") -> Case:
    desk = users["desk"]
    case = make_case(accept=False)
    n = case.number
    if state == "registered":
        return Case.objects.get(pk=case.pk)
    if state == "not_accepted":
        services.case_not_accept(case=n, actor=desk, guidance="请向劳动仲裁院申请仲裁。")
        return Case.objects.get(pk=case.pk)
    services.case_accept(case=n, actor=desk)
    if state == "withdrawn":
        services.case_withdraw(case=n, actor=desk, reason="职工撤回")
        return Case.objects.get(pk=case.pk)
    if state == "merged":
        other = make_case()
        services.case_merge(case=n, actor=desk, into=other.number)
        return Case.objects.get(pk=case.pk)
    levels = {"union": 1, "government": 2}.get(state, 0)
    for level in ["enterprise", "union"][:levels]:
        services.case_escalate(case=n, actor=users[HANDLER[level]], reason="需上一层级协调")
    if state in ("enterprise", "union", "government"):
        return Case.objects.get(pk=case.pk)
    services.case_resolve(case=n, actor=users["officer_enterprise"], outcome="resolved", result="已协调解决")
    if state == "answered":
        return Case.objects.get(pk=case.pk)
    services.case_reply(case=n, actor=desk, method="phone", content="电话告知")
    if state == "replied":
        return Case.objects.get(pk=case.pk)
    services.case_follow_up(case=n, actor=desk, satisfaction=satisfaction)
    return Case.objects.get(pk=case.pk)
