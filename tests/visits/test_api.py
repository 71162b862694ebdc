"""``/api/v1/visits/``: groups, visits and interviews — scoped like the pages (other county
404), written through the services (wrong role 403, bad input 400 in Chinese, nothing half
written), the interviewed worker's phone always masked and never an unmask log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from visits.models import Interview, InterviewAccessLog, InterviewSequence, Visit, WorkGroup

pytestmark = pytest.mark.django_db


def _yesterday() -> str:
    return (timezone.localdate() - dt.timedelta(days=1)).isoformat()


VISIT = {"enterprise": "DEMO-E1", "kind": "forum", "workers_met": 8, "workers_named": "王师傅\n李班长"}


def test_a_group_its_visit_and_an_interview_over_the_api(client_for, users):
    leader = client_for("leader")
    created = leader.post(
        "/api/v1/visits/groups/",
        {"name": "东城区走访二组", "unit": "DEMO-K1", "leader": "leader", "members": ["desk"]},
        format="json",
    )
    assert created.status_code == 201, created.json()
    group = created.json()
    assert group["members"] == [{"username": "desk", "name": "接待员小王"}] and group["targets"] == []
    desk = client_for("desk")
    visit = desk.post(f"/api/v1/visits/groups/{group['id']}/visits/", {**VISIT, "visited_on": _yesterday()},
                      format="json")  # fmt: skip
    assert visit.status_code == 201, visit.json()
    v = visit.json()
    assert v["enterprise"]["code"] == "DEMO-E1" and v["workers_named"] == ["王师傅", "李班长"]
    interview = desk.post(
        f"/api/v1/visits/visits/{v['id']}/interviews/",
        {"interviewed_at": timezone.now().isoformat(), "consent": True, "worker_name": "王大力", "gender": "male",
         "phone": "13912340001", "category": "wages", "request": "补发工资", "notes": "三个月未足额发放。",
         "outline": {"s1": "装配工，工龄八年。"}},
        format="json",
    )  # fmt: skip
    assert interview.status_code == 201, interview.json()
    i = interview.json()
    assert i["number"] == 1 and i["phone"] == "139****0001" and i["category"] == "wages"
    assert i["outline"] == {"s1": "装配工，工龄八年。"} and i["report_stage"] == "整理中"
    assert i["interviewer"]["username"] == "desk" and i["attachments"] == []
    # lists and details, the phone masked everywhere, no unmask written
    assert leader.get("/api/v1/visits/groups/").json()["count"] == 1
    page = leader.get(f"/api/v1/visits/groups/{group['id']}/visits/").json()
    assert [r["id"] for r in page["results"]] == [v["id"]]
    detail = leader.get(f"/api/v1/visits/visits/{v['id']}/").json()
    assert [x["phone"] for x in detail["interviews"]] == ["139****0001"]
    register = leader.get(f"/api/v1/visits/groups/{group['id']}/interviews/").json()
    assert [r["number"] for r in register["results"]] == [1]
    one = leader.get(f"/api/v1/visits/interviews/{i['id']}/?unmask=1").json()
    assert one["phone"] == "139****0001" and "13912340001" not in str(one)
    assert not InterviewAccessLog.objects.exists()


def test_county_b_sees_none_of_county_a(client_for, make_interview):
    interview = make_interview()
    group, visit = interview.group, interview.visit
    other = client_for("leader_2")
    for url in (
        f"/api/v1/visits/groups/{group.pk}/",
        f"/api/v1/visits/groups/{group.pk}/visits/",
        f"/api/v1/visits/groups/{group.pk}/interviews/",
        f"/api/v1/visits/visits/{visit.pk}/",
        f"/api/v1/visits/interviews/{interview.pk}/",
    ):
        assert other.get(url).status_code == 404, url
    assert other.get("/api/v1/visits/groups/").json()["count"] == 0
    posted = other.post(f"/api/v1/visits/groups/{group.pk}/visits/", {**VISIT, "visited_on": _yesterday()},
                        format="json")  # fmt: skip
    assert posted.status_code == 404
    posted = other.post(f"/api/v1/visits/visits/{visit.pk}/interviews/",
                        {"interviewed_at": timezone.now().isoformat()}, format="json")  # fmt: skip
    assert posted.status_code == 404
    assert Visit.objects.count() == 1 and Interview.objects.count() == 1
    elsewhere = other.post("/api/v1/visits/groups/", {"name": "越权组", "unit": "DEMO-K1", "leader": "leader_2"},
                           format="json")  # fmt: skip
    assert elsewhere.status_code == 400 and "辖区" in elsewhere.json()["fields"]["unit"][0]
    assert WorkGroup.objects.count() == 1


def test_wrong_roles_are_403(client_for, users, group, make_visit):
    visit = make_visit()
    # an intake officer may not set up groups
    response = client_for("desk").post("/api/v1/visits/groups/", {"name": "x", "unit": "DEMO-K1", "leader": "desk"},
                                       format="json")  # fmt: skip
    assert response.status_code == 403 and response.json()["message"]
    # a county A supervisor sees the group but is not a member: reads yes, writes no
    supervisor = client_for("supervisor")
    assert supervisor.get(f"/api/v1/visits/groups/{group.pk}/").status_code == 200
    response = supervisor.post(f"/api/v1/visits/groups/{group.pk}/visits/", {**VISIT, "visited_on": _yesterday()},
                               format="json")  # fmt: skip
    assert response.status_code == 403 and "成员" in response.json()["message"]
    response = supervisor.post(f"/api/v1/visits/visits/{visit.pk}/interviews/",
                               {"interviewed_at": timezone.now().isoformat()}, format="json")  # fmt: skip
    assert response.status_code == 403
    assert Visit.objects.count() == 1 and not Interview.objects.exists()


def test_bad_input_is_refused_in_chinese_and_nothing_is_half_written(client_for, group, make_visit):
    visit = make_visit()
    member = client_for("officer_union")
    url = f"/api/v1/visits/groups/{group.pk}/visits/"
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = member.post(url, {**VISIT, "visited_on": tomorrow}, format="json")
    assert response.status_code == 400 and "晚于今天" in response.json()["fields"]["visited_on"][0]
    response = member.post(url, {**VISIT, "enterprise": "DEMO-E5", "visited_on": _yesterday()}, format="json")
    assert response.status_code == 400 and "辖区" in response.json()["fields"]["enterprise"][0]
    response = member.post(url, {**VISIT, "must_visit": "migrant", "visited_on": _yesterday()}, format="json")
    assert response.status_code == 400 and "入户" in response.json()["fields"]["must_visit"][0]
    assert Visit.objects.count() == 1

    url = f"/api/v1/visits/visits/{visit.pk}/interviews/"
    at = timezone.now().isoformat()
    response = member.post(url, {"interviewed_at": at, "worker_name": "王大力"}, format="json")
    assert response.status_code == 400 and "同意" in response.json()["fields"]["consent"][0]
    response = member.post(url, {"interviewed_at": at, "consent": True, "phone": "12345"}, format="json")
    assert response.status_code == 400 and "phone" in response.json()["fields"]
    response = member.post(url, {"interviewed_at": at, "outline": {"s9": "x"}}, format="json")
    assert response.status_code == 400 and "第八" in response.json()["fields"]["outline"][0]
    response = member.post(url, {"interviewed_at": at, "category": "nope"}, format="json")
    assert response.status_code == 400 and "类别" in response.json()["fields"]["category"][0]
    response = member.post(url, {"interviewed_at": "tomorrow"}, format="json")
    assert response.status_code == 400
    assert not Interview.objects.exists() and InterviewSequence.objects.get(group=group).last == 0


def test_anonymous_and_huge_ids(client_for):
    assert APIClient().get("/api/v1/visits/groups/").status_code == 401
    desk = client_for("desk")
    for url in ("groups", "visits", "interviews"):
        assert desk.get(f"/api/v1/visits/{url}/{2**70}/").status_code == 404


def test_the_interview_steps_and_filing_a_case(client_for, make_interview):
    interview = make_interview()
    base = f"/api/v1/visits/interviews/{interview.pk}"
    member, leader = client_for("officer_union"), client_for("leader")
    response = member.post(f"{base}/submit/")
    assert response.status_code == 403 and "组长" in response.json()["message"]
    response = leader.post(f"{base}/submit/")
    assert response.status_code == 400 and "签字" in response.json()["message"]
    assert member.post(f"{base}/write-up/").json()["report_stage"] == "已整理"
    assert member.post(f"{base}/sign-off/").status_code == 403
    assert leader.post(f"{base}/sign-off/").json()["report_stage"] == "组长已签字"
    assert leader.post(f"{base}/sign-off/").status_code == 400  # once
    assert leader.post(f"{base}/submit/").json()["report_stage"] == "已报送活动办公室"
    assert client_for("leader_2").post(f"{base}/file-case/", {"urgent": True}, format="json").status_code == 404
    filed = client_for("desk").post(f"{base}/file-case/", {"urgent": True}, format="json")
    assert filed.status_code == 200 and filed.json()["case"].startswith("GH-")
    again = client_for("desk").post(f"{base}/file-case/", {}, format="json")
    assert again.status_code == 400 and "已登记为案件" in again.json()["message"]
    interview.refresh_from_db()
    assert interview.case.urgent and interview.case.owner.username == "desk"
