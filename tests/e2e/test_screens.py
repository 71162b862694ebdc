"""The screenshots in docs/screens.md, taken by the browser on every run (so they stay current),
and the README's journey on a phone-sized window.

The shots are of the viewport (not the full page), at a desktop size and at 390×844, of what
``make run`` shows: the demo (``seed_demo``) with its two years of cases. Each PNG is reduced to
a 64-colour palette so the docs stay small.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from casework.demo import seed_demo
from casework.models import Case

from ..conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
NO_OVERFLOW = "document.documentElement.scrollWidth"
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 391
    && ![...e.children].some(c => c.getBoundingClientRect().right > 391))
  .slice(0, 8)
  .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)
"""


def login(browser, live_server, username, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(re.compile(r"/cases/"))
    return page


def save(page, name: str) -> Path:
    from PIL import Image

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))  # the viewport
    with Image.open(path) as shot:
        small = shot.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)
    return path


@pytest.fixture
def demo(users):
    seed_demo(cases=40)
    return Case.objects.filter(status="closed", county__code="DEMO-K1").order_by("-closed_at").first()


def test_screens_for_the_docs(browser, live_server, demo):
    for size, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        _shoot_screens(browser, live_server, demo, size, viewport)


def _shoot_screens(browser, live_server, demo, size, viewport):
    start = (timezone.localdate() - dt.timedelta(days=729)).isoformat()
    shots = [
        ("desk", "desk", "/cases/new/", "登记受理", True),
        ("officer_union", "inbox", "/cases/inbox/", "待办任务", True),
        ("desk", "case", f"/cases/{demo.number}/", demo.number, True),
        ("supervisor", "report", f"/reports/outcomes/?from={start}", "事事有结果", True),
        ("supervisor", "dashboard", "/reports/", "督导工作台", True),
    ]
    for username, name, path, expected, must_fit in shots:
        page = login(browser, live_server, username, viewport)
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("load")
        assert expected in page.content(), path
        if size == "phone" and must_fit:
            assert page.evaluate(NO_OVERFLOW) <= PHONE["width"] + 1, (path, page.evaluate(WIDEST))
        out = save(page, f"{name}-{size}")
        assert 0 < out.stat().st_size < 250_000, out
        page.context.close()


def test_the_readme_journey_on_a_phone(browser, live_server, users):
    """README: desk 登记受理 (DEMO-E1) → officer_enterprise 单位待认领 → 认领 → 上报上一层级 →
    officer_union 形成办理结果 → desk 答复职工 → 回访 → 已办结; every page fits 390 px, and the
    pages are reached through the menu drawer where a phone user would."""

    def fits(page):
        assert page.evaluate(NO_OVERFLOW) <= PHONE["width"] + 1, page.url

    def menu(page, label, url_part):
        page.click("button.mdc-top-app-bar__navigation-icon")
        page.wait_for_selector("aside.vf-page__menu.mdc-drawer--open:not(.mdc-drawer--opening)")
        page.locator("aside.vf-page__menu").locator(f"text={label}").first.click()
        page.wait_for_url(re.compile(url_part))
        fits(page)

    def act(page, number, action):
        page.goto(f"{live_server.url}/cases/{number}/")
        fits(page)
        page.click(f"a[data-action={action}]")
        page.wait_for_url(re.compile(rf"/act/{action}/"))
        fits(page)

    def submit(page, number):
        page.click("form.cw-form button[type=submit]")
        page.wait_for_url(re.compile(rf"/cases/{number}/$"))
        fits(page)

    page = login(browser, live_server, "desk", PHONE)
    menu(page, "登记受理", r"/cases/new/")
    page.fill("#id_name", "赵六")
    page.fill("#id_phone", "13700137000")
    page.fill("#id_enterprise", "DEMO-E1")
    page.select_option("#id_category", "wages")
    page.select_option("#id_channel", "reception_day")
    page.fill("#id_summary", "企业拖欠三个月工资。")
    page.fill("#id_request", "要求足额支付拖欠的工资。")
    page.check("#id_consent")
    page.click("#intake-submit")
    page.wait_for_url(re.compile(r"/receipt/$"))
    fits(page)
    case = Case.objects.get()
    page.context.close()

    page = login(browser, live_server, "officer_enterprise", PHONE)
    menu(page, "单位待认领", r"/cases/queue/")
    assert case.number in page.content()
    act(page, case.number, "claim")
    submit(page, case.number)
    act(page, case.number, "escalate")
    page.fill("#id_reason", "企业表示资金困难，无法在企业层面解决。")
    submit(page, case.number)
    page.context.close()

    page = login(browser, live_server, "officer_union", PHONE)
    act(page, case.number, "claim")
    submit(page, case.number)
    act(page, case.number, "resolve")
    page.select_option("#id_outcome", "resolved")
    page.fill("#id_result", "经区总工会协调，企业承诺本月底前补发全部工资。")
    submit(page, case.number)
    page.context.close()

    page = login(browser, live_server, "desk", PHONE)
    menu(page, "待办任务", r"/cases/inbox/")
    assert case.number in page.content()
    act(page, case.number, "reply")
    page.select_option("#id_method", "phone")
    page.fill("#id_content", "已电话告知职工办理结果。")
    submit(page, case.number)
    act(page, case.number, "followup")
    page.check("input[name=satisfaction][value=satisfied]")
    submit(page, case.number)
    assert "已办结" in page.content()
    case.refresh_from_db()
    assert case.status == "closed" and case.satisfaction == "satisfied"
    page.context.close()
