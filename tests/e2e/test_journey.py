"""One case from the desk to closing, in a real browser, with a screenshot of each step."""

from __future__ import annotations

import re

import pytest

from casework.models import Case

from ..conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _attachments(settings, tmp_path):
    settings.CASEWORK_ATTACHMENT_ROOT = tmp_path / "attachments"


def open_as(browser, live_server, user, *, width=1366, height=768):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(re.compile(r"/cases/"))
    return page


def act(page, live_server, number, action):
    page.goto(f"{live_server.url}/cases/{number}/")
    page.click(f"a[data-action={action}]")
    page.wait_for_url(re.compile(rf"/act/{action}/"))


def submit(page, number):
    page.click("form.cw-form button[type=submit]")
    page.wait_for_url(re.compile(rf"/cases/{number}/$"))


def test_desk_to_closing(browser, live_server, users, shoot, tmp_path):
    # 1. The desk registers a case with the keyboard and an attachment, and prints the receipt.
    page = open_as(browser, live_server, users["desk"])
    page.goto(f"{live_server.url}/cases/new/")
    assert page.evaluate("document.activeElement.id") == "id_name"
    page.keyboard.type("赵六")
    page.fill("#id_phone", "13700137000")
    page.fill("#id_id_number", "11010519491231002X")
    page.fill("#id_enterprise", "DEMO-E1")
    page.select_option("#id_category", "wages")
    page.select_option("#id_channel", "reception_day")
    page.fill("#id_summary", "企业拖欠三个月工资。")
    page.fill("#id_request", "要求足额支付拖欠的工资。")
    scan = tmp_path / "工资条.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    page.set_input_files("#id_attachments", str(scan))
    page.check("#id_consent")
    shoot(page, "01-desk-intake")
    page.click("#intake-submit")
    page.wait_for_url(re.compile(r"/receipt/$"))
    case = Case.objects.get()
    assert case.number in page.content()
    assert "我们将于" in page.content()
    shoot(page, "02-desk-receipt")
    page.emulate_media(media="print")
    assert page.locator(".cw-noprint").is_hidden()
    page.pdf(path=str(tmp_path / "receipt.pdf"))  # what the desk's printer gets
    page.context.close()

    # 2. The enterprise officer claims it from the unit's queue and escalates it.
    page = open_as(browser, live_server, users["officer_enterprise"])
    page.goto(f"{live_server.url}/cases/queue/")
    assert case.number in page.content()
    shoot(page, "03-enterprise-queue")
    act(page, live_server, case.number, "claim")
    submit(page, case.number)
    act(page, live_server, case.number, "escalate")
    page.fill("#id_reason", "企业表示资金困难，无法在企业层面解决。")
    shoot(page, "04-enterprise-escalate")
    submit(page, case.number)
    page.context.close()

    # 3. The union officer claims and resolves it.
    page = open_as(browser, live_server, users["officer_union"])
    act(page, live_server, case.number, "claim")
    submit(page, case.number)
    act(page, live_server, case.number, "resolve")
    page.select_option("#id_outcome", "resolved")
    page.fill("#id_result", "经区总工会协调，企业承诺本月底前补发全部工资。")
    shoot(page, "05-union-resolve")
    submit(page, case.number)
    page.context.close()

    # 4. The owner replies to the worker; 5. the follow-up closes the case.
    page = open_as(browser, live_server, users["desk"])
    page.goto(f"{live_server.url}/cases/inbox/")
    assert case.number in page.content()
    act(page, live_server, case.number, "reply")
    page.select_option("#id_method", "phone")
    page.fill("#id_content", "已电话告知职工办理结果。")
    shoot(page, "06-owner-reply")
    submit(page, case.number)
    page.goto(f"{live_server.url}/cases/{case.number}/reply-letter/")
    assert "职工诉求答复意见书" in page.content()
    shoot(page, "07-reply-letter")
    act(page, live_server, case.number, "followup")
    page.check("input[name=satisfaction][value=satisfied]")
    submit(page, case.number)
    case.refresh_from_db()
    assert case.status == "closed" and case.satisfaction == "satisfied"
    assert "已办结" in page.content()
    shoot(page, "08-closed")
    page.context.close()

    # 6. An officer of another county cannot open it; phone width still works for the owner.
    page = open_as(browser, live_server, users["officer_elsewhere"])
    response = page.goto(f"{live_server.url}/cases/{case.number}/")
    assert response.status == 404
    shoot(page, "09-elsewhere-404")
    page.context.close()
    page = open_as(browser, live_server, users["desk"], width=390, height=844)
    page.goto(f"{live_server.url}/cases/{case.number}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    shoot(page, "10-phone-case")
    page.context.close()


def test_intake_shows_duplicates_before_saving(browser, live_server, users, make_case, shoot):
    first = make_case(worker={"phone": "13700137001", "id_number": ""})
    page = open_as(browser, live_server, users["desk"])
    page.goto(f"{live_server.url}/cases/new/")
    page.fill("#id_name", "钱七")
    page.fill("#id_phone", "13700137001")
    page.press("#id_phone", "Tab")
    page.wait_for_selector("#dup-panel:not(.cw-hidden)")
    assert first.number in page.inner_text("#dup-panel")
    shoot(page, "11-intake-duplicates")
    page.fill("#id_enterprise", "DEMO-E1")
    page.select_option("#id_category", "wages")
    page.select_option("#id_channel", "hotline")
    page.fill("#id_summary", "同一问题再次来访。")
    page.fill("#id_request", "要求尽快处理。")
    page.check("#id_consent")
    page.click("#intake-submit")
    assert page.locator("#dup-choose").is_visible()  # must choose first
    page.check(f"input[name=duplicate][value='repeat:{first.number}']")
    page.click("#intake-submit")
    page.wait_for_url(re.compile(r"/receipt/$"))
    new = Case.objects.exclude(pk=first.pk).get()
    assert new.links_out.filter(related=first).exists()
    page.context.close()
