"""Access: county B sees none of county A's campaign records (pages, API, lists, GET and POST);
a family is masked unless a logged unmask; anonymous callers get the login page or 401/403."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from campaign import services
from campaign.models import FamilyAccess

from .conftest import today

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(users, group, cadres, make_visit, family):
    visit = make_visit()
    services.participation_add(
        actor=users["leader"], group=group, visit=visit, cadre=cadres["desk"], day_from=visit.visited_on
    )
    report = services.report_file(
        actor=users["leader"], group=group, author=cadres["desk"], title="调研报告甲", subject="工资",
        findings="拖欠。", filed_on=today(),
    )  # fmt: skip
    return {"campaign": group.campaign, "group": group, "family": family, "report": report, "visit": visit}


def _urls(r) -> list[str]:
    c, g, f = r["campaign"].pk, r["group"].pk, r["family"].pk
    pages = [
        reverse(name, args=[c])
        for name in (
            "campaign:detail", "campaign:edit", "campaign:cadre_create", "campaign:cadres_from_staff",
            "campaign:group_create", "campaign:point_create", "campaign:families", "campaign:family_create",
        )
    ]  # fmt: skip
    pages += [
        reverse(name, args=[g])
        for name in (
            "campaign:group", "campaign:group_edit", "campaign:participation_create", "campaign:worklog_create",
            "campaign:report_create", "campaign:typical_create",
        )
    ]  # fmt: skip
    pages.append(reverse("campaign:report_attachment", args=[g, r["report"].pk]))
    pages += [reverse(n, args=[f]) for n in ("campaign:family", "campaign:pairing_create", "campaign:contact_create")]
    api = [
        f"/api/v1/campaign/campaigns/{c}/",
        f"/api/v1/campaign/campaigns/{c}/families/",
        f"/api/v1/campaign/groups/{g}/days/",
        f"/api/v1/campaign/groups/{g}/logs/",
        f"/api/v1/campaign/groups/{g}/reports/",
        f"/api/v1/campaign/groups/{g}/typicals/",
        f"/api/v1/campaign/campaigns/{c}/overdue/",
        f"/api/v1/campaign/families/{f}/",
        f"/api/v1/campaign/families/{f}/contacts/",
    ]
    return pages + api


@pytest.mark.parametrize("role", ["officer_elsewhere", "leader_b"])
def test_county_b_sees_none_of_county_a_campaign(users, records, role):
    from django.contrib.auth import get_user_model

    user = users.get(role) or get_user_model().objects.get(username="leader_2")
    client = Client()
    client.force_login(user)
    for url in _urls(records):
        assert client.get(url).status_code in (404, 405), f"GET {url}"
        if url.startswith("/api/"):
            response = client.post(url, {"cadre": 1, "day": "2020-01-01"}, content_type="application/json")
        else:
            response = client.post(url, {"name": "x"})
        assert response.status_code in (404, 405), f"POST {url} → {response.status_code}"
    for url in ("/campaign/", "/api/v1/campaign/campaigns/", "/api/v1/campaign/league/?by=cadre"):
        body = client.get(url).content.decode()
        assert records["campaign"].name not in body, url


def test_anonymous_is_sent_to_login_or_refused(records, db):
    client = Client()
    for url in _urls(records):
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code in (401, 403), url
        else:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_county_a_roles(users, records):
    """The leader manages; the desk (a member) records; an enterprise officer sees nothing."""
    c, g = records["campaign"].pk, records["group"].pk
    leader, desk, ent = Client(), Client(), Client()
    leader.force_login(users["leader"])
    desk.force_login(users["desk"])
    ent.force_login(users["officer_enterprise"])
    assert leader.get(f"/campaign/{c}/edit/").status_code == 200
    assert desk.get(f"/campaign/{c}/edit/").status_code == 403
    assert desk.get(f"/campaign/group/{g}/logs/new/").status_code == 200
    assert ent.get(f"/campaign/{c}/").status_code == 404
    assert ent.get(f"/campaign/group/{g}/logs/new/").status_code == 404


def test_family_is_masked_and_an_unmask_is_logged(users, records):
    f = records["family"]
    client = Client()
    client.force_login(users["leader"])
    page = client.get(f"/campaign/family/{f.pk}/").content.decode()
    assert "13912340088" not in page and "赵秀兰" not in page and "139****0088" in page
    assert not FamilyAccess.objects.exists()
    page = client.get(f"/campaign/family/{f.pk}/?unmask=1").content.decode()
    assert "13912340088" in page and "赵秀兰" in page
    data = client.get(f"/api/v1/campaign/families/{f.pk}/").json()
    assert data["masked"] and data["phone"] == "139****0088"
    data = client.get(f"/api/v1/campaign/families/{f.pk}/?unmask=1").json()
    assert data["phone"] == "13912340088"
    assert list(FamilyAccess.objects.values_list("kind", flat=True)) == ["page", "api"]
    listing = client.get(f"/api/v1/campaign/campaigns/{f.campaign_id}/families/").content.decode()
    assert "13912340088" not in listing and "赵秀兰" not in listing
    # a member who may keep the register but not unmask it: ?unmask=1 is ignored, nothing logged
    desk = Client()
    desk.force_login(users["desk"])
    page = desk.get(f"/campaign/family/{f.pk}/?unmask=1").content.decode()
    assert "13912340088" not in page
    assert FamilyAccess.objects.count() == 2


def test_api_writes_follow_the_rules(users, records, cadres):
    client = Client()
    client.force_login(users["desk"])
    g, visit = records["group"], records["visit"]
    url = f"/api/v1/campaign/groups/{g.pk}/days/"
    body = {"visit": visit.pk, "cadre": cadres["desk"].pk, "day_from": visit.visited_on.isoformat(), "slot": "am"}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400 and "同一半天" in response.json()["fields"]["day_from"][0]
    body.update(cadre=cadres["named"].pk)
    assert client.post(url, body, content_type="application/json").status_code == 201
    body.update(day_from=(today() - dt.timedelta(days=200)).isoformat())
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400 and "不在活动期间" in response.json()["fields"]["day_from"][0]
    response = client.post(
        f"/api/v1/campaign/families/{records['family'].pk}/contacts/",
        {"kind": "warmth", "on": today().isoformat(), "delivered_by": cadres["desk"].pk, "amount": "-10"},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["fields"]["amount"] == ["金额必须大于零。"]
    data = client.get(f"/api/v1/campaign/campaigns/{g.campaign_id}/").json()
    row = next(r for r in data["progress"] if r["cadre"] == cadres["named"].pk)
    assert row["days"] == "0.5" or float(row["days"]) == 0.5
    assert "days" in row["shortfalls"]


def test_api_creates_a_campaign_with_chinese_errors(users, county):
    client = Client()
    client.force_login(users["leader"])
    body = {"name": "API活动", "unit": "DEMO-K1", "period_start": "2026-01-01", "period_end": "2025-01-01"}
    response = client.post("/api/v1/campaign/campaigns/", body, content_type="application/json")
    assert response.status_code == 400 and "截止日期不能早于起始日期" in response.json()["fields"]["period_end"][0]
    body["period_end"] = "2026-12-31"
    assert client.post("/api/v1/campaign/campaigns/", body, content_type="application/json").status_code == 201
    body["unit"] = "NOPE"
    response = client.post("/api/v1/campaign/campaigns/", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["fields"]["unit"] == ["单位代码不存在。"]
    desk = Client()
    desk.force_login(users["desk"])
    body.update(unit="DEMO-K1", name="另一个")
    assert desk.post("/api/v1/campaign/campaigns/", body, content_type="application/json").status_code == 403
