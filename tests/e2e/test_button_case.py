"""Button labels keep the case they are written in: Material buttons upper-case their text
("导出 EXCEL"); static/casework/casework.css turns that off."""

from __future__ import annotations

import pytest

from .test_staff_layout import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_export_button_reads_as_written(browser, live_server, users):
    page = login(browser, live_server, users["supervisor"])
    page.goto(f"{live_server.url}/reports/outcomes/")
    button = page.locator("a.mdc-button", has_text="导出 Excel")
    assert button.evaluate("e => getComputedStyle(e).textTransform") == "none"
    assert button.inner_text().strip() == "导出 Excel"  # what is drawn, not the source text
