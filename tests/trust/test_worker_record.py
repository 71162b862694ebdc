"""What one county records about a worker never changes what another county sees (#21, High 1).

Registration used to match an existing worker by ID number (or name + phone) and copy the
input onto that shared row: a county-A desk registering with a county-B worker's ID number
renamed that worker, blanked the phone and 户籍 on county B's case and moved their
enterprise. Now the worker told at an intake is a record of that case alone (one to one);
an upgrade splits records older versions shared, with a history row for each moved case.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from audit import chain
from casework import services
from casework.models import Case, Worker

from ..conftest import case_input


@pytest.mark.django_db
def test_registering_in_county_a_with_a_county_b_workers_id_changes_nothing_county_b_sees(users):
    county_b_case = services.case_register(
        actor=users["desk"],
        data=case_input(
            worker={"name": "李秀英", "id_number": "11010519491231002X", "phone": "13912345678", "hukou": "河北保定"}
        ),
    )
    worker_before = Worker.objects.filter(pk=county_b_case.worker_id).values().get()
    case_before = Case.objects.filter(pk=county_b_case.pk).values().get()
    history_before = county_b_case.history.count()

    from django.contrib.auth import get_user_model

    other_desk = get_user_model().objects.get(username="desk_2")  # 西城区 (county A here)
    county_a_case = services.case_register(
        actor=other_desk,
        data=case_input(
            enterprise="DEMO-E5",
            worker={"name": "另一个名字", "id_number": "11010519491231002X", "phone": "13800000000"},
        ),
    )

    assert county_a_case.county_id != county_b_case.county_id
    assert county_a_case.worker_id != county_b_case.worker_id
    assert Worker.objects.filter(pk=county_b_case.worker_id).values().get() == worker_before
    assert Case.objects.filter(pk=county_b_case.pk).values().get() == case_before
    assert county_b_case.history.count() == history_before
    assert Worker.objects.get(pk=county_a_case.worker_id).name == "另一个名字"


@pytest.mark.django_db
def test_a_returning_worker_keeps_what_each_intake_recorded(users):
    first = services.case_register(
        actor=users["desk"], data=case_input(worker={"phone": "13912345678", "hukou": "河北保定"})
    )
    second = services.case_register(actor=users["desk"], data=case_input(worker={"phone": "", "hukou": ""}))
    assert Worker.objects.get(pk=first.worker_id).hukou == "河北保定"
    assert Worker.objects.get(pk=first.worker_id).phone == "13912345678"
    assert first.worker_id != second.worker_id


@pytest.mark.django_db
def test_a_worker_record_cannot_be_shared_by_two_cases(users, make_case):
    from django.db import IntegrityError, transaction

    first, second = make_case(), make_case()
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=second.pk).update(worker_id=first.worker_id)


BEFORE = [("casework", "0011_history_indexes")]


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_splits_a_worker_two_cases_shared():
    """Migration 0012 on a database of the old shape: two cases sharing one worker."""
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        applied = list(MigrationExecutor(connection).loader.applied_migrations)
        old = executor.loader.project_state(applied).apps
        county = old.get_model("casework", "OrgUnit").objects.create(code="K", name="区", kind="county_federation")
        enterprise = old.get_model("casework", "OrgUnit").objects.create(
            code="E", name="企业", kind="enterprise", parent=county
        )
        categories, channels = old.get_model("casework", "Category"), old.get_model("casework", "Channel")
        category, _ = categories.objects.get_or_create(code="wages", defaults={"name": "工资"})
        channel, _ = channels.objects.get_or_create(code="hotline", defaults={"name": "热线"})
        owner = old.get_model("auth", "User").objects.create(username="old_desk")
        worker = old.get_model("casework", "Worker").objects.create(name="王芳", phone="13912345678", hukou="保定")
        history = old.get_model("casework", "HistoricalCase")
        link = old.get_model("audit", "AuditLink")
        received = timezone.now() - dt.timedelta(days=3)
        cases = []
        for i in range(2):
            case = old.get_model("casework", "Case").objects.create(
                number=f"GH-2026-90000{i}", receiving_unit=county, enterprise=enterprise, county=county,
                worker=worker, category=category, channel=channel, summary="拖欠工资", request="支付工资",
                owner=owner, received_at=received, last_action="register",
            )  # fmt: skip
            row = history.objects.create(
                history_date=received, history_type="+", history_change_reason="登记",
                **{f.attname: getattr(case, f.attname) for f in history._meta.concrete_fields
                   if not f.name.startswith("history_")},
            )  # fmt: skip
            chain.append(row.history_id, model=history, link_model=link)
            cases.append(case.pk)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(leaves)

    first, second = Case.objects.get(pk=cases[0]), Case.objects.get(pk=cases[1])
    assert first.worker_id == worker.pk and second.worker_id != worker.pk
    copy = Worker.objects.get(pk=second.worker_id)
    assert (copy.name, copy.phone, copy.hukou) == ("王芳", "13912345678", "保定")
    assert [r.last_action for r in second.history.order_by("history_id")] == ["register", "worker_split"]
    assert second.version == first.version + 1
    assert chain.verify() == (2, [])
