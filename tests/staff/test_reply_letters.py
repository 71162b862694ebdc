"""Every 答复意见书 ever sent stays readable: one letter per round, also after 复查."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casework import services
from tests.casework.helpers import bring_to

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _get(client, user, name, *args):
    assert client.login(username=user.username, password=PASSWORD)
    return client.get(reverse(name, args=args))


def test_a_reopened_case_keeps_its_first_letter(client, users, make_case):
    case = bring_to("closed", users, make_case, satisfaction="dissatisfied")
    services.case_reopen(case=case.number, actor=users["desk"], reason="职工不满意，申请复查")
    desk = users["desk"]

    latest = _get(client, desk, "casework:reply_letter", case.number)
    assert latest.status_code == 200
    assert "已协调解决" in latest.content.decode() and "电话告知" in latest.content.decode()
    first = _get(client, desk, "casework:reply_letter_round", case.number, 1)
    assert first.status_code == 200 and "第 1 轮" in first.content.decode()
    assert _get(client, desk, "casework:reply_letter_round", case.number, 2).status_code == 404
    page = _get(client, desk, "casework:detail", case.number).content.decode()
    assert reverse("casework:reply_letter_round", args=[case.number, 1]) in page

    # Round two: a new result and reply; both letters read as sent.
    services.case_resolve(case=case.number, actor=users["officer_union"], outcome="resolved", result="复查后补发工资")
    services.case_reply(case=case.number, actor=desk, method="letter", content="书面告知复查结果")
    second = _get(client, desk, "casework:reply_letter_round", case.number, 2).content.decode()
    assert "复查后补发工资" in second and "书面告知复查结果" in second
    first = _get(client, desk, "casework:reply_letter_round", case.number, 1).content.decode()
    assert "已协调解决" in first and "复查后补发工资" not in first


def test_no_letter_before_a_result_or_for_strangers(client, users, make_case):
    case = bring_to("enterprise", users, make_case)
    assert _get(client, users["desk"], "casework:reply_letter", case.number).status_code == 404
    assert _get(client, users["desk"], "casework:reply_letter_round", case.number, 1).status_code == 404
    replied = bring_to("replied", users, make_case)
    outsider = users["officer_elsewhere"]
    assert _get(client, outsider, "casework:reply_letter_round", replied.number, 1).status_code == 404
