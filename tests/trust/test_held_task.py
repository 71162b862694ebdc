"""Issue #21 item 10: a task another officer has claimed (docs/access.md, "A task held by
someone else").

On a claimed 办理 task: the holder may note, pause, resume and ask for an extension; the
leaders over it (unit leader, leader in charge) may too; the 首问负责人 may add notes only;
a unit colleague and a supervisor may do none of it. The pages and the API offer exactly
what the services accept.
"""

from __future__ import annotations

import pytest
from django.test import Client

from casework import selectors, services
from casework.demo import staff_ensure
from casework.exceptions import NotAllowed
from casework.models import Case, OrgUnit
from casework.models.org import Role
from escalation import services as clock_services

from ..conftest import PASSWORD

CLOCK = ("pause", "request_extension")


@pytest.fixture
def colleague(world):
    return staff_ensure(
        username="colleague_e1", password=PASSWORD, unit=OrgUnit.objects.get(code="DEMO-E1-U"), role=Role.OFFICER
    )


@pytest.fixture
def claimed(users, make_case):
    case = make_case()
    services.task_claim(case=case.number, actor=users["officer_enterprise"])
    return Case.objects.get(pk=case.pk)


def _note(case, user):
    return services.case_add_note(case=case.number, actor=user, content="联系企业人事部门。")


def _pause(case, user):
    return clock_services.clock_pause(case=case.number, actor=user, reason="等待职工补充材料。")


def _extend(case, user):
    return clock_services.extension_request(case=case.number, actor=user, days=3, reason="需要现场调查。")


def _fresh(case):
    return Case.objects.get(pk=case.pk)


def test_colleague_may_not_note_pause_or_extend_a_claimed_task(claimed, colleague):
    version = claimed.version
    for act in (_note, _pause, _extend):
        with pytest.raises(NotAllowed, match="认领"):
            act(claimed, colleague)
    assert _fresh(claimed).version == version  # nothing written
    allowed = selectors.allowed_actions(_fresh(claimed), colleague)
    assert "note" not in allowed and not set(CLOCK) & set(allowed)


def test_colleague_may_not_resume_a_claimed_task(claimed, users, colleague):
    _pause(claimed, users["officer_enterprise"])
    with pytest.raises(NotAllowed, match="认领"):
        clock_services.clock_resume(case=claimed.number, actor=colleague)
    assert "resume" not in selectors.allowed_actions(_fresh(claimed), colleague)


def test_supervisor_may_not_note_or_pause(claimed, users):
    for act in (_note, _pause):
        with pytest.raises(NotAllowed):
            act(claimed, users["supervisor"])


def test_holder_may_note_pause_and_extend(claimed, users):
    holder = users["officer_enterprise"]
    allowed = selectors.allowed_actions(_fresh(claimed), holder)
    assert {"note", *CLOCK} <= set(allowed)
    _note(claimed, holder)
    _extend(claimed, holder)
    _pause(claimed, holder)
    clock_services.clock_resume(case=claimed.number, actor=holder)


def test_owner_may_note_but_not_touch_the_clock(claimed, users):
    owner = users["desk"]
    assert _fresh(claimed).owner_id == owner.pk
    allowed = selectors.allowed_actions(_fresh(claimed), owner)
    assert "note" in allowed and not set(CLOCK) & set(allowed)
    _note(claimed, owner)
    for act in (_pause, _extend):
        with pytest.raises(NotAllowed, match="认领"):
            act(claimed, owner)


def test_unit_leader_may_note_and_pause(claimed, users):
    leader = users["leader"]
    allowed = selectors.allowed_actions(_fresh(claimed), leader)
    assert {"note", "pause"} <= set(allowed)
    _note(claimed, leader)
    _pause(claimed, leader)


def test_unclaimed_task_is_open_to_the_unit(users, make_case, colleague):
    case = make_case()
    assert {"note", "pause"} <= set(selectors.allowed_actions(case, colleague))
    _note(case, colleague)
    _pause(case, colleague)


def test_action_page_refuses_the_colleague(claimed, colleague):
    client = Client()
    assert client.login(username=colleague.username, password=PASSWORD)
    response = client.post(f"/cases/{claimed.number}/act/note/", {"version": claimed.version, "content": "越权记录。"})
    assert response.status_code == 422
    assert "认领" in response.content.decode()
    assert _fresh(claimed).version == claimed.version
