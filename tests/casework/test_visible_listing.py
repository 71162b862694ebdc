"""``visible_cases(user, listing=True)`` (the lists' form) shows exactly the cases
``visible_cases(user)`` (one case looked up) does, for every role."""

from casework import selectors, services


def test_listing_form_shows_the_same_cases(users, make_case):
    make_case()  # at the enterprise level, DEMO-E1-U's queue
    make_case(accept=False)  # registered only
    escalated = make_case(worker={"name": "孙丙", "id_number": "", "phone": "13900000009"})
    services.task_claim(case=escalated.number, actor=users["officer_enterprise"])
    services.case_escalate(case=escalated.number, actor=users["officer_enterprise"], reason="企业层面无法解决")
    make_case(enterprise="DEMO-E2", worker={"name": "赵六", "id_number": "", "phone": "13900000008"})
    seen_by_someone = set()
    for name, user in users.items():
        one = set(selectors.visible_cases(user).values_list("pk", flat=True))
        listed = set(selectors.visible_cases(user, listing=True).values_list("pk", flat=True))
        assert listed == one, name
        seen_by_someone |= one
    assert set(selectors.visible_cases(users["officer_union"], listing=True).values_list("number", flat=True)) == {
        escalated.number
    }
    assert len(seen_by_someone) == 4
