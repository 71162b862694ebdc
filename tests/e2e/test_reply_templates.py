"""常用答复语 in a real browser: picking one fills 答复内容 under the strict CSP (no inline
script, no console error), asks before replacing other words, and the reply sent is then among
what the worker was told (告知职工) on the case page."""

from __future__ import annotations

import pytest

from casework.models import ReplyTemplate
from tests.casework.helpers import bring_to

from .test_journey import open_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pick_a_reply_template(browser, live_server, users, make_case, shoot):
    case = bring_to("answered", users, make_case)
    paid = ReplyTemplate.objects.get(title="工资已补发").text
    solved = ReplyTemplate.objects.get(title="已协调解决").text
    page = open_as(browser, live_server, users["desk"])
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/cases/{case.number}/act/reply/")

    page.click("button[data-reply-template]:has-text('工资已补发')")
    assert page.input_value("#id_content") == paid

    # Other words in the field: the browser asks first; declining keeps them.
    page.fill("#id_content", "我自己写的答复")
    page.once("dialog", lambda d: d.dismiss())
    page.click("button[data-reply-template]:has-text('已协调解决')")
    assert page.input_value("#id_content") == "我自己写的答复"
    page.once("dialog", lambda d: d.accept())
    page.click("button[data-reply-template]:has-text('已协调解决')")
    assert page.input_value("#id_content") == solved
    shoot(page, "reply-templates")

    page.select_option("#id_method", "phone")
    page.click("form.cw-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/cases/{case.number}/")
    assert solved in page.inner_text("[data-section=told]")
    assert solved not in page.inner_text("[data-section=internal]")
    assert errors == []
