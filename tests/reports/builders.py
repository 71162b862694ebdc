"""Cases of every kind, built through the casework services (as the people would)."""

from __future__ import annotations

from casework import services
from casework.models import Case

H = {"enterprise": "officer_enterprise", "union": "officer_union", "government": "officer_government"}


def fresh(case) -> Case:
    return Case.objects.get(pk=case.pk)


def resolved(users, register, *, outcome="resolved", reply=True, satisfaction=None, close=False, **kw) -> Case:
    case = register(**kw)
    services.case_resolve(case=case.number, actor=users["officer_enterprise"], outcome=outcome, result="已协调")
    if reply:
        services.case_reply(case=case.number, actor=users["desk"], method="phone", content="电话告知")
    if satisfaction:
        services.case_follow_up(case=case.number, actor=users["desk"], satisfaction=satisfaction)
    elif close:
        services.case_close(case=case.number, actor=users["desk"])
    return fresh(case)


def escalated(users, register, to: str) -> Case:
    case = register()
    services.case_escalate(case=case.number, actor=users["officer_enterprise"], reason="需工会协调")
    if to == "government":
        services.case_escalate(case=case.number, actor=users["officer_union"], reason="需政府部门处理")
    return fresh(case)
