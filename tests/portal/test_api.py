"""``/api/v1/portal/``: the same journey for a hotline or WeChat front end; throttles; the schema."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from portal.models import Submission

from .conftest import PHONE, answer

pytestmark = pytest.mark.django_db

BODY = {
    "name": "孙小梅", "phone": PHONE, "enterprise": "东方机械制造有限公司", "category": "wages",
    "summary": "三个月没发工资。", "request": "补发工资。", "workers_involved": 3, "consent": True,
}  # fmt: skip


def _captcha(api) -> dict:
    data = api.get("/api/v1/portal/captcha/").json()
    assert data["image_url"].startswith("/captcha/image/")
    return {"captcha_key": data["key"], "captcha_answer": answer(data["key"])}


def test_submit_follow_and_rate_through_the_api(world, users):
    from portal import services

    api = APIClient()
    assert {"code": "wages", "name": "劳动报酬（工资拖欠）"} in api.get("/api/v1/portal/categories/").json()
    assert api.get("/api/v1/portal/enterprises/?q=东方").json() == {"results": ["东方机械制造有限公司"]}
    created = api.post("/api/v1/portal/submissions/", {**BODY, **_captcha(api)}, format="json")
    assert created.status_code == 201, created.content
    out = created.json()
    assert set(out) == {"reference", "query_code", "token", "expires_in"}
    api.credentials(HTTP_X_PORTAL_TOKEN=out["token"])
    items = api.get("/api/v1/portal/items/").json()["results"]
    assert [i["reference"] for i in items] == [out["reference"]] and items[0]["kind"] == "submission"
    case = services.submission_accept(submission=Submission.objects.get(), actor=users["desk"])
    # the same token now reaches the case its submission became
    item = api.get(f"/api/v1/portal/items/{case.number}/").json()
    assert item["kind"] == "case" and item["level"] == "enterprise" and item["hear_back_by"]
    early = api.post(f"/api/v1/portal/items/{case.number}/rating/", {"satisfaction": "satisfied"}, format="json")
    assert early.status_code == 409 and "答复您之后" in early.json()["message"]
    fresh = APIClient()
    token = fresh.post("/api/v1/portal/access/", {"reference": case.number, "code": out["query_code"]}, format="json")
    assert token.status_code == 200
    withdrawn = api.post(f"/api/v1/portal/items/{case.number}/withdraw/", {"reason": "已解决。"}, format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"


def test_bad_input_and_codes(world):
    api = APIClient()
    missing = api.post("/api/v1/portal/submissions/", {"name": "x"}, format="json")
    assert missing.status_code == 400 and missing.json()["fields"]["phone"]
    wrong_captcha = api.post(
        "/api/v1/portal/submissions/", {**BODY, "captcha_key": "x" * 40, "captcha_answer": "1"}, format="json"
    )
    assert wrong_captcha.status_code == 400 and "验证码" in wrong_captcha.json()["fields"]["captcha_answer"][0]
    bad = api.post("/api/v1/portal/submissions/", {**BODY, "enterprise": "无此公司", **_captcha(api)}, format="json")
    assert bad.status_code == 400 and "没有找到该企业" in bad.json()["fields"]["enterprise"][0]
    assert not Submission.objects.exists()
    denied = api.post("/api/v1/portal/access/", {"reference": "GH-2026-000001", "code": "ABCDEFGH"}, format="json")
    assert denied.status_code == 403 and denied.json()["message"] == "编号或查询码不正确。"
    assert api.get("/api/v1/portal/items/").status_code == 403
    assert api.get("/api/v1/portal/items/GH-2026-000001/").status_code == 404
    api.credentials(HTTP_X_PORTAL_TOKEN="forged")
    assert api.get("/api/v1/portal/items/").status_code == 403
    sent = APIClient().post("/api/v1/portal/phone-codes/", {"phone": "12"}, format="json")
    assert sent.status_code == 400


def test_phone_access_through_the_api(answered):
    import re

    from notifications.models import Notification

    _s, _code, case = answered()
    api = APIClient()
    assert api.post("/api/v1/portal/phone-codes/", {"phone": PHONE}, format="json").status_code == 202
    body = Notification.objects.filter(event="portal_code").latest("pk").body
    code = re.search(r"验证码(\d{6})", body).group(1)
    token = api.post("/api/v1/portal/phone-access/", {"phone": PHONE, "code": code}, format="json").json()["token"]
    api.credentials(HTTP_X_PORTAL_TOKEN=token)
    rated = api.post(f"/api/v1/portal/items/{case.number}/rating/", {"satisfaction": "satisfied"}, format="json")
    assert rated.status_code == 200 and rated.json()["satisfaction"] == "满意"
    again = api.post(f"/api/v1/portal/items/{case.number}/rating/", {"satisfaction": "satisfied"}, format="json")
    assert again.status_code == 409
    consent = api.post(f"/api/v1/portal/items/{case.number}/publication/", {"agreed": True}, format="json")
    assert consent.json()["publication"] == "agreed"


def test_the_api_has_its_own_throttles(world, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "portal_submit": "2/hour"},
    }
    from rest_framework.settings import api_settings

    api_settings.reload()
    try:
        api = APIClient()
        codes = [
            api.post("/api/v1/portal/submissions/", {**BODY, "phone": f"1391234002{i}", **_captcha(api)},
                     format="json").status_code
            for i in range(3)
        ]  # fmt: skip
        assert codes == [201, 201, 429]
        assert Submission.objects.count() == 2
    finally:
        api_settings.reload()


def test_the_portal_is_in_the_openapi_schema(world):
    schema = APIClient().get("/api/v1/schema/?format=json").json()
    paths = [p for p in schema["paths"] if p.startswith("/api/v1/portal/")]
    assert "/api/v1/portal/submissions/" in paths and "/api/v1/portal/items/{number}/rating/" in paths
    assert len(paths) == 14
