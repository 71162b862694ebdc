"""Access: a query code opens only its own case; wrong codes lock; SMS codes expire and lock;
every portal view of a case is in the access log; 对企业匿名 hides the worker from the enterprise."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from casework.clock import now
from notifications.models import Notification
from portal import services
from portal.codes import MAX_FAILURES
from portal.services.access import AccessDenied
from reports.models import AccessLog

from .conftest import PHONE

pytestmark = pytest.mark.django_db


def _open(client, reference, code):
    return client.post("/portal/follow/", {"via": "code", "reference": reference, "code": code})


def test_a_query_code_opens_only_its_case(accepted):
    s1, code1, case1 = accepted()
    s2, code2, case2 = accepted(phone="13912340002", name="周大勇")
    client = Client()
    assert _open(client, case1.number, code1).status_code == 302
    assert client.get(f"/portal/my/{case1.number}/").status_code == 200
    assert client.get(f"/portal/my/{case2.number}/").status_code == 404
    assert client.get(f"/portal/my/{s2.reference}/").status_code == 404
    assert client.post(f"/portal/my/{case2.number}/withdraw/", {"reason": "x"}).status_code == 404
    page = client.get("/portal/my/").content.decode()
    assert case1.number in page and case2.number not in page and "周大勇" not in page
    # The reference works as well as the case number, in lower case and with a dash in the code.
    other = Client()
    assert _open(other, s2.reference.lower(), code2[:4].lower() + "-" + code2[4:]).status_code == 302
    assert other.get(f"/portal/my/{case2.number}/").status_code == 200
    # The code of one case with the number of another opens nothing.
    third = Client()
    response = _open(third, case2.number, code1)
    assert response.status_code == 403 and "编号或查询码不正确" in response.content.decode()


def test_wrong_query_codes_lock_the_submission(accepted):
    submission, code, case = accepted()
    client = Client()
    for _ in range(MAX_FAILURES):
        assert _open(client, case.number, "WRONGONE").status_code == 403
    response = _open(client, case.number, code)
    assert response.status_code == 403 and "已锁定" in response.content.decode()
    with time_machine.travel(now() + dt.timedelta(minutes=31)):
        assert _open(client, case.number, code).status_code == 302


def test_many_tries_from_one_address_get_429(accepted, settings):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "verify_ip": "3/3600"}
    _s, code, case = accepted()
    client = Client()
    for _ in range(3):
        _open(client, "GH-NOPE", "ABCDEFGH")
    assert _open(client, case.number, code).status_code == 429


def _sms_code(phone: str) -> str:
    body = Notification.objects.filter(event="portal_code", address=phone).latest("pk").body
    return re.search(r"验证码(\d{6})", body).group(1)


def test_phone_and_sms_code_open_every_case_of_that_phone(accepted, make_case):
    _s, _code, case1 = accepted()
    case2 = make_case(worker={"name": "孙小梅", "phone": PHONE, "id_number": ""})  # registered at the desk
    stranger = make_case(worker={"name": "别人", "phone": "13812345678", "id_number": ""})
    client = Client()
    sent = client.post("/portal/follow/", {"via": "phone", "phone": PHONE, "send": "1"})
    assert sent.status_code == 200 and "验证码已发送" in sent.content.decode()
    code = _sms_code(PHONE)
    response = client.post("/portal/follow/", {"via": "phone", "phone": PHONE, "code": code, "verify": "1"})
    assert response.status_code == 302
    page = client.get("/portal/my/").content.decode()
    assert case1.number in page and case2.number in page and stranger.number not in page
    # used once
    again = Client().post("/portal/follow/", {"via": "phone", "phone": PHONE, "code": code, "verify": "1"})
    assert again.status_code == 403


def test_sms_codes_expire_and_lock(accepted):
    accepted()
    services.phone_code_send(phone=PHONE, ip="10.0.0.1")
    code = _sms_code(PHONE)
    with time_machine.travel(now() + dt.timedelta(minutes=6)), pytest.raises(AccessDenied, match="过期"):
        services.open_by_phone(phone=PHONE, code=code, ip="10.0.0.1")
    with time_machine.travel(now() + dt.timedelta(minutes=7)):
        services.phone_code_send(phone=PHONE, ip="10.0.0.1")
        code = _sms_code(PHONE)
        wrong = "000000" if code != "000000" else "111111"
        for _ in range(MAX_FAILURES - 1):
            with pytest.raises(AccessDenied, match="还可以再试"):
                services.open_by_phone(phone=PHONE, code=wrong, ip="10.0.0.1")
        with pytest.raises(AccessDenied, match="错误次数过多"):
            services.open_by_phone(phone=PHONE, code=wrong, ip="10.0.0.1")
        with pytest.raises(AccessDenied, match="错误次数过多"):  # the right code is burnt too
            services.open_by_phone(phone=PHONE, code=code, ip="10.0.0.1")
        with pytest.raises(AccessDenied, match="错误次数过多"):  # and the phone is held
            services.phone_code_send(phone=PHONE, ip="10.0.0.1")


def test_sms_codes_are_limited_per_phone_and_go_only_to_known_phones(accepted, settings):
    from portal.limits import TooManyRequests

    accepted()
    services.phone_code_send(phone="13700001234", ip="10.0.0.1")  # unknown: same answer, no SMS
    assert not Notification.objects.filter(event="portal_code", address="13700001234").exists()
    services.phone_code_send(phone=PHONE, ip="10.0.0.1")
    with pytest.raises(TooManyRequests, match="1 分钟"):
        services.phone_code_send(phone=PHONE, ip="10.0.0.2")
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "code_phone": "2/3600"}
    with time_machine.travel(now() + dt.timedelta(minutes=2)), pytest.raises(TooManyRequests):
        services.phone_code_send(phone=PHONE, ip="10.0.0.3")


def test_every_portal_view_of_a_case_is_in_the_access_log(accepted):
    _s, code, case = accepted()
    client = Client(REMOTE_ADDR="10.1.2.3")
    _open(client, case.number, code)
    client.get("/portal/my/")
    client.get(f"/portal/my/{case.number}/")
    logged = AccessLog.objects.filter(case=case, kind="portal")
    assert logged.count() == 2 and {e.ip for e in logged} == {"10.1.2.3"}
    assert {e.user.username for e in logged} == {"portal"}


def test_anonymous_towards_the_enterprise(accepted, users):
    _s, _code, case = accepted(anonymous_to_enterprise=True)
    enterprise = Client()
    enterprise.force_login(users["officer_enterprise"])
    for url in (f"/cases/{case.number}/", "/cases/queue/", f"/cases/{case.number}/receipt/", "/cases/all/"):
        page = enterprise.get(url).content.decode()
        assert "孙小梅" not in page and "对企业匿名" in page, url
        assert "1391234" not in page, url
    data = enterprise.get(f"/api/v1/cases/{case.number}/?unmask=1").json()
    assert data["worker"]["name"] == "（对企业匿名）" and data["worker"]["phone"] == ""
    desk = Client()
    desk.force_login(users["desk"])
    assert "孙小梅" in desk.get(f"/cases/{case.number}/").content.decode()
    _s2, _c2, plain = accepted(phone="13912340002")
    assert "孙小梅" in enterprise.get(f"/cases/{plain.number}/").content.decode()
