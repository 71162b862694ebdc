"""The audit chain's next link is written from the tip read with the case lock (or kept from
the previous link of the same service call), in one guarded insert: a tip that went stale
(another writer appended, or a savepoint rolled a link back) never forks the chain."""

from __future__ import annotations

import pytest
from django.db import transaction

from audit import chain
from audit.models import AuditLink
from casework import services
from casework.services import _core

pytestmark = pytest.mark.django_db


def _valid(case) -> None:
    checked, breaks = chain.verify(case.number)
    assert checked == 1 and breaks == []


def test_links_follow_each_other_within_one_service_call(make_case, users):
    case = make_case()  # register + accept: two links in one transaction
    services.case_escalate(case=case.number, actor=users["officer_enterprise"], reason="需工会层面协调")
    seqs = list(AuditLink.objects.filter(case_id=case.pk).order_by("seq").values_list("seq", flat=True))
    assert seqs == [1, 2, 3]
    _valid(case)


def test_a_tip_made_stale_by_another_writer_is_refused_and_reread(make_case, users):
    case = make_case()
    with _core.locked_case(case.pk) as locked:
        assert chain.LOCKED_TIP in locked.__dict__
        # Another instance of the same case appends first (a nested service call).
        services.case_add_note(case=case.number, actor=users["desk"], content="职工补充了工资条。")
        _core.record(locked, actor=users["desk"], action="note", reason="第二条记录")
    _valid(case)
    assert AuditLink.objects.filter(case_id=case.pk).count() == 4


def test_a_tip_rolled_back_with_its_savepoint_is_refused_and_reread(make_case, users):
    case = make_case()
    with _core.locked_case(case.pk) as locked:
        try:
            with transaction.atomic():
                _core.record(locked, actor=users["desk"], action="note", reason="撤销的记录")
                raise RuntimeError("roll the savepoint back")
        except RuntimeError:
            pass
        locked.version -= 1
        _core.record(locked, actor=users["desk"], action="note", reason="保留的记录")
    _valid(case)
    assert list(AuditLink.objects.filter(case_id=case.pk).order_by("seq").values_list("seq", flat=True)) == [1, 2, 3]
