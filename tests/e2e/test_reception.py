"""A reception day in a real browser: plan it, receive three workers (one answered on the spot,
one filed as a case, one group), close the session and print its summary."""

from __future__ import annotations

import re

import pytest

from casework.models import Case
from reception.models import ReceptionSession, SessionStatus

from ..reception.conftest import MORNING
from .test_journey import open_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reception_day(browser, live_server, users, shoot, tmp_path, time_machine):
    time_machine.move_to(MORNING, tick=True)
    page = open_as(browser, live_server, users["desk"])
    page.goto(f"{live_server.url}/reception/new/")
    page.fill("#id_starts_at", "2026-06-01T09:00")
    page.fill("#id_ends_at", "2026-06-01T12:00")
    page.fill("#id_place", "区总工会职工服务中心")
    page.select_option("#id_form", "regular")
    page.check(f"input[name=leaders][value='{users['leader'].pk}']")
    shoot(page, "reception-01-plan")
    page.click("form.cw-form button[type=submit]")
    page.wait_for_url(re.compile(r"/reception/\d+/$"))
    session = ReceptionSession.objects.get()
    page.click("text=开始接待")
    page.wait_for_selector("#entry-form")

    def receive(name, head_count=1, category=None):
        form = page.locator("#entry-form")
        form.locator("#id_worker_name").fill(name)
        form.locator("#id_head_count").fill(str(head_count))
        form.locator("#id_enterprise").select_option(label="东方机械制造有限公司")
        if category:
            form.locator("#id_category").select_option(label=category)
        form.locator("#id_raised").fill("企业拖欠工资。")
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()

    receive("甲")
    receive("乙", category="劳动报酬（工资拖欠）")
    receive("丙", head_count=8)
    answer = page.locator("#entry-1 form").first
    answer.locator("select[name=outcome]").select_option("answered")
    answer.locator("textarea[name=text]").fill("已当场解释工资支付规定。")
    answer.locator("button[type=submit]").click()
    page.wait_for_load_state()
    file_case = page.locator("#entry-2 form").nth(1)
    file_case.locator("input[name=consent]").check()
    file_case.locator("button[type=submit]").click()
    page.wait_for_load_state()
    group = page.locator("#entry-3 form").first
    group.locator("select[name=outcome]").select_option("referred")
    group.locator("textarea[name=text]").fill("区人社局劳动保障监察大队")
    group.locator("button[type=submit]").click()
    page.wait_for_load_state()
    shoot(page, "reception-02-register")
    page.click("text=结束接待")
    page.wait_for_selector("text=接待情况汇总")
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED
    case = Case.objects.get()
    assert case.reception_entry.number == 2 and case.receiving_leader == users["leader"]
    page.click("text=接待情况汇总")
    page.wait_for_url(re.compile(r"/summary/$"))
    text = page.content()
    assert case.number in text and "主席接待日接待情况汇总" in text
    assert page.locator("text=涉及人数").count() >= 1
    shoot(page, "reception-03-summary")
    page.emulate_media(media="print")
    assert page.locator(".cw-noprint").is_hidden()
    page.pdf(path=str(tmp_path / "summary.pdf"))
    page.context.close()
