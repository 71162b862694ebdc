"""The staff pages' shell in a real browser: no script errors, a menu that opens on a phone."""

from __future__ import annotations

import re

import pytest

from ..conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(browser, live_server, user, *, width=1366, height=768):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(re.compile(r"/cases/"))
    return page, errors


@pytest.mark.parametrize("role", ["desk", "officer_enterprise", "leader", "supervisor", "admin"])
def test_no_script_error_on_any_page_of_the_menu(browser, live_server, users, role):
    page, errors = login(browser, live_server, users[role])
    hrefs = page.eval_on_selector_all("aside.vf-page__menu a[href]", "els => els.map(e => e.getAttribute('href'))")
    hrefs = [h for h in hrefs if not h.startswith("/admin/")] + ["/notifications/"]
    assert len(hrefs) >= 4
    for path in hrefs:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("load")
        assert errors == [], f"{path}: {errors}"
    page.context.close()


def test_menu_opens_on_a_phone(browser, live_server, users):
    page, errors = login(browser, live_server, users["desk"], width=390, height=844)
    drawer = page.locator("aside.vf-page__menu")
    assert not drawer.locator("text=登记受理").is_visible()
    page.click("button.mdc-top-app-bar__navigation-icon")
    # Opened, and its slide-in finished (as a person sees it before tapping an entry).
    page.wait_for_selector("aside.vf-page__menu.mdc-drawer--open:not(.mdc-drawer--animate):not(.mdc-drawer--opening)")
    drawer.locator("text=登记受理").wait_for(state="visible")
    assert drawer.locator("text=退出登录").is_visible()
    drawer.locator("text=登记受理").click()
    page.wait_for_url(re.compile(r"/cases/new/"))
    assert errors == []
    page.context.close()


def test_menu_toggles_on_desktop(browser, live_server, users):
    page, errors = login(browser, live_server, users["officer_enterprise"])
    drawer = page.locator("aside.vf-page__menu")
    was_open = "mdc-drawer--open" in (drawer.get_attribute("class") or "")
    page.click("button.mdc-top-app-bar__navigation-icon")
    selector = "aside.vf-page__menu" + (":not(.mdc-drawer--open)" if was_open else ".mdc-drawer--open")
    page.wait_for_selector(selector, state="attached")
    assert errors == []
    page.context.close()
