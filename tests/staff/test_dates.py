"""Deadlines read as their last day (12月19日前) with 剩余 N 天 / 超期 N 天; one date format."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine

from casework.templatetags.casework import due_date, due_day, due_left

from ..conftest import PASSWORD

SH = ZoneInfo("Asia/Shanghai")
DUE = dt.datetime(2026, 12, 20, 0, 0, tzinfo=SH)  # the limit ends as the 20th begins


def test_a_midnight_deadline_is_the_day_before():
    now = dt.datetime(2026, 12, 17, 9, 0, tzinfo=SH)
    assert due_day(DUE, now) == "12月19日前"
    assert due_date(DUE) == "2026年12月19日"
    assert due_left(DUE, now) == "剩余 2 天"
    assert due_left(DUE, dt.datetime(2026, 12, 19, 23, 0, tzinfo=SH)) == "今天到期"
    assert due_left(DUE, dt.datetime(2026, 12, 22, 8, 0, tzinfo=SH)) == "超期 3 天"
    assert due_day(dt.datetime(2026, 12, 20, 17, 30, tzinfo=SH), now) == "12月20日前"
    assert due_day(dt.datetime(2027, 1, 4, 0, 0, tzinfo=SH), now) == "2027年1月3日前"


@pytest.mark.django_db
def test_lists_and_case_page_show_the_last_day(client, users, make_case):
    with time_machine.travel(dt.datetime(2026, 12, 14, 10, 0, tzinfo=SH), tick=False):
        case = make_case()
        assert client.login(username=users["desk"].username, password=PASSWORD)
        for url in ("/cases/all/", f"/cases/{case.number}/"):
            html = client.get(url).content.decode()
            assert re.search(r"\d+月\d+日前", html), url
            assert re.search(r"剩余 \d+ 天", html), url
            assert not re.search(r">\d{4}年\d+月\d+日 00:00<", html), url


@pytest.mark.django_db
def test_notifications_and_audit_share_the_format(client, users, make_case):
    case = make_case()
    assert client.login(username=users["supervisor"].username, password=PASSWORD)
    audit = client.get(f"/reports/cases/{case.number}/audit/").content.decode()
    assert not re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", audit.split("<main", 1)[-1])
    assert client.login(username=users["desk"].username, password=PASSWORD)
    notes = client.get("/notifications/").content.decode()
    assert not re.search(r">\d{4}-\d{2}-\d{2} \d{2}:\d{2}<", notes)
