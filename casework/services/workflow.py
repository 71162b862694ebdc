"""The case's tasks, moved by viewflow's own activations (``casework.flows.CaseFlow``).

The status (django-fsm) is the truth; after a service changed it, ``sync`` completes the
open human task as the actor — ``assign`` (or ``reassign``), ``start``, ``execute`` — and
viewflow's engine creates the ``route`` switch's task, which picks the next human task
from the new status (or ``end``). A case with no open round (registration, a reopen after
closing) gets a new one through the flow's start node. viewflow sends its own signals
(``flow_started``, ``task_started``, ``task_finished``, ``flow_finished``) and every task
row it saves gets a history row (simple_history, ``casework.history``: the actor and the
reason of the change).

Every function here runs inside a service holding the case row lock (the flow's
``lock_impl``, ``CaseRowLock``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from .. import history, rules, selectors
from ..exceptions import NotAllowed
from ..flows import CaseFlow
from ..models import Case
from ..models.case import TERMINAL_STATUSES

# The open task, read once per service call (the holder check, then ``sync``).
_HELD = "_casework_open_task"


def held_task(case: Case) -> Task | None:
    """The case's open human task, bound to the locked case instance (the flow's switch
    and ``Assign`` callables read ``activation.process.case``)."""
    if _HELD not in case.__dict__:
        task = selectors.open_task(case)
        if task is not None:
            task.process.caseprocess.case = case
        case.__dict__[_HELD] = task
    return case.__dict__[_HELD]


def _forget(case: Case) -> None:
    case.__dict__.pop(_HELD, None)


def require_task_holder(case: Case, actor, kind: str = "level") -> None:
    """Level actions belong to whoever claimed the task (or the leader in charge); the
    other kinds of ``rules.HELD_TASK_KINDS`` name who else may act on a claimed task."""
    task = held_task(case)
    if rules.may_act_on_held_task(case, actor, task, kind):
        return
    owner = task.owner
    raise NotAllowed(_("该任务已由 %(name)s 认领，请由其办理。") % {"name": owner.get_full_name() or owner.username})


def _activation(task: Task):
    return task.flow_task.activation_class(task)


def start_round(case: Case, actor, reason: str = "") -> None:
    """A new process for the case: ``start`` → ``route`` → the task for its status."""
    _forget(case)
    with history.acting(actor, reason):
        CaseFlow.start.run(case=case)


def sync(case: Case, actor, reason: str = "") -> None:
    """The flow follows the status: the open task is done by ``actor`` and the flow routes
    on; with no open task (a closed case reopened), a new round starts."""
    task = held_task(case)
    _forget(case)
    if task is None:
        if case.status not in TERMINAL_STATUSES:
            start_round(case, actor, reason)
        return
    with history.acting(actor, reason):
        activation = _activation(task)
        if task.status == STATUS.NEW:
            activation.assign(actor)
        elif task.owner_id != actor.pk:
            activation.reassign(actor)
        activation.start(None)  # viewflow's start takes the request; a service has none
        activation.execute()


def claim(case: Case, actor, reason: str = "") -> Task:
    task = held_task(case)
    _forget(case)
    with history.acting(actor, reason):
        _activation(task).assign(actor)
    return task


def assign(case: Case, actor, assignee, reason: str = "") -> Task:
    """The level task to ``assignee``: viewflow's ``assign`` from the queue, ``reassign`` from
    its holder."""
    task = held_task(case)
    _forget(case)
    with history.acting(actor, reason):
        activation = _activation(task)
        if task.status == STATUS.NEW:
            activation.assign(assignee)
        else:
            activation.reassign(assignee)
    return task


def release(case: Case, actor, reason: str = "") -> None:
    task = held_task(case)
    _forget(case)
    with history.acting(actor, reason):
        _activation(task).unassign()


def follow_owner(case: Case, actor, reason: str = "") -> None:
    """After a handover, the owner's open task (review, reply, follow-up) follows the owner."""
    task = held_task(case)
    _forget(case)
    if task is not None and task.flow_task.name in ("review", "reply", "follow_up") and task.status == STATUS.ASSIGNED:
        with history.acting(actor, reason):
            _activation(task).reassign(case.owner)
