"""Possible duplicates: field errors first; matched on the worker and the story, never on
the enterprise and category alone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casework import selectors
from casework.models import Case
from tests.casework.helpers import INTAKE_FORM

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def others(make_case):
    """Eight cases at DEMO-E1 about wages, from other workers with other stories."""
    stories = [
        "食堂卫生条件差",
        "宿舍漏水无人修",
        "夜班没有补贴",
        "工作服不发放",
        "班车取消",
        "考勤系统出错",
        "年假不批",
        "体检未安排",
    ]
    return [
        make_case(
            worker={"name": f"工人{i}", "phone": f"1390000000{i}", "id_number": ""}, summary=s, request="请处理。"
        )
        for i, s in enumerate(stories)
    ]


def _login(client, users):
    assert client.login(username=users["desk"].username, password=PASSWORD)


def test_a_bad_id_number_is_an_error_before_any_warning(client, users, others):
    _login(client, users)
    response = client.post(reverse("casework:register"), {**INTAKE_FORM, "id_number": "110101203001011236"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "出生日期晚于今天" in html and "发现可能重复的案件，请在下方选择" not in html
    assert not any(c.number in html for c in others)
    response = client.post(
        reverse("casework:register"), {**INTAKE_FORM, "id_number": "11010519491231002X", "birth_month": "1950-01"}
    )
    assert "出生年月与身份证号码不符" in response.content.decode()
    assert "发现可能重复的案件，请在下方选择" not in response.content.decode()


def test_same_enterprise_and_category_alone_is_no_duplicate(client, users, others):
    _login(client, users)
    data = client.get(
        reverse("casework:duplicate_check"),
        {"id_number": "1101012030", "enterprise": "DEMO-E1", "category": "wages", "text": "拖欠两个月工资"},
    ).json()
    assert data == {"results": []}
    response = client.post(reverse("casework:register"), INTAKE_FORM)
    assert response.status_code == 302  # saved: no warning about unrelated cases


def test_matched_on_the_worker_and_the_story(users, others, make_case):
    desk = users["desk"]
    same_name = selectors.possible_duplicates(desk, name="工人3", enterprise="DEMO-E1")
    assert [c.number for c in same_name] == [others[3].number]
    assert selectors.possible_duplicates(desk, name="工人3", enterprise="DEMO-E5") == []
    by_phone = selectors.possible_duplicates(desk, phone="13900000005")
    assert [c.number for c in by_phone] == [others[5].number]
    story = selectors.possible_duplicates(desk, enterprise="DEMO-E1", text="宿舍漏水一直无人维修，请处理。")
    assert [c.number for c in story] == [others[1].number]
    assert selectors.possible_duplicates(desk, enterprise="DEMO-E1", text="企业拖欠三个月工资") == []


def test_the_page_warns_about_the_same_worker(client, users, others):
    _login(client, users)
    response = client.post(reverse("casework:register"), {**INTAKE_FORM, "phone": "13900000002"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "可能重复的案件" in html and others[2].number in html and others[4].number not in html
    assert Case.objects.count() == 8
