"""The ladder as a viewflow process: one round per case, its tasks follow the case status.

The case status (django-fsm) is the truth; this flow only decides which human task
exists next. Every task node returns to ``route``, which reads the status:

    registered            -> review     (the owner accepts or declines; 受理审查)
    enterprise/union/gov. -> handle     (the handling unit's queue; an officer claims it)
    answered, not replied -> reply      (the owner tells the worker; 答复)
    answered, replied     -> follow_up  (the owner records satisfaction; 回访)
    anything else         -> end

Node names are stored in task rows: renaming one orphans running tasks.

viewflow's activations create, assign, execute and route the tasks
(``casework.services.workflow``); its lock is the case row lock the services hold
(``CaseRowLock``), so a case has one lock discipline.
"""

from contextlib import contextmanager

from django.db import connection
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.exceptions import FlowLockFailed

from . import locking
from .models import CaseProcess
from .models.case import LEVEL_STATUSES, Status


def task_page(request, **kwargs):
    """Task pages are ours (``casework.views``); viewflow's own URL just forwards."""
    return redirect("casework:inbox")


def _status(activation) -> str:
    return activation.process.case.status


def _needs_reply(activation) -> bool:
    case = activation.process.case
    return case.status == Status.ANSWERED and case.replied_at is None


def _needs_follow_up(activation) -> bool:
    case = activation.process.case
    return case.status == Status.ANSWERED and case.replied_at is not None


def _owner(activation):
    return activation.process.case.owner


class CaseRowLock:
    """viewflow's ``lock_impl`` for the case flow: the case row lock.

    Every change to a case's tasks runs inside a casework service, which holds the case row
    (``services.core.locked_case``: ``SELECT … FOR UPDATE``; SQLite: ``BEGIN IMMEDIATE``) or
    has just inserted it (registration). A second lock on the process row would only add a
    lock order to get wrong. viewflow's own task pages are not mounted (``task_page``), so
    nothing else changes these tasks; called outside a transaction this refuses."""

    @contextmanager
    def __call__(self, flow_class, process_pk):
        if not (connection.in_atomic_block and locking.held()):
            raise FlowLockFailed("case tasks change only inside a casework service (locked_case)")
        yield


class CaseFlow(flow.Flow):
    process_class = CaseProcess
    lock_impl = CaseRowLock()
    process_title = _("职工诉求办理")

    start = flow.StartHandle(this.start_round).Next(this.route)

    route = (
        flow.Switch()
        .Case(this.review, lambda act: _status(act) == Status.REGISTERED)
        .Case(this.handle, lambda act: _status(act) in LEVEL_STATUSES)
        .Case(this.reply, _needs_reply)
        .Case(this.follow_up, _needs_follow_up)
        .Default(this.end)
    )

    review = flow.View(task_page).Annotation(title=_("受理审查")).Assign(_owner).Next(this.route)
    handle = flow.View(task_page).Annotation(title=_("层级办理")).Permission("casework.handle_case").Next(this.route)
    reply = flow.View(task_page).Annotation(title=_("答复职工")).Assign(_owner).Next(this.route)
    follow_up = flow.View(task_page).Annotation(title=_("回访")).Assign(_owner).Next(this.route)

    end = flow.End()

    def start_round(self, activation, case):
        activation.process.case = case
        return activation.process
