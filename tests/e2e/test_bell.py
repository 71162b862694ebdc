"""The bell in Chromium: it opens a short dropdown of the latest unread notifications,
repeats of one case and kind shown once with a count; mark one line or all read without
leaving the page; under the strict CSP (no console error)."""

from __future__ import annotations

import re

import pytest

from casework import services
from notifications.models import Notification

from ..conftest import PASSWORD, case_input

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(browser, live_server, user, *, width=1366, height=768):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(re.compile(r"/cases/"))
    return page, errors


@pytest.mark.parametrize("width", [390, 1366])
def test_the_bell_dropdown_groups_and_marks_read(browser, live_server, users, width):
    officer = users["officer_enterprise"]
    urged = services.case_register(actor=users["desk"], data=case_input())
    services.case_register(actor=users["desk"], data=case_input())
    from escalation.services import case_urge

    for message in ("请加快办理。", "请今天反馈。"):
        case_urge(case=urged.number, actor=users["supervisor"], message=message)
    mine = Notification.objects.filter(user=officer, channel="inapp", read_at__isnull=True)
    assert mine.filter(event="urge").count() == 2 and mine.count() == 4  # 2 × 新任务, 2 × 催办

    page, errors = login(browser, live_server, officer, width=width, height=844)
    bell = page.locator(".cw-bell")
    assert bell.locator(".cw-bell__count").inner_text() == "4"
    bell.click()
    panel = page.locator("#cw-bell-panel")
    panel.locator(".cw-bell-item").first.wait_for()
    assert bell.get_attribute("aria-expanded") == "true"
    assert panel.locator(".cw-bell-item").count() == 3  # the two 催办 of one case are one line
    urge_line = panel.locator(".cw-bell-item", has_text="×2")
    assert urge_line.count() == 1
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width  # on screen, also on a phone

    urge_line.get_by_role("button", name="标为已读").click()
    page.wait_for_function("() => document.querySelector('.cw-bell__count')?.textContent === '2'")
    assert panel.locator(".cw-bell-item").count() == 2
    assert mine.filter(event="urge").count() == 0
    assert page.url.endswith("/cases/inbox/")  # still on the page it was opened from

    panel.get_by_role("button", name="全部标为已读").click()
    panel.locator(".cw-bell-empty").wait_for()
    assert bell.locator(".cw-bell__count").count() == 0
    assert mine.count() == 0

    page.keyboard.press("Escape")
    assert panel.is_hidden()
    assert errors == []
    page.context.close()


def test_view_opens_the_case_and_marks_its_line_read(browser, live_server, users):
    officer = users["officer_enterprise"]
    case = services.case_register(actor=users["desk"], data=case_input())
    page, errors = login(browser, live_server, officer)
    page.locator(".cw-bell").click()
    line = page.locator("#cw-bell-panel .cw-bell-item").first
    line.wait_for()
    line.get_by_role("button", name="查看").click()
    page.wait_for_url(re.compile(rf"/cases/{case.number}/$"))
    assert not Notification.objects.filter(user=officer, channel="inapp", read_at__isnull=True).exists()
    assert errors == []
    page.context.close()
