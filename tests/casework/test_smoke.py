from casework import services
from casework.models import Case


def test_register_accept_and_walk_the_ladder(users, make_case):
    case = make_case()
    assert case.status == "enterprise"
    assert case.owner == users["desk"]
    assert case.handling_unit.code == "DEMO-E1-U"
    services.case_escalate(case=case.number, actor=users["officer_enterprise"], reason="企业无力解决")
    services.case_escalate(case=case.number, actor=users["officer_union"], reason="需政府协调")
    services.case_resolve(case=case.number, actor=users["officer_government"], outcome="resolved", result="已支付")
    services.case_reply(case=case.number, actor=users["desk"], method="phone", content="已告知")
    services.case_follow_up(case=case.number, actor=users["desk"], satisfaction="satisfied")
    case = Case.objects.get(pk=case.pk)
    assert case.status == "closed"
    assert [h.last_action for h in case.history.order_by("history_date", "history_id")] == [
        "register",
        "accept",
        "escalate",
        "escalate",
        "resolve",
        "reply",
        "follow_up",
    ]
