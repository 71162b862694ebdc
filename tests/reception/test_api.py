"""/api/v1/reception/: the day over the API, with Chinese errors and the same scoping."""

from rest_framework.test import APIClient

from casework.models import Case
from reception.models import ReceptionSession

PLAN = {
    "unit": "DEMO-K1",
    "starts_at": "2026-06-01T09:00:00+08:00",
    "ends_at": "2026-06-01T12:00:00+08:00",
    "place": "职工服务中心",
    "form": "regular",
    "leaders": ["leader"],
}


def test_a_day_over_the_api(client_for, users, morning):
    desk = client_for("desk")
    created = desk.post("/api/v1/reception/sessions/", PLAN, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert desk.post(f"/api/v1/reception/sessions/{pk}/open/").json()["status"] == "open"
    entry = desk.post(
        f"/api/v1/reception/sessions/{pk}/entries/",
        {"worker_name": "王建国", "raised": "拖欠工资", "enterprise": "DEMO-E1", "category": "wages",
         "phone": "13912345678", "leader": "leader"},
        format="json",
    )  # fmt: skip
    assert entry.status_code == 201 and entry.json()["phone"] == "139****5678"
    eid = entry.json()["id"]
    refused = desk.post(f"/api/v1/reception/sessions/{pk}/close/")
    assert refused.status_code == 400 and "尚无处理情况" in refused.json()["message"]
    no_consent = desk.post(f"/api/v1/reception/entries/{eid}/outcome/", {"outcome": "case"}, format="json")
    assert no_consent.status_code == 400 and "consent" in no_consent.json()["fields"]
    filed = desk.post(f"/api/v1/reception/entries/{eid}/outcome/", {"outcome": "case", "consent": True}, format="json")
    assert filed.status_code == 200 and filed.json()["case"] == Case.objects.get().number
    closed = desk.post(f"/api/v1/reception/sessions/{pk}/close/").json()
    assert closed["status"] == "closed" and closed["summary"]["cases"] == 1
    signed = client_for("leader").post(f"/api/v1/reception/sessions/{pk}/sign-off/")
    assert signed.json()["signed_off_by"]["username"] == "leader"


def test_past_day_refused_in_chinese(client_for, morning):
    response = client_for("desk").post(
        "/api/v1/reception/sessions/", {**PLAN, "starts_at": "2026-05-01T09:00:00+08:00"}, format="json"
    )
    assert response.status_code == 400
    assert "过去" in response.json()["fields"]["starts_at"][0]
    assert not ReceptionSession.objects.exists()


def test_county_b_sees_none_of_county_a(client_for, plan):
    session = plan()
    other = client_for("leader_2")
    assert other.get(f"/api/v1/reception/sessions/{session.pk}/").status_code == 404
    assert other.post(f"/api/v1/reception/sessions/{session.pk}/open/").status_code == 404
    assert other.get("/api/v1/reception/sessions/?month=2026-06").json() == []
    assert len(client_for("desk").get("/api/v1/reception/sessions/?month=2026-06").json()) == 1
    planned_elsewhere = other.post("/api/v1/reception/sessions/", PLAN, format="json")
    assert planned_elsewhere.status_code == 400 and "unit" in planned_elsewhere.json()["fields"]


def test_anonymous_and_huge_ids(client_for, morning):
    assert APIClient().get("/api/v1/reception/sessions/").status_code == 401
    assert client_for("desk").get(f"/api/v1/reception/sessions/{2**70}/").status_code == 404
