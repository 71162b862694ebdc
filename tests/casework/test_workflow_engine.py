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
    """Every viewflow signal the case flow sends: (signal, node name, process id)."""
    events: list[tuple[str, str, int]] = []
    receivers = {}
    for name in SIGNALS:

        def receiver(sender, process, task, _name=name, **kwargs):
            events.append((_name, task.flow_task.name, process.pk))

        receivers[name] = receiver
        getattr(flow_signals, name).connect(receiver, sender=CaseFlow)
    yield events
    for name, receiver in receivers.items():
        getattr(flow_signals, name).disconnect(receiver, sender=CaseFlow)


def _journey(users, make_case) -> Case:
    """The whole ladder: registered (not accepted at the desk) → 受理审查 → enterprise →
    union → government → result → 答复 → 回访 → closed."""
    desk, ent, union, gov = (users[k] for k in ("desk", "officer_enterprise", "officer_union", "officer_government"))
    case = make_case(accept=False)
    n = case.number
    services.case_accept(case=n, actor=desk, reason="受理")
    services.task_claim(case=n, actor=ent)
    services.case_escalate(case=n, actor=ent, reason="企业无力解决")
    services.task_claim(case=n, actor=union)
    services.case_escalate(case=n, actor=union, reason="需政府协调")
    services.task_claim(case=n, actor=gov)
    services.case_resolve(case=n, actor=gov, outcome="resolved", result="已协调支付")
    services.case_reply(case=n, actor=desk, method="phone", content="已电话告知")
    services.case_follow_up(case=n, actor=desk, satisfaction="satisfied", comment="满意")
    return Case.objects.get(pk=case.pk)


def test_a_journey_sends_viewflows_signals_in_order(users, make_case, heard):
    """What viewflow 2.4 sends, node by node (viewflow/workflow/nodes): the start handle
    ``task_started``, ``task_finished`` (its ``complete``), then ``flow_started``; a ``Switch``
    only ``task_finished`` (it has no start); a ``View`` ``task_started`` in ``start`` and
    ``task_finished`` in ``complete``; ``End`` ``task_started``, ``task_finished`` and
    ``flow_finished`` in its ``activate``, then ``task_finished`` once more from the base
    ``Activation.complete`` that ``_activate_next`` calls after it."""
    case = _journey(users, make_case)
    assert case.status == "closed"
    process = CaseProcess.objects.get(case=case)
    # the start node's task_started comes before viewflow saves the new process (``StartActivation.execute``)
    assert [pk for _signal, _node, pk in heard] == [None] + [process.pk] * 25
    assert [(signal, node) for signal, node, _pk in heard] == [
        ("task_started", "start"), ("task_finished", "start"), ("flow_started", "start"),
        ("task_finished", "route"),
        ("task_started", "review"), ("task_finished", "review"),        # 受理审查 (accept)
        ("task_finished", "route"),
        ("task_started", "handle"), ("task_finished", "handle"),        # enterprise (escalate)
        ("task_finished", "route"),
        ("task_started", "handle"), ("task_finished", "handle"),        # union (escalate)
        ("task_finished", "route"),
        ("task_started", "handle"), ("task_finished", "handle"),        # government (resolve)
        ("task_finished", "route"),
        ("task_started", "reply"), ("task_finished", "reply"),          # 答复
        ("task_finished", "route"),
        ("task_started", "follow_up"), ("task_finished", "follow_up"),  # 回访
        ("task_finished", "route"),
        ("task_started", "end"), ("task_finished", "end"), ("flow_finished", "end"), ("task_finished", "end"),
    ]  # fmt: skip
    assert process.status == PROCESS.DONE and process.finished is not None


def test_every_task_change_is_in_the_task_history_with_actor_and_reason(users, make_case):
    """viewflow's task history (simple_history on ``Task``, registered in ``casework.apps``),
    every row of every task of the journey: the task, the change, the status and owner the
    row recorded, and the acting user and reason of the service call that made it. The tasks
    the flow assigns on creation (review, reply, follow-up: ``Assign(owner)``) are created
    ASSIGNED; a level task is created in the unit's queue (NEW) and ASSIGNED by its claim."""
    case = _journey(users, make_case)
    tasks = {t.pk: t.flow_task.name for t in Task.objects.filter(process__caseprocess__case=case)}
    rows = [
        (tasks[r.id], r.history_type, r.status, r.owner_id, r.history_user_id, r.history_change_reason)
        for r in Task.history.filter(id__in=tasks).order_by("id", "history_id")
    ]
    pk = {k: users[k].pk for k in ("desk", "officer_enterprise", "officer_union", "officer_government")}
    desk, ent, union, gov = pk["desk"], pk["officer_enterprise"], pk["officer_union"], pk["officer_government"]
    new, assigned, done = STATUS.NEW, STATUS.ASSIGNED, STATUS.DONE
    assert rows == [
        # task        change status    owner  user   reason
        ("start",     "+", done,     None,  desk,  "登记受理"),
        ("route",     "+", new,      None,  desk,  "登记受理"),
        ("route",     "~", done,     None,  desk,  "登记受理"),
        ("review",    "+", assigned, desk,  desk,  "登记受理"),
        ("review",    "~", done,     desk,  desk,  "受理"),
        ("route",     "+", new,      None,  desk,  "受理"),
        ("route",     "~", done,     None,  desk,  "受理"),
        ("handle",    "+", new,      None,  desk,  "受理"),
        ("handle",    "~", assigned, ent,   ent,   "认领办理任务"),
        ("handle",    "~", done,     ent,   ent,   "企业无力解决"),
        ("route",     "+", new,      None,  ent,   "企业无力解决"),
        ("route",     "~", done,     None,  ent,   "企业无力解决"),
        ("handle",    "+", new,      None,  ent,   "企业无力解决"),
        ("handle",    "~", assigned, union, union, "认领办理任务"),
        ("handle",    "~", done,     union, union, "需政府协调"),
        ("route",     "+", new,      None,  union, "需政府协调"),
        ("route",     "~", done,     None,  union, "需政府协调"),
        ("handle",    "+", new,      None,  union, "需政府协调"),
        ("handle",    "~", assigned, gov,   gov,   "认领办理任务"),
        ("handle",    "~", done,     gov,   gov,   "已协调支付"),
        ("route",     "+", new,      None,  gov,   "已协调支付"),
        ("route",     "~", done,     None,  gov,   "已协调支付"),
        ("reply",     "+", assigned, desk,  gov,   "已协调支付"),
        ("reply",     "~", done,     desk,  desk,  "已电话告知"),
        ("route",     "+", new,      None,  desk,  "已电话告知"),
        ("route",     "~", done,     None,  desk,  "已电话告知"),
        ("follow_up", "+", assigned, desk,  desk,  "已电话告知"),
        ("follow_up", "~", done,     desk,  desk,  "满意 满意"),
        ("route",     "+", new,      None,  desk,  "满意 满意"),
        ("route",     "~", done,     None,  desk,  "满意 满意"),
        ("end",       "+", new,      None,  desk,  "满意 满意"),
        ("end",       "~", done,     None,  desk,  "满意 满意"),
    ]  # fmt: skip


def test_every_case_history_row_carries_user_and_reason_and_the_chain_verifies(users, make_case):
    case = _journey(users, make_case)
    rows = list(case.history.order_by("history_id").values_list("last_action", "history_user", "history_change_reason"))
    desk, ent, union, gov = (users[k].pk for k in ("desk", "officer_enterprise", "officer_union", "officer_government"))
    assert rows == [
        ("register", desk, "登记受理"),
        ("accept", desk, "受理"),
        ("claim", ent, "认领办理任务"),
        ("escalate", ent, "企业无力解决"),
        ("claim", union, "认领办理任务"),
        ("escalate", union, "需政府协调"),
        ("claim", gov, "认领办理任务"),
        ("resolve", gov, "已协调支付"),
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
