"""The whole transition table: each allowed (state, action) succeeds for the right person
with exactly one history row carrying actor and reason; every other pair is refused and
writes nothing."""

import pytest

from casework import services
from casework.exceptions import InvalidInput, NotAllowed, TransitionRefused
from casework.models import Case

from .helpers import HANDLER, STATES, bring_to

ALLOWED = {
    "registered": {"accept", "not_accept", "withdraw", "merge"},
    "enterprise": {"escalate", "resolve", "withdraw", "merge"},
    "union": {"escalate", "resolve", "withdraw", "merge"},
    "government": {"resolve", "withdraw", "merge"},
    "answered": {"reply"},
    "replied": {"follow_up", "close", "reopen"},
    "closed": {"reopen"},
    "not_accepted": set(),
    "withdrawn": set(),
    "merged": set(),
}
ACTIONS = sorted(set().union(*ALLOWED.values()))

TARGET = {
    ("registered", "accept"): "enterprise",
    ("registered", "not_accept"): "not_accepted",
    ("enterprise", "escalate"): "union",
    ("union", "escalate"): "government",
    ("replied", "follow_up"): "closed",
    ("replied", "close"): "closed",
    ("replied", "reopen"): "union",
    ("closed", "reopen"): "union",
}


def _perform(action, case, users, make_case):
    desk = users["desk"]
    level_handler = users[HANDLER.get(case.status, "officer_enterprise")]
    n = case.number
    if action == "accept":
        return services.case_accept(case=n, actor=desk, reason="受理")
    if action == "not_accept":
        return services.case_not_accept(case=n, actor=desk, guidance="不属于工会受理范围")
    if action == "escalate":
        return services.case_escalate(case=n, actor=level_handler, reason="企业难以解决")
    if action == "resolve":
        return services.case_resolve(case=n, actor=level_handler, outcome="explained", result="已做解释")
    if action == "reply":
        return services.case_reply(case=n, actor=desk, method="sms", content="已短信告知")
    if action == "follow_up":
        return services.case_follow_up(case=n, actor=desk, satisfaction="basically_satisfied", comment="")
    if action == "close":
        return services.case_close(case=n, actor=desk, reason="联系不上职工")
    if action == "reopen":
        return services.case_reopen(case=n, actor=desk, reason="职工不满意，申请复查")
    if action == "withdraw":
        return services.case_withdraw(case=n, actor=desk, reason="职工撤回")
    if action == "merge":
        other = make_case()
        return services.case_merge(case=n, actor=desk, into=other.number)
    raise AssertionError(action)


CELLS = [(state, action) for state in STATES for action in ACTIONS]


@pytest.mark.parametrize(("state", "action"), CELLS, ids=[f"{s}-{a}" for s, a in CELLS])
def test_transition_table(state, action, users, make_case):
    case = bring_to(state, users, make_case)
    rows_before = case.history.count()
    status_before = case.status
    if action in ALLOWED[state]:
        _perform(action, case, users, make_case)
        case = Case.objects.get(pk=case.pk)
        rows = list(case.history.order_by("history_date", "history_id"))
        assert len(rows) == rows_before + 1
        last = rows[-1]
        assert last.history_user is not None
        assert last.history_change_reason
        assert last.prev_status == status_before
        expected = TARGET.get((state, action))
        if expected:
            assert case.status == expected
    else:
        with pytest.raises((TransitionRefused, InvalidInput)):
            _perform(action, case, users, make_case)
        case = Case.objects.get(pk=case.pk)
        assert case.status == status_before
        assert case.history.count() == rows_before


@pytest.mark.parametrize(
    ("state", "action", "actor"),
    [
        ("registered", "accept", "officer_enterprise"),
        ("registered", "not_accept", "supervisor"),
        ("enterprise", "escalate", "officer_union"),
        ("enterprise", "resolve", "desk"),
        ("enterprise", "escalate", "officer_elsewhere"),
        ("union", "resolve", "officer_enterprise"),
        ("government", "resolve", "officer_union"),
        ("replied", "follow_up", "officer_enterprise"),
        ("replied", "reopen", "leader"),
        ("enterprise", "withdraw", "officer_enterprise"),
    ],
)
def test_wrong_person_is_refused(state, action, actor, users, make_case):
    case = bring_to(state, users, make_case)
    rows = case.history.count()
    users = {**users, "desk": users[actor], **{k: users[actor] for k in HANDLER.values()}}
    with pytest.raises(NotAllowed):
        _perform(action, case, users, make_case)
    assert Case.objects.get(pk=case.pk).history.count() == rows


def test_reopen_refused_when_satisfied(users, make_case):
    case = bring_to("closed", users, make_case, satisfaction="satisfied")
    with pytest.raises(TransitionRefused, match="满意"):
        services.case_reopen(case=case.number, actor=users["desk"], reason="再查")


def test_reopen_window_closes_after_30_days(users, make_case, time_machine=None):
    import datetime as dt

    import time_machine as tm

    case = bring_to("closed", users, make_case)
    with tm.travel(case.closed_at + dt.timedelta(days=31)), pytest.raises(TransitionRefused, match="30"):
        services.case_reopen(case=case.number, actor=users["desk"], reason="再查")


def test_reopen_goes_one_level_up_and_twice_at_most(users, make_case):
    case = bring_to("closed", users, make_case)
    services.case_reopen(case=case.number, actor=users["desk"], reason="复查")
    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.handling_unit.code, case.reopen_count) == ("union", "DEMO-K1", 1)
    services.case_resolve(case=case.number, actor=users["officer_union"], outcome="resolved", result="复查结论")
    services.case_reply(case=case.number, actor=users["desk"], method="phone", content="告知")
    services.case_reopen(case=case.number, actor=users["desk"], reason="复核")
    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.reopen_count) == ("government", 2)
    services.case_resolve(case=case.number, actor=users["officer_government"], outcome="explained", result="复核")
    services.case_reply(case=case.number, actor=users["desk"], method="phone", content="告知")
    with pytest.raises(TransitionRefused):
        services.case_reopen(case=case.number, actor=users["desk"], reason="第三次")
