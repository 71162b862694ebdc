"""The worker's pages without JavaScript, small and self-contained; the desk's pages."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from casework.models import Case
from portal.models import Submission, SubmissionStatus

from .conftest import PHONE, captcha_fields

pytestmark = pytest.mark.django_db

FORM = {
    "name": "孙小梅", "phone": PHONE, "id_number": "", "enterprise": "东方机械", "category": "wages",
    "summary": "三个月没发工资。", "request": "补发工资。", "workers_involved": "3", "consent": "on",
}  # fmt: skip


def test_submit_without_javascript_then_follow(world):
    client = Client()
    response = client.post("/portal/submit/", {**FORM, **captcha_fields(client)})
    assert response.status_code == 302 and response["Location"] == "/portal/submitted/"
    receipt = client.get("/portal/submitted/").content.decode()
    submission = Submission.objects.get()
    assert submission.reference in receipt
    code = re.search(r'id="code">([A-Z0-9-]+)<', receipt).group(1)
    assert client.get("/portal/submitted/").status_code == 302  # shown once
    item = client.get(f"/portal/my/{submission.reference}/").content.decode()
    assert "等待区县总工会受理" in item
    other = Client()
    other.post("/portal/follow/", {"via": "code", "reference": submission.reference, "code": code})
    assert other.get(f"/portal/my/{submission.reference}/").status_code == 200


def test_bad_input_re_renders_in_chinese_with_nothing_written(world):
    client = Client()
    bad = {**FORM, "phone": "123", "id_number": "110105194912310021", "enterprise": "不存在的公司", "consent": ""}
    response = client.post("/portal/submit/", {**bad, **captcha_fields(client)})
    page = response.content.decode()
    assert response.status_code == 400
    for message in ("手机号码", "身份证号码校验位不正确", "没有找到该企业", "请阅读并同意"):
        assert message in page, message
    assert 'value="孙小梅"' in page  # what was typed stays
    wrong = client.post("/portal/submit/", {**FORM, "captcha_0": "x" * 40, "captcha_1": "999"})
    assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()
    assert not Submission.objects.exists()


def test_a_flood_gets_429(world, settings):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "submit_ip": "2/3600"}
    client = Client()
    for i in range(2):
        client.post("/portal/submit/", {**FORM, "phone": f"1391234001{i}", **captcha_fields(client)})
    response = client.post("/portal/submit/", {**FORM, "phone": "13912340019", **captcha_fields(client)})
    assert response.status_code == 429 and "稍后再试" in response.content.decode()
    assert Submission.objects.count() == 2


def test_pages_are_small_and_self_contained(answered):
    _s, code, case = answered()
    client = Client()
    client.post("/portal/follow/", {"via": "code", "reference": case.number, "code": code})
    from pathlib import Path

    css = Path(finders.find("portal/portal.css")).stat().st_size
    js = Path(finders.find("portal/portal.js")).stat().st_size
    for url in ("/portal/", "/portal/submit/", "/portal/follow/", "/portal/my/", f"/portal/my/{case.number}/",
                f"/portal/my/{case.number}/letter/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert len(response.content) + css + (js if "portal.js" in html else 0) <= 50 * 1024, url
        assert not re.search(r'(src|href)="(https?:)?//', html), f"{url} loads a third-party asset"
        assert 'name="viewport"' in html and 'lang="zh-hans"' in html


def test_enterprise_picker(world):
    data = Client().get("/portal/enterprises.json?q=东方").json()
    assert data["results"] == ["东方机械制造有限公司"]


def test_the_desk_accepts_and_declines(submit, users):
    first, _ = submit()
    second, _ = submit(phone="13912340002")
    desk = Client()
    desk.force_login(users["desk"])
    page = desk.get("/portal/desk/").content.decode()
    assert first.reference in page and second.reference in page
    assert "网上职工心声" in desk.get("/cases/inbox/").content.decode()  # the nav link
    response = desk.post(f"/portal/desk/{first.pk}/", {"decision": "accept", "category": "wages"})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.number}/"
    assert case.owner == users["desk"] and case.channel.code == "online"
    empty = desk.post(f"/portal/desk/{second.pk}/", {"decision": "decline", "guidance": ""})
    assert empty.status_code == 400 and "告知与指引" in empty.content.decode()
    desk.post(f"/portal/desk/{second.pk}/", {"decision": "decline", "guidance": "请向区劳动人事争议仲裁院申请仲裁。"})
    second.refresh_from_db()
    assert second.status == SubmissionStatus.DECLINED
    sms = desk.get("/portal/desk/sms/").content.decode()
    assert second.reference in sms and "未予受理" in sms
    elsewhere = Client()
    elsewhere.force_login(users["officer_elsewhere"])
    assert elsewhere.get("/portal/desk/").status_code == 403
    from django.contrib.auth import get_user_model

    desk_b = Client()
    desk_b.force_login(get_user_model().objects.get(username="desk_2"))
    assert first.reference not in desk_b.get("/portal/desk/").content.decode()
    assert desk_b.get(f"/portal/desk/{second.pk}/").status_code == 404


def test_sms_log_is_gone_with_a_real_gateway(users, settings):
    settings.NOTIFICATIONS_SMS_BACKEND = "http"
    desk = Client()
    desk.force_login(users["desk"])
    assert desk.get("/portal/desk/sms/").status_code == 404


def test_the_worker_rates_reopens_and_the_ratings_report(answered, users):
    _s, code, case = answered()
    client = Client()
    client.post("/portal/follow/", {"via": "code", "reference": case.number, "code": code})
    bad = client.post(f"/portal/my/{case.number}/rate/", {"satisfaction": "great"})
    assert bad.status_code == 400
    done = client.post(f"/portal/my/{case.number}/rate/", {"satisfaction": "dissatisfied", "comment": "没补齐"})
    assert done.status_code == 302
    twice = client.post(f"/portal/my/{case.number}/rate/", {"satisfaction": "satisfied"})
    assert twice.status_code == 409 and "不能重复评价" in twice.content.decode()
    page = client.get(f"/portal/my/{case.number}/").content.decode()
    assert "申请复查" in page
    union = re.search(r'name="union" value="(\d+)"', page).group(1)
    scores = {"union": union, "contact": "4", "rights": "4", "efficiency": "3", "conduct": "5", "comment": "还行"}
    assert client.post(f"/portal/my/{case.number}/union/", scores).status_code == 302
    reopened = client.post(f"/portal/my/{case.number}/reopen/", {"reason": "仍有一个月工资未补发。"})
    assert reopened.status_code == 302
    case.refresh_from_db()
    assert case.status == "government" and case.reopen_count == 1
    supervisor = Client()
    supervisor.force_login(users["supervisor"])
    report = supervisor.get("/portal/desk/ratings/").content.decode()
    assert "东方机械制造有限公司工会" in report and "还行" in report and "孙小梅" not in report
    desk = Client()
    desk.force_login(users["desk"])
    assert desk.get("/portal/desk/ratings/").status_code == 403
