"""四比四看 (the campaign's): units and cadres on 实事, 调研, 典型, 交友 and days; sortable; .xlsx.
The case league is called what it is (案件办理比拼)."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from campaign.demo import seed_campaign_demo
from campaign.models import Participation
from tests.xlsx_layout import assert_layout

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(world):
    seed_campaign_demo(cases=0)


def test_unit_and_cadre_league(users, demo):
    client = Client()
    client.force_login(users["leader"])
    page = client.get("/campaign/league/").content.decode()
    assert "东城区总工会" in page and "比实事（办实事）" in page
    xlsx = client.get("/campaign/league/?by=unit&format=xlsx")
    year = timezone.localdate().year
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert_layout(sheet, title="东城区总工会 · 四比四看", period=f"{year}-01-01 至 {year}-12-31", header="名次")
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.values)[2:]  # below the title and period
    head = list(rows[0])
    county = next(r for r in rows if r[1] == "东城区总工会")
    assert county[head.index("比实事（办实事）")] == 1  # one commitment done
    assert county[head.index("比调研（调研报告）")] == 1 and county[head.index("比典型（典型）")] == 1
    assert county[head.index("比交友（联系户）")] == 2  # the family, for the two cadres who contacted it
    # 1 + 0.5 (leader), 3 + 0.5 (officer), 0.5 (desk): 5.5 when the demo's days all fall in this year
    this_year = [p for p in Participation.objects.all() if p.day.year == timezone.localdate().year]
    assert county[head.index("驻点天数")] == float(sum(p.days for p in this_year))
    cadres = list(
        load_workbook(io.BytesIO(client.get("/campaign/league/?by=cadre&sort=days&format=xlsx").content)).active.values
    )[2:]
    assert [r[1] for r in cadres[1:3]] == ["区总工会张干事", "区总工会陈主席"]  # sorted by days
    by_typicals = client.get("/campaign/league/?by=cadre&sort=typicals&format=xlsx").content
    rows = list(load_workbook(io.BytesIO(by_typicals)).active.values)
    assert rows[3][1] == "区总工会陈主席"  # the leader wrote the 典型
    assert "aria-current" in client.get("/campaign/league/?by=cadre&sort=reports").content.decode()


def test_county_b_sees_none_of_it(users, demo):
    client = Client()
    client.force_login(users["officer_elsewhere"])
    rows = list(load_workbook(io.BytesIO(client.get("/campaign/league/?by=cadre&format=xlsx").content)).active.values)
    assert len(rows) == 3  # title, period and headers only
    page = client.get("/campaign/league/").content.decode()
    assert "东城区总工会" not in page


def test_the_case_league_is_named_for_what_it_ranks(users, world):
    client = Client()
    client.force_login(users["supervisor"])
    page = client.get("/reports/league/").content.decode()
    assert "案件办理比拼" in page
    assert "四比四看：单位比拼" not in page


def test_the_api_serves_the_league_commitments_and_overdue_contacts(users, demo):
    from campaign.models import Campaign

    client = Client()
    client.force_login(users["leader"])
    rows = client.get("/api/v1/campaign/league/?by=cadre&sort=typicals").json()
    assert rows[0]["name"] == "区总工会陈主席" and rows[0]["rank"] == 1
    units = client.get("/api/v1/campaign/league/").json()
    assert any(r["name"] == "东城区总工会" and r["shishi"] == 1 for r in units)
    commitments = client.get("/api/v1/campaign/commitments/").json()
    assert {c["overdue"] for c in commitments} == {True, False}
    campaign = Campaign.objects.get()
    overdue = client.get(f"/api/v1/campaign/campaigns/{campaign.pk}/overdue/").json()
    assert any(o["kind"] == "point" for o in overdue)
    other = Client()
    other.force_login(users["officer_elsewhere"])
    assert other.get("/api/v1/campaign/commitments/").json() == []
    assert other.get(f"/api/v1/campaign/campaigns/{campaign.pk}/overdue/").status_code == 404
