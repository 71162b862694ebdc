"""Personal views (我的包案, 我关注的, 即将超期, 包案台账), 关注, and saved filters."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from casework import services
from casework.models import Case, CaseWatch, SavedFilter
from casework.services import queue as queue_services
from casework.services.queue import clean_query

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _listed(client, query: str) -> str:
    response = client.get(f"/cases/all/?{query}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def other_county_case(users, make_case):
    return make_case(actor=users["admin"], enterprise="DEMO-E5", worker={"phone": "13700001111", "id_number": ""})


def test_watch_and_unwatch_from_the_case_page(users, make_case):
    case, other = make_case(), make_case()
    client = _client(users["officer_enterprise"])
    assert 'data-watch="on"' in client.get(f"/cases/{case.number}/").content.decode()
    assert client.post(f"/cases/{case.number}/watch/").status_code == 302
    assert 'data-watch="off"' in client.get(f"/cases/{case.number}/").content.decode()
    html = _listed(client, "view=watched")
    assert f"/cases/{case.number}/" in html and f"/cases/{other.number}/" not in html
    client.post(f"/cases/{case.number}/watch/", {"unwatch": "1"})
    assert not CaseWatch.objects.exists()
    assert f"/cases/{case.number}/" not in _listed(client, "view=watched")


def test_another_countys_case_cannot_be_watched(users, other_county_case):
    client = _client(users["officer_enterprise"])
    assert client.post(f"/cases/{other_county_case.number}/watch/").status_code == 404
    assert client.get(f"/cases/{other_county_case.number}/watch/").status_code in (404, 405)
    assert not CaseWatch.objects.exists()


def test_a_watched_case_out_of_reach_drops_out_of_the_list(users, make_case, other_county_case):
    queue_services.case_watch(case=other_county_case, user=users["officer_enterprise"])
    assert other_county_case.number not in _listed(_client(users["officer_enterprise"]), "view=watched")


def test_my_cases_in_charge_and_the_leaders_list(users, make_case):
    led, other = make_case(), make_case()
    services.case_take_charge(case=led.number, actor=users["leader"])
    leader = _client(users["leader"])
    html = _listed(leader, "view=mine")
    assert f"/cases/{led.number}/" in html and f"/cases/{other.number}/" not in html and "包案领导" in html
    html = _listed(leader, "view=led")
    assert f"/cases/{led.number}/" in html and f"/cases/{other.number}/" not in html
    # a supervisor of the same county sees the 包案 list; another county's officer does not see the case
    assert f"/cases/{led.number}/" in _listed(_client(users["supervisor"]), "view=led")
    assert f"/cases/{led.number}/" not in _listed(_client(users["officer_elsewhere"]), "view=led")
    assert f"/cases/{led.number}/" not in _listed(_client(users["officer_enterprise"]), "view=mine")


def test_due_soon_lists_the_cases_whose_clock_is_about_to_run_out(users, make_case):
    case = make_case()
    fresh = Case.objects.get(pk=case.pk)
    officer = users["officer_enterprise"]
    assert fresh.due_at is not None
    assert f"/cases/{case.number}/" not in _listed(_client(officer), "view=due_soon")
    with time_machine.travel(fresh.due_at - dt.timedelta(hours=30), tick=False):
        assert f"/cases/{case.number}/" in _listed(_client(officer), "view=due_soon")
    with time_machine.travel(fresh.due_at + dt.timedelta(hours=1), tick=False):
        assert f"/cases/{case.number}/" not in _listed(_client(officer), "view=due_soon")  # overdue: its own filter
    services.case_withdraw(case=case.number, actor=users["desk"], reason="职工撤回")
    with time_machine.travel(fresh.due_at - dt.timedelta(hours=30), tick=False):
        assert f"/cases/{case.number}/" not in _listed(_client(officer), "view=due_soon")


def test_an_unknown_view_is_the_plain_list(users, make_case):
    case = make_case()
    assert f"/cases/{case.number}/" in _listed(_client(users["desk"]), "view=<script>")


def test_save_a_filter_see_it_in_the_view_menu_and_delete_it(users, make_case):
    client = _client(users["desk"])
    response = client.post(
        "/cases/filters/",
        {
            "page": "list",
            "name": "拖欠工资",
            "query": "category=wages&overdue=1&evil=1&q=%E5%B7%A5%E8%B5%84",
            "next": "/cases/all/?category=wages",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/cases/all/?category=wages"
    saved = SavedFilter.objects.get(user=users["desk"])
    assert saved.query == "q=%E5%B7%A5%E8%B5%84&category=wages&overdue=1"  # the filter bar's keys only
    page = client.get("/cases/all/").content.decode()
    assert "拖欠工资" in page and f'href="?{saved.query.replace("&", "&amp;")}"' in page
    # not on anyone else's page
    assert "拖欠工资" not in _client(users["officer_enterprise"]).get("/cases/all/").content.decode()
    # the same name again replaces the query
    client.post("/cases/filters/", {"page": "list", "name": "拖欠工资", "query": "status=enterprise"})
    assert SavedFilter.objects.get(user=users["desk"]).query == "status=enterprise"
    # someone else cannot delete it; its owner can
    assert _client(users["leader"]).post(f"/cases/filters/{saved.pk}/delete/").status_code == 404
    assert client.post(f"/cases/filters/{saved.pk}/delete/").status_code == 302
    assert not SavedFilter.objects.exists()
    assert client.post("/cases/filters/999999/delete/").status_code == 404


LONG_QUERY = "&".join(f"{k}={'工' * 100}" for k in ("q", "category"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"page": "list", "name": "", "query": "status=enterprise"}, "请填写筛选名称。"),
        ({"page": "list", "name": "名" * 41, "query": "status=enterprise"}, "筛选名称不能超过 40 个字。"),
        ({"page": "list", "name": "空的", "query": "evil=1"}, "当前没有筛选条件，无需保存。"),
        ({"page": "admin", "name": "x", "query": "status=enterprise"}, "列表不存在。"),
        ({"page": "list", "name": "长", "query": LONG_QUERY}, "筛选条件过长，无法保存。"),
    ],
)
def test_bad_filters_are_refused_in_chinese(users, data, message):
    response = _client(users["desk"]).post("/cases/filters/", {**data, "next": "/cases/all/"}, follow=True)
    assert response.status_code == 200 and message in response.content.decode()
    assert not SavedFilter.objects.exists()


def test_a_saved_filter_only_reruns_the_scoped_query(users, make_case, other_county_case):
    client = _client(users["officer_enterprise"])
    client.post("/cases/filters/", {"page": "list", "name": "全部", "query": f"q={other_county_case.number}"})
    saved = SavedFilter.objects.get()
    assert f"/cases/{other_county_case.number}/" not in _listed(client, saved.query)


def test_saved_filters_on_the_task_lists(users, make_case):
    make_case()
    client = _client(users["officer_enterprise"])
    client.post("/cases/filters/", {"page": "queue", "name": "紧急的", "query": "q=GH&sort=due"})
    assert "紧急的" in client.get("/cases/queue/").content.decode()
    assert "紧急的" not in client.get("/cases/all/").content.decode()


def test_clean_query_keeps_first_values_of_known_keys():
    assert clean_query("?status=enterprise&status=union&x=1&view=mine") == "status=enterprise&view=mine"
    assert clean_query("") == ""
