"""Who sees and who acts: each role × a case of their own unit / jurisdiction × another county."""

import pytest
from django.test import Client

from casework import selectors, services
from casework.demo import staff_ensure
from casework.exceptions import NotAllowed
from casework.models import OrgUnit
from casework.models.org import Role

from ..conftest import PASSWORD


def _client(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def county_b_case(users):
    """A case at DEMO-E5 (county B), registered by county B's desk."""
    desk_b = staff_ensure(
        username="desk_b_test", password=PASSWORD, unit=OrgUnit.objects.get(code="DEMO-K2"), role=Role.INTAKE
    )
    from ..conftest import case_input

    return services.case_register(actor=desk_b, data=case_input(enterprise="DEMO-E5"))


@pytest.fixture
def county_a_case(make_case):
    return make_case()


# role -> (sees county A's enterprise-level case, sees county B's case)
VISIBILITY = {
    "desk": (True, False),
    "officer_enterprise": (True, False),
    "officer_union": (False, False),  # not yet at the union level
    "officer_government": (False, False),
    "leader": (True, False),
    "supervisor": (True, False),
    "officer_elsewhere": (False, True),
    "admin": (True, True),
}


@pytest.mark.parametrize("role", sorted(VISIBILITY))
def test_view_matrix(role, users, county_a_case, county_b_case):
    sees_a, sees_b = VISIBILITY[role]
    client = _client(users[role])
    for case, expected in ((county_a_case, sees_a), (county_b_case, sees_b)):
        response = client.get(f"/cases/{case.number}/")
        assert response.status_code == (200 if expected else 404), (role, case.number)
        assert selectors.visible_cases(users[role]).filter(pk=case.pk).exists() is expected
        listed = client.get("/cases/all/", {"q": case.number}).content.decode()
        assert (f"/cases/{case.number}/" in listed) is expected


def test_invisible_case_is_404_on_every_case_page(users, county_a_case):
    client = _client(users["officer_elsewhere"])
    for suffix in ("", "receipt/", "act/escalate/", "act/withdraw/"):
        assert client.get(f"/cases/{county_a_case.number}/{suffix}").status_code == 404
        assert client.post(f"/cases/{county_a_case.number}/{suffix}", {"version": 1}).status_code == 404


def test_union_officer_sees_the_case_once_it_reaches_the_union(users, county_a_case):
    services.case_escalate(case=county_a_case.number, actor=users["officer_enterprise"], reason="难以解决")
    assert selectors.visible_cases(users["officer_union"]).filter(pk=county_a_case.pk).exists()
    # ... and the enterprise officer keeps seeing what their unit handled.
    assert selectors.visible_cases(users["officer_enterprise"]).filter(pk=county_a_case.pk).exists()


# role -> actions allowed on a county A case at the enterprise level
ACT = {
    "desk": {"withdraw", "merge", "note", "handover", "flag_systemic"},
    "officer_enterprise": {"claim", "escalate", "resolve", "note", "flag_systemic"},
    "officer_union": set(),
    "officer_government": set(),
    "leader": {"merge", "note", "handover", "take_charge", "flag_systemic"},
    "supervisor": {"handover", "flag_systemic"},
    "officer_elsewhere": set(),
}


@pytest.mark.parametrize("role", sorted(ACT))
def test_act_matrix(role, users, county_a_case):
    allowed = set(selectors.allowed_actions(county_a_case, users[role]))
    core = {"withdraw", "merge", "note", "handover", "flag_systemic", "claim", "escalate", "resolve", "take_charge"}
    assert allowed & core == ACT[role]


@pytest.mark.parametrize("role", ["officer_union", "officer_government", "officer_elsewhere", "supervisor"])
def test_escalate_refused_for_others(role, users, county_a_case):
    with pytest.raises(NotAllowed):
        services.case_escalate(case=county_a_case.number, actor=users[role], reason="越权")


def test_claimed_task_belongs_to_the_claimer(users, county_a_case, world):
    colleague = staff_ensure(
        username="colleague", password=PASSWORD, unit=OrgUnit.objects.get(code="DEMO-E1-U"), role=Role.OFFICER
    )
    services.task_claim(case=county_a_case.number, actor=users["officer_enterprise"])
    with pytest.raises(NotAllowed, match="认领"):
        services.case_escalate(case=county_a_case.number, actor=colleague, reason="抢办")
    # the leader in charge may still act
    services.case_take_charge(case=county_a_case.number, actor=users["leader"])
    services.case_resolve(case=county_a_case.number, actor=users["leader"], outcome="resolved", result="领导协调解决")


def test_personal_data_masked_except_for_owner_and_leader(users, county_a_case):
    id_number = county_a_case.worker.id_number
    # masked by default for everyone; owner and leader may unmask (?unmask=1, logged)
    assert id_number not in _client(users["desk"]).get(f"/cases/{county_a_case.number}/").content.decode()
    assert id_number in _client(users["desk"]).get(f"/cases/{county_a_case.number}/?unmask=1").content.decode()
    assert id_number in _client(users["leader"]).get(f"/cases/{county_a_case.number}/?unmask=1").content.decode()
    page = _client(users["officer_enterprise"]).get(f"/cases/{county_a_case.number}/?unmask=1").content.decode()
    assert id_number not in page
    assert county_a_case.worker.masked_id_number in page
    assert county_a_case.worker.phone not in page


def test_anonymous_is_sent_to_login(county_a_case):
    response = Client().get(f"/cases/{county_a_case.number}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
