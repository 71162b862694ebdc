"""Layout of the staff pages in Chromium: words stay whole, charts fit, one message, theme
links, and the error pages keep the app's menu."""

from __future__ import annotations

import re

import pytest

from casework import services

from ..conftest import PASSWORD, case_input

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Heights of one line of each matching element's text, in multiples of its font size.
LINE_RATIOS = """sel => [...document.querySelectorAll(sel)]
  .filter(e => e.offsetParent && e.textContent.trim())
  .map(e => {
    const r = document.createRange(); r.selectNodeContents(e);
    const size = parseFloat(getComputedStyle(e).fontSize);
    return {text: e.textContent.trim(), ratio: r.getBoundingClientRect().height / size};
  })"""

CLIPPED_TEXT = """() => [...document.querySelectorAll('svg[role=img]')].flatMap(svg => {
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].filter(t => {
    const r = t.getBoundingClientRect(); return r.right > box.right + 0.5 || r.left < box.left - 0.5;
  }).map(t => t.textContent);
})"""


def login(browser, live_server, user, *, width=1366, height=768):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(re.compile(r"/cases/"))
    return page


@pytest.fixture
def cases(users):
    made = [services.case_register(actor=users["desk"], data=case_input()) for _ in range(3)]
    services.case_resolve(case=made[0].number, actor=users["officer_enterprise"], outcome="resolved", result="已补发")
    return made


@pytest.mark.parametrize("width", [390, 1366])
def test_headings_and_case_numbers_stay_on_one_line(browser, live_server, users, cases, width):
    page = login(browser, live_server, users["desk"], width=width, height=844)
    for path in ("/cases/all/", "/notifications/", f"/reports/cases/{cases[0].number}/audit/"):
        if path.startswith("/reports/"):
            page.context.close()
            page = login(browser, live_server, users["supervisor"], width=width, height=844)
        page.goto(f"{live_server.url}{path}")
        for row in page.evaluate(LINE_RATIOS, ".cw-table th, .cw-table td a[href^='/cases/GH']"):
            assert row["ratio"] < 2, f"{path} at {width}px: {row['text']!r} wraps"
    page.context.close()


def test_charts_fit_their_labels(browser, live_server, users, cases):
    page = login(browser, live_server, users["supervisor"])
    page.goto(f"{live_server.url}/reports/outcomes/")
    assert page.locator("svg[role=img]").count() >= 2
    assert page.evaluate(CLIPPED_TEXT) == []
    widths = page.eval_on_selector_all("svg[role=img]", "els => els.map(e => e.getBoundingClientRect().width)")
    assert max(widths) > 640  # not a fixed 640 px on a wide screen
    page.context.close()


def test_a_success_message_shows_once_and_links_wear_the_theme(browser, live_server, users, cases):
    page = login(browser, live_server, users["desk"])
    case = cases[1]
    page.goto(f"{live_server.url}/cases/{case.number}/act/note/")
    page.fill("textarea[name=content]", "已电话联系企业人事部门。")
    page.click("form.cw-form button[type=submit]")
    page.wait_for_url(re.compile(rf"/cases/{case.number}/$"))
    message = page.locator(".cw-msg").first.inner_text()
    assert message
    page.wait_for_timeout(300)  # the toast, if any, would be showing by now
    shown = page.evaluate("t => document.body.innerText.split(t).length - 1", message)
    assert shown == 1
    link = page.locator(".cw-content a:not(.mdc-button)").first
    style = link.evaluate("a => [getComputedStyle(a).color, getComputedStyle(a).textDecorationLine]")
    assert style[0] != "rgb(0, 0, 238)" and style[1] == "none"
    page.context.close()


def test_error_pages_keep_the_menu(browser, live_server, users):
    page = login(browser, live_server, users["desk"])
    response = page.goto(f"{live_server.url}/cases/GH-1999-000001/")
    assert response.status == 404
    assert page.locator("aside.vf-page__menu").count() == 1 and "找不到您要的页面" in page.content()
    response = page.goto(f"{live_server.url}/reports/")
    assert response.status == 403
    assert page.locator("aside.vf-page__menu").count() == 1 and "没有访问此页面的权限" in page.content()
    page.context.close()
