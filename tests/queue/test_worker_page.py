"""职工页: all cases of one worker within the user's jurisdiction, replies and ratings, masked."""

from __future__ import annotations

import pytest
from django.test import Client

from casework import services
from casework.models import Case

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
ID = "11010519491231002X"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def history(users, make_case):
    """Three cases of 王建国 in county A (by ID, by phone, by name at the same enterprise),
    one of someone else, and one of his in county B."""
    first = make_case()
    services.case_resolve(case=first.number, actor=users["officer_enterprise"], outcome="resolved", result="已补发")
    services.case_reply(case=first.number, actor=users["desk"], method="phone", content="电话告知已补发工资")
    services.case_follow_up(case=first.number, actor=users["desk"], satisfaction="dissatisfied", comment="只补了一半")
    by_phone = make_case(worker={"id_number": ""})
    by_name = make_case(worker={"phone": "", "id_number": ""})
    stranger = make_case(worker={"name": "李四", "phone": "13800000001", "id_number": ""})
    elsewhere = make_case(actor=users["admin"], enterprise="DEMO-E5")
    return {"first": first, "by_phone": by_phone, "by_name": by_name, "stranger": stranger, "elsewhere": elsewhere}


def test_the_worker_page_lists_his_cases_with_replies_and_ratings(users, history):
    response = _client(users["desk"]).get(f"/cases/{history['by_phone'].number}/worker/")
    assert response.status_code == 200
    html = response.content.decode()
    for key in ("first", "by_phone", "by_name"):
        assert f"/cases/{history[key].number}/" in html, key
    assert f"/cases/{history['stranger'].number}/" not in html
    assert f"/cases/{history['elsewhere'].number}/" not in html  # another county's, never
    assert "电话告知已补发工资" in html and "不满意" in html and "只补了一半" in html
    # masked, whatever the user may unmask elsewhere
    assert PHONE not in html and ID not in html
    assert "139****5678" in html


def test_the_case_page_links_to_it(users, history):
    html = _client(users["desk"]).get(f"/cases/{history['first'].number}/").content.decode()
    assert f"/cases/{history['first'].number}/worker/" in html


def test_another_county_sees_only_its_own_case_of_him(users, history):
    client = _client(users["officer_elsewhere"])
    assert client.get(f"/cases/{history['first'].number}/worker/").status_code == 404
    html = client.get(f"/cases/{history['elsewhere'].number}/worker/").content.decode()
    assert f"/cases/{history['elsewhere'].number}/" in html
    for key in ("first", "by_phone", "by_name"):
        assert history[key].number not in html


def test_an_unknown_case_is_404(users):
    assert _client(users["desk"]).get("/cases/NOPE-404/worker/").status_code == 404


def _anonymous(case):
    """As the portal registers it (对企业匿名); the desk's form has no such field."""
    Case.objects.filter(pk=case.pk).update(anonymous_to_enterprise=True)
    return case


def test_anonymous_towards_the_enterprise_means_no_page_for_its_side(users, make_case):
    case = _anonymous(make_case())
    assert _client(users["officer_enterprise"]).get(f"/cases/{case.number}/worker/").status_code == 404
    assert (
        f"/cases/{case.number}/worker/"
        not in _client(users["officer_enterprise"]).get(f"/cases/{case.number}/").content.decode()
    )
    assert _client(users["desk"]).get(f"/cases/{case.number}/worker/").status_code == 200


def test_an_anonymous_case_is_left_out_of_the_enterprise_sides_list(users, make_case):
    open_case = make_case()
    hidden = _anonymous(make_case())
    html = _client(users["officer_enterprise"]).get(f"/cases/{open_case.number}/worker/").content.decode()
    assert f"/cases/{open_case.number}/" in html and hidden.number not in html
    assert Case.objects.count() == 2
