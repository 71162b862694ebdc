"""/api/v1/reporting/ and /api/v1/voices/: same token auth, scoping and Chinese errors."""

import datetime as dt

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from casework.models import OrgUnit
from reporting import services
from reporting.models import ReportingPeriod
from voices import services as voice_services


def _client(name):
    from django.contrib.auth import get_user_model

    token, _ = Token.objects.get_or_create(user=get_user_model().objects.get(username=name))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def report(users, morning):
    period = ReportingPeriod.objects.create(name="Q2", kind="quarter", starts_on=dt.date(2026, 4, 1),
                                            ends_on=dt.date(2026, 6, 30), due_on=dt.date(2026, 7, 10))  # fmt: skip
    return services.report_start(actor=users["desk"], period=period, unit=OrgUnit.objects.get(code="DEMO-K1"))


def test_submit_once_and_scope(users, report):
    refused = _client("desk").post(f"/api/v1/reporting/reports/{report.pk}/submit/")
    assert refused.status_code == 403 and "负责人" in refused.json()["message"]
    leader = _client("leader")
    assert leader.post(f"/api/v1/reporting/reports/{report.pk}/submit/").json()["status"] == "submitted"
    twice = leader.post(f"/api/v1/reporting/reports/{report.pk}/submit/")
    assert twice.status_code == 400 and "重复上报" in twice.json()["message"]
    other = _client("leader_2")
    assert other.get(f"/api/v1/reporting/reports/{report.pk}/").status_code == 404
    assert other.get("/api/v1/reporting/reports/").json() == []
    assert other.get("/api/v1/reporting/ledger/", {"unit": "DEMO-K1"}).status_code == 404
    assert leader.get("/api/v1/reporting/ledger/", {"from": "2026-05-01"}).status_code == 200


def test_voices_api(users, morning):
    voice = voice_services.voice_record(actor=users["desk"], unit=OrgUnit.objects.get(code="DEMO-K1"), source="forum",
                                        summary="班车线路", raised_on=dt.date(2026, 5, 1))  # fmt: skip
    listing = _client("desk").get("/api/v1/voices/unanswered/").json()
    assert listing["days"] == 7 and [i["id"] for i in listing["results"]] == [voice.pk]
    assert _client("leader_2").get("/api/v1/voices/unanswered/").json()["count"] == 0
    assert _client("leader_2").post(f"/api/v1/voices/{voice.pk}/close/", {"outcome": "answered", "text": "x"},
                                    format="json").status_code == 404  # fmt: skip
    bad = _client("desk").post(f"/api/v1/voices/{voice.pk}/close/", {"outcome": "no_action"}, format="json")
    assert bad.status_code == 400 and "reason" in bad.json()["fields"]
    ok = _client("desk").post(f"/api/v1/voices/{voice.pk}/close/", {"outcome": "no_action", "text": "已解释"},
                              format="json")  # fmt: skip
    assert ok.json()["outcome"] == "no_action"


@pytest.fixture
def city_leader(world):
    from casework.models.org import Role
    from casework.services.org import staff_ensure

    return staff_ensure(username="city_leader", password="x-pass-123", unit=OrgUnit.objects.get(code="DEMO-C1"),
                        role=Role.LEADER, full_name="市总工会王主席")  # fmt: skip


def test_subtree_totals_come_from_the_submissions_and_are_scoped(users, report, city_leader, make_case):
    make_case()
    services.report_submit(actor=users["leader"], report=report)
    make_case()  # after the submission: the live figures move, the totals do not
    period = report.period
    city = _client("city_leader")
    assert [p["id"] for p in city.get("/api/v1/reporting/periods/").json()] == [period.pk]
    body = city.get(f"/api/v1/reporting/periods/{period.pk}/subtree/").json()
    assert body["unit"] == "DEMO-C1"
    states = {c["unit"]: c["state"] for c in body["children"]}
    assert states["DEMO-K1"] in ("submitted", "submitted_late")
    assert states["DEMO-K2"] == "missing"
    assert body["totals"]["reports"] == 1 and body["totals"]["received"] == 1
    # A county sees only its own subtree: its own unit (no federations under it), never the city's.
    county = _client("leader")
    own = county.get(f"/api/v1/reporting/periods/{period.pk}/subtree/").json()
    assert own["unit"] == "DEMO-K1" and own["children"] == [] and own["totals"]["reports"] == 0
    assert county.get(f"/api/v1/reporting/periods/{period.pk}/subtree/", {"unit": "DEMO-C1"}).status_code == 404
    other = _client("leader_2")
    assert other.get(f"/api/v1/reporting/periods/{period.pk}/subtree/", {"unit": "DEMO-K1"}).status_code == 404


def test_subtree_refusals(users, report):
    period = report.period
    desk = _client("desk").get(f"/api/v1/reporting/periods/{period.pk}/subtree/")
    assert desk.status_code == 403 and desk.json()["message"]
    assert _client("desk").get("/api/v1/reporting/periods/").status_code == 403
    leader = _client("leader")
    assert leader.get("/api/v1/reporting/periods/999999/subtree/").status_code == 404
    assert leader.get(f"/api/v1/reporting/periods/{period.pk}/subtree/", {"unit": "X" * 60}).status_code == 404
    assert APIClient().get(f"/api/v1/reporting/periods/{period.pk}/subtree/").status_code == 401
    period.active = False
    period.save()
    assert leader.get(f"/api/v1/reporting/periods/{period.pk}/subtree/").status_code == 404
    assert leader.get("/api/v1/reporting/periods/").json() == []


def test_draft_and_edit_through_the_api(users, morning):
    period = ReportingPeriod.objects.create(name="Q2", kind="quarter", starts_on=dt.date(2026, 4, 1),
                                            ends_on=dt.date(2026, 6, 30), due_on=dt.date(2026, 7, 10))  # fmt: skip
    desk = _client("desk")
    created = desk.post("/api/v1/reporting/reports/", {"period": period.pk}, format="json")
    assert created.status_code == 201 and created.json()["unit"] == "DEMO-K1" and created.json()["status"] == "draft"
    pk = created.json()["id"]
    assert desk.post("/api/v1/reporting/reports/", {"period": period.pk}, format="json").json()["id"] == pk
    edited = desk.patch(f"/api/v1/reporting/reports/{pk}/", {"problems": "欠薪集中"}, format="json")
    assert edited.status_code == 200 and edited.json()["problems"] == "欠薪集中"
    missing = desk.post("/api/v1/reporting/reports/", {"period": 999999}, format="json")
    assert missing.status_code == 400 and "上报期间不存在" in str(missing.json())
    assert desk.post("/api/v1/reporting/reports/", {"period": "x"}, format="json").status_code == 400
    assert desk.patch(f"/api/v1/reporting/reports/{pk}/", {"problems": "a\x00b"}, format="json").status_code == 400
    # another county cannot see it, let alone edit it
    assert _client("leader_2").patch(f"/api/v1/reporting/reports/{pk}/", {"problems": "x"},
                                     format="json").status_code == 404  # fmt: skip
    assert _client("leader").post(f"/api/v1/reporting/reports/{pk}/submit/").status_code == 200
    after = desk.patch(f"/api/v1/reporting/reports/{pk}/", {"problems": "改"}, format="json")
    assert after.status_code == 400 and "不能再修改" in after.json()["message"]
    # the province has no union above it: it does not report
    province = _client("admin").post("/api/v1/reporting/reports/", {"period": period.pk}, format="json")
    assert province.status_code == 400
    from reporting.models import PeriodReport

    assert PeriodReport.objects.get(pk=pk).problems == "欠薪集中"
    assert PeriodReport.objects.count() == 1
