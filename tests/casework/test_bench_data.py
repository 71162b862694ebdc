"""The benchmark's generated cases (``casework.management.bench_data``): rows the libraries
write through their bulk APIs, shaped as the services leave a case, that viewflow, the audit
chain and the services accept; resumed chunk by chunk."""

from __future__ import annotations

import datetime as dt

import pytest
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from audit.chain import verify
from casework import services
from casework.flows import CaseFlow
from casework.management import bench_data
from casework.models import Case, CaseProcess
from casework.models.case import OPEN_STATUSES
from casework.models.org import UnitKind
from casework.selectors import open_task
from escalation.models import DeadlineClock
from escalation.system import system_actor


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(bench_data, "CHUNK", 7)


def _numbers() -> list[str]:
    return list(Case.objects.filter(number__startswith="BN-").order_by("number").values_list("number", flat=True))


def test_generated_cases_have_the_rows_the_services_leave(users, small_chunks):
    assert bench_data.generate_cases(40, actor=users["desk"]) == 40

    assert _numbers() == [f"BN-{g:08d}" for g in range(40)]
    generated = list(Case.objects.filter(number__startswith="BN-").select_related("handling_unit", "worker"))
    open_cases = [c for c in generated if c.status in OPEN_STATUSES]
    assert open_cases, "the seed gives open cases among 40"
    assert len(open_cases) < len(generated)
    for case in generated:
        assert case.handling_unit.kind == UnitKind.ENTERPRISE_UNION
        assert case.handling_unit.parent_id == case.enterprise_id == case.worker.enterprise_id
        assert case.stages.count() == 1
        rows = list(case.history.order_by("history_id"))
        assert [(r.history_type, r.last_action, r.history_user_id) for r in rows] == [
            ("+", "register", users["desk"].pk),
            ("~", "close", users["desk"].pk),
        ]
        assert rows[0].history_date == case.received_at
        assert rows[1].history_date == case.received_at + dt.timedelta(days=1)
        assert (rows[0].status, rows[1].status) == ("enterprise", case.status)
        is_open = case.status in OPEN_STATUSES
        process = CaseProcess.objects.get(case=case)
        assert process.flow_class is CaseFlow
        assert process.status == (PROCESS.NEW if is_open else PROCESS.DONE)
        tasks = list(Task.objects.filter(process=process).order_by("id").values_list("flow_task", "status"))
        assert tasks == [(CaseFlow.start, STATUS.DONE), (CaseFlow.handle, STATUS.NEW if is_open else STATUS.DONE)]
        assert (open_task(case) is not None) == is_open
        clocks = DeadlineClock.objects.filter(case=case, stopped_at__isnull=True)
        assert list(clocks.values_list("unit_id", flat=True)) == ([case.handling_unit_id] if is_open else [])
    # Every history row has its audit link, and every case row matches its last history row.
    checked, breaks = verify()
    assert checked == Case.objects.count()
    assert breaks == []


def test_an_open_generated_case_moves_through_the_services(users, small_chunks):
    bench_data.generate_cases(40, actor=users["desk"])
    case = Case.objects.filter(number__startswith="BN-", status="enterprise").order_by("number").first()

    services.case_escalate(case=case.pk, actor=system_actor(), reason="测试：上报。")

    case.refresh_from_db()
    assert case.status == "union"
    assert case.handling_unit.kind == UnitKind.COUNTY_FEDERATION
    task = open_task(case)
    assert (task.flow_task, task.status) == (CaseFlow.handle, STATUS.NEW)
    assert verify(case.number) == (1, [])


def test_a_run_resumes_at_the_missing_cases(users, small_chunks):
    assert bench_data.generate_cases(10, actor=users["desk"]) == 10
    assert bench_data.generate_cases(10, actor=users["desk"]) == 0

    # 10 … 13 fill the second chunk a smaller run left short; the rest are whole chunks.
    assert bench_data.generate_cases(25, actor=users["desk"]) == 15

    assert _numbers() == [f"BN-{g:08d}" for g in range(25)]
    # Two templates (one per run that generated), registered through the service.
    assert Case.objects.exclude(number__startswith="BN-").count() == 2
