"""/api/v1/docs/ in a real browser, under the site's Content-Security-Policy."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_lists_the_endpoints(browser, live_server):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    response = page.goto(f"{live_server.url}/api/v1/docs/")
    csp = response.headers["content-security-policy"]
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0]  # scripts stay strict
    page.wait_for_selector(".opblock", timeout=15000)
    text = page.inner_text("#swagger-ui")
    assert "/api/v1/cases/" in text
    assert "/api/v1/tasks/" in text
    assert errors == []
    context.close()
