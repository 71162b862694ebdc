"""viewflow's engine runs the ladder: a journey through the services sends viewflow's own
signals in order, every task change is in the task history with the acting user and the
reason, every case history row carries its user and reason as simple_history wrote them,
and the audit chain verifies."""

from __future__ import annotations

import pytest
from viewflow.workflow import signals as flow_signals
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from audit import chain
from casework import services
from casework.flows import CaseFlow
from casework.models import Case, CaseProcess

pytestmark = pytest.mark.django_db

SIGNALS = ("flow_started", "task_started", "task_finished", "flow_finished")


@pytest.fixture
def heard():
    events: list[tuple[str, str]] = []
    receivers = {}
    for name in SIGNALS:

        def receiver(sender, process, task, _name=name, **kwargs):
            events.append((_name, task.flow_task.name))

        receivers[name] = receiver
        getattr(flow_signals, name).connect(receiver, sender=CaseFlow)
    yield events
    for name, receiver in receivers.items():
        getattr(flow_signals, name).disconnect(receiver, sender=CaseFlow)


def _journey(users, make_case) -> Case:
    desk, ent, union = users["desk"], users["officer_enterprise"], users["officer_union"]
    case = make_case(accept=False)
    n = case.number
    services.case_accept(case=n, actor=desk, reason="受理")
    services.task_claim(case=n, actor=ent)
    services.case_escalate(case=n, actor=ent, reason="企业无力解决")
    services.task_claim(case=n, actor=union)
    services.case_resolve(case=n, actor=union, outcome="resolved", result="已协调支付")
    services.case_reply(case=n, actor=desk, method="phone", content="已电话告知")
    services.case_follow_up(case=n, actor=desk, satisfaction="satisfied", comment="满意")
    return Case.objects.get(pk=case.pk)


def test_a_journey_sends_viewflows_signals_in_order(users, make_case, heard):
    case = _journey(users, make_case)
    assert case.status == "closed"
    human = [e for e in heard if e[1] not in ("route", "start", "end")]
    assert human == [
        ("task_started", "review"), ("task_finished", "review"),
        ("task_started", "handle"), ("task_finished", "handle"),
        ("task_started", "handle"), ("task_finished", "handle"),
        ("task_started", "reply"), ("task_finished", "reply"),
        ("task_started", "follow_up"), ("task_finished", "follow_up"),
    ]  # fmt: skip
    assert heard[:3] == [("task_started", "start"), ("task_finished", "start"), ("flow_started", "start")]
    assert [e for e in heard if e[0].startswith("flow_")] == [("flow_started", "start"), ("flow_finished", "end")]
    assert heard.index(("flow_finished", "end")) > heard.index(("task_finished", "follow_up"))
    process = CaseProcess.objects.get(case=case)
    assert process.status == PROCESS.DONE and process.finished is not None


def test_every_task_change_is_in_the_task_history_with_actor_and_reason(users, make_case):
    case = _journey(users, make_case)
    handles = list(Task.objects.filter(process__caseprocess__case=case, flow_task_type="HUMAN").order_by("id"))
    assert [t.flow_task.name for t in handles] == ["review", "handle", "handle", "reply", "follow_up"]
    first_handle = handles[1]
    rows = list(Task.history.filter(id=first_handle.pk).order_by("history_id"))
    # created in the unit's queue (by the desk's acceptance), claimed, then done by the officer
    assert [(r.history_type, r.status, r.owner_id) for r in rows] == [
        ("+", STATUS.NEW, None),
        ("~", STATUS.ASSIGNED, users["officer_enterprise"].pk),
        ("~", STATUS.DONE, users["officer_enterprise"].pk),
    ]
    assert [r.history_user for r in rows] == [users["desk"], users["officer_enterprise"], users["officer_enterprise"]]
    assert [r.history_change_reason for r in rows] == ["受理", "认领办理任务", "企业无力解决"]
    for task in handles:  # every task the journey touched has its history, each row with a user
        assert Task.history.filter(id=task.pk, history_user__isnull=True).count() == 0
        assert Task.history.filter(id=task.pk).exists()


def test_every_case_history_row_carries_user_and_reason_and_the_chain_verifies(users, make_case):
    case = _journey(users, make_case)
    rows = list(case.history.order_by("history_id").values_list("last_action", "history_user", "history_change_reason"))
    desk, ent, union = (users[k].pk for k in ("desk", "officer_enterprise", "officer_union"))
    assert rows == [
        ("register", desk, "登记受理"),
        ("accept", desk, "受理"),
        ("claim", ent, "认领办理任务"),
        ("escalate", ent, "企业无力解决"),
        ("claim", union, "认领办理任务"),
        ("resolve", union, "已协调支付"),
        ("reply", desk, "已电话告知"),
        ("follow_up", desk, "满意 满意"),
    ]
    assert chain.verify(case.number) == (1, [])


def test_a_reopen_after_closing_starts_a_new_round(users, make_case, time_machine):
    desk = users["desk"]
    case = make_case()
    n = case.number
    services.case_resolve(case=n, actor=users["officer_enterprise"], outcome="explained", result="政策解释")
    services.case_reply(case=n, actor=desk, method="phone", content="已告知")
    services.case_follow_up(case=n, actor=desk, satisfaction="dissatisfied", comment="不满意")
    services.case_reopen(case=n, actor=desk, reason="职工申请复查")
    case = Case.objects.get(pk=case.pk)
    assert case.status == "union"
    processes = list(CaseProcess.objects.filter(case=case).order_by("pk"))
    assert [p.status for p in processes] == [PROCESS.DONE, PROCESS.NEW]
    open_task = Task.objects.get(process=processes[1], status=STATUS.NEW, flow_task_type="HUMAN")
    assert open_task.flow_task.name == "handle" and open_task.owner_id is None
    assert chain.verify(n) == (1, [])


def test_the_flow_refuses_to_move_tasks_outside_a_service_transaction(users, make_case):
    """The flow's lock is the case row lock: outside a service holding it viewflow's
    activations refuse to run (``CaseRowLock``), even inside some other transaction."""
    from viewflow.workflow.exceptions import FlowLockFailed

    case = make_case()
    task = Task.objects.get(process__caseprocess__case=case, status=STATUS.NEW, flow_task_type="HUMAN")
    with pytest.raises(FlowLockFailed), task.activation():
        pass
