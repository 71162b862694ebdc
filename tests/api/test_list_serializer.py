"""The lists' case summaries (built directly, ``case_summary_data``) equal DRF's one-case
serializer field for field, for cases with and without a handling unit, leader, deadline."""

from __future__ import annotations

import json

from django.test import RequestFactory
from rest_framework.renderers import JSONRenderer

from casework import selectors, services
from casework.api import serializers as s
from casework.clock import now
from casework.models import Case


def test_list_summaries_equal_the_one_case_serializer(make_case, users):
    make_case(accept=False, worker={"name": "钱乙"})  # registered: no handling unit, no deadline
    claimed = make_case(worker={"name": "孙丙"})
    services.task_claim(case=claimed.number, actor=users["officer_enterprise"])
    led = make_case(worker={"name": "李丁"})
    services.case_take_charge(case=led.number, actor=users["leader"])
    request = RequestFactory().get("/")
    request.user = users["desk"]
    context = {"request": request, "now": now()}
    cases = list(Case.objects.select_related(*selectors.CASE_RELATED).order_by("pk"))
    assert {c.leader_id is None for c in cases} == {True, False}
    assert {c.handling_unit_id is None for c in cases} == {True, False}

    listed = s.CaseSummary(cases, many=True, context=context).data
    one_by_one = [s.CaseSummary(case, context=context).data for case in cases]
    assert listed == one_by_one
    # The same JSON, key order included.
    assert JSONRenderer().render(listed) == JSONRenderer().render(one_by_one)
    assert json.loads(JSONRenderer().render(listed))[0]["received_at"]
