"""The services write the ladder's task rows directly (``services._workflow``): the same rows
viewflow's own activations write for the same journey, so task lists, the inbox and the
flow's history read them as before."""

import pytest
from viewflow.workflow.models import Process, Task

from casework import services
from casework.flows import CaseFlow
from casework.models import CaseProcess
from casework.services import _core, _workflow

pytestmark = pytest.mark.django_db


# --- the reference: what viewflow's activations write (the services' former path) ---------


def _viewflow_complete(task_id: int, case, actor) -> None:
    task = Task.objects.get(pk=task_id)
    with task.flow_task.flow_class.lock(task.process_id):
        task.refresh_from_db()
        process = CaseProcess.objects.get(pk=task.process_id)
        process.case = case
        task.process = process
        activation = task.flow_task.activation_class(task)
        if activation.task.status == "NEW":
            activation.assign(actor)
        elif activation.task.owner_id != actor.pk:
            activation.reassign(actor)
        if activation.task.status == "ASSIGNED":
            activation.start(None)
        activation.execute()


def _viewflow_start_round(case, actor, *, reviewed=False):
    if not reviewed:
        CaseFlow.start.run(case=case)
        return
    # Registration with acceptance started the round while the case was still registered
    # (a review task for the owner), then acceptance completed it.
    accepted = case.status
    case.__dict__["status"] = "registered"
    CaseFlow.start.run(case=case)
    case.__dict__["status"] = accepted
    _viewflow_complete(_workflow.read_active_task(case).id, case, actor)


def _viewflow_advance(case, actor, held):
    _viewflow_complete(held.id, case, actor)


def _journey(users, make_case):
    """Register (accepted at once), escalate twice, resolve, reply, follow up dissatisfied,
    reopen (a new round), then a second case registered without acceptance and declined."""
    desk, union, gov = users["desk"], users["officer_union"], users["officer_government"]
    case = make_case()
    n = case.number
    services.task_claim(case=n, actor=users["officer_enterprise"])
    services.case_escalate(case=n, actor=users["officer_enterprise"], reason="需工会层面协调")
    services.case_escalate(case=n, actor=union, reason="需政府部门协调")
    services.case_resolve(case=n, actor=gov, outcome="resolved", result="已协调解决")
    services.case_reply(case=n, actor=desk, method="phone", content="电话告知")
    services.case_follow_up(case=n, actor=desk, satisfaction="dissatisfied")
    services.case_reopen(case=n, actor=desk, reason="职工不满意，申请复查")
    other = make_case(accept=False)
    services.case_not_accept(case=other.number, actor=desk, guidance="请向劳动仲裁院申请仲裁。")
    return [case, other]


def _rows(case) -> list:
    """Every process and task row of the case, without ids and timestamps."""
    out = []
    for process in CaseProcess.objects.filter(case=case).order_by("pk"):
        tasks = list(Task.objects.filter(process_id=process.pk).order_by("pk"))
        position = {t.pk: i for i, t in enumerate(tasks)}
        out.append(
            (
                process.status,
                process.finished is None,
                [
                    (
                        t.flow_task.name,
                        t.flow_task_type,
                        t.status,
                        t.owner_id,
                        t.owner_permission,
                        t.token.token,
                        t.data,
                        t.started is None,
                        t.finished is None,
                        sorted(position[p.pk] for p in t.previous.all()),
                    )
                    for t in tasks
                ],
            )
        )
    return out


def _last_history(case) -> list:
    """Per task row (in order): its latest history row's node, status and owner."""
    tasks = list(Task.objects.filter(process__caseprocess__case=case).order_by("pk").values_list("pk", flat=True))
    last = {}
    for r in Task.history.model.objects.filter(id__in=tasks).order_by("history_id"):
        last[r.id] = (r.flow_task.name, r.status, r.owner_id)
    return [last.get(pk) for pk in tasks]


def test_direct_task_rows_match_viewflow_activations(users, make_case, monkeypatch):
    direct = _journey(users, make_case)
    with monkeypatch.context() as m:
        m.setattr(_workflow, "start_round", _viewflow_start_round)
        m.setattr(_workflow, "advance", _viewflow_advance)
        reference = _journey(users, make_case)
    for ours, theirs in zip(direct, reference, strict=True):
        assert _rows(ours) == _rows(theirs)
        # Every task row has history, ending in the state the row holds (viewflow also
        # records its intermediate states: assigned, started, a switch before it routes).
        assert _last_history(ours) == _last_history(theirs)
        assert None not in _last_history(ours)


def test_round_rows(users, make_case):
    case = make_case()
    (process,) = CaseProcess.objects.filter(case=case)
    names = [(t.flow_task.name, t.status) for t in Task.objects.filter(process=process).order_by("pk")]
    assert names == [("start", "DONE"), ("route", "DONE"), ("review", "DONE"), ("route", "DONE"), ("handle", "NEW")]
    assert _core.held_task(case).name == "handle"
    assert Process.objects.get(pk=process.pk).status == "NEW"
