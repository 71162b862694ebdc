"""The worker's side in a phone-sized Chromium (390 × 844): submit → the desk accepts → the
enterprise escalates → the union resolves → the owner replies → the worker reads the answer
and rates it → the period report counts the rating; following by phone + SMS code; 复查."""

from __future__ import annotations

import re

import pytest

from casework.models import Case
from notifications.models import Notification
from portal.models import Submission

from .test_journey import act, open_as, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_SIZE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.CASEWORK_ATTACHMENT_ROOT = tmp_path / "attachments"
    settings.PORTAL_UPLOAD_ROOT = tmp_path / "portal"
    settings.NOTIFICATIONS_SMS_BACKEND = "locmem"


def phone(browser):
    """The worker's phone: no login, JavaScript off (the portal works without it)."""
    context = browser.new_context(viewport=PHONE_SIZE, locale="zh-CN", java_script_enabled=False)
    return context.new_page()


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_SIZE["width"] + 1


def captcha_answer(page) -> str:
    from captcha.models import CaptchaStore

    key = page.get_attribute("input[name=captcha_0]", "value")
    return CaptchaStore.objects.get(hashkey=key).response


def worker_submits(browser, live_server, shoot, **fields) -> tuple[str, str]:
    page = phone(browser)
    page.goto(f"{live_server.url}/portal/")
    fits(page)
    shoot(page, "portal-01-home")
    page.click("text=我要反映")
    page.fill("#id_name", fields.get("name", "孙小梅"))
    page.fill("#id_phone", fields.get("phone", "13912340001"))
    page.fill("#id_enterprise", "东方机械制造有限公司")
    page.select_option("#id_category", "wages")
    page.fill("#id_summary", "车间 30 多人三个月没发工资。")
    page.fill("#id_request", "要求企业补发拖欠的工资。")
    page.fill("#id_workers_involved", "32")
    page.check("#id_anonymous_to_enterprise")
    page.check("#id_consent")
    page.fill("#id_captcha_1", captcha_answer(page))
    fits(page)
    shoot(page, "portal-02-submit")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/portal/submitted/$"))
    reference, code = page.inner_text("#reference"), page.inner_text("#code")
    fits(page)
    shoot(page, "portal-03-receipt")
    page.context.close()
    return reference, code


def test_submit_accept_escalate_answer_rate_and_report(browser, live_server, users, shoot):
    reference, code = worker_submits(browser, live_server, shoot)
    assert re.fullmatch(r"WS-\d{8}-\d{6}", reference) and re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)

    # The desk sees it in its list (nav link), accepts it: a case, the desk its 首问负责人.
    page = open_as(browser, live_server, users["desk"])
    page.click("text=网上职工心声")
    page.click(f"text={reference}")
    shoot(page, "portal-04-desk-submission")
    page.click("#accept-form button[type=submit]")
    page.wait_for_url(re.compile(r"/cases/GH-"))
    case = Case.objects.get()
    assert case.owner == users["desk"] and case.channel.code == "online" and case.anonymous_to_enterprise
    page.context.close()

    # The enterprise level sees no name, claims and escalates; the union resolves.
    page = open_as(browser, live_server, users["officer_enterprise"])
    page.goto(f"{live_server.url}/cases/queue/")
    assert case.number in page.content() and "孙小梅" not in page.content()
    act(page, live_server, case.number, "claim")
    submit(page, case.number)
    assert "孙小梅" not in page.content()
    act(page, live_server, case.number, "escalate")
    page.fill("#id_reason", "企业称资金困难，内部意见：请工会协调。")
    submit(page, case.number)
    page.context.close()
    page = open_as(browser, live_server, users["officer_union"])
    act(page, live_server, case.number, "claim")
    submit(page, case.number)
    act(page, live_server, case.number, "resolve")
    page.select_option("#id_outcome", "resolved")
    page.fill("#id_result", "经区总工会协调，企业已补发全部工资。")
    submit(page, case.number)
    page.context.close()
    page = open_as(browser, live_server, users["desk"])
    act(page, live_server, case.number, "reply")
    page.select_option("#id_method", "sms")
    page.fill("#id_content", "工资已补发，请查收；如有疑问请联系我们。")
    submit(page, case.number)
    page.context.close()

    # The worker follows with the case number and the query code, reads the answer, rates it.
    page = phone(browser)
    page.goto(f"{live_server.url}/portal/follow/")
    page.fill("#id_reference", case.number)
    page.fill("#id_code", code)
    page.click("form:has(input[value=code]) button[type=submit]")
    page.wait_for_url(re.compile(r"/portal/my/$"))
    page.click(f"text={case.number}")
    body = page.content()
    assert "工资已补发，请查收" in body and "经区总工会协调" in body and "内部意见" not in body
    assert "区总工会张干事" not in body and "企业工会李主席" not in body
    fits(page)
    shoot(page, "portal-05-answer")
    page.click("text=查看答复意见书")
    assert "职工诉求答复意见书" in page.content() and "联系人" not in page.content()
    shoot(page, "portal-06-letter")
    page.go_back()
    page.check("input[name=satisfaction][value=basically_satisfied]")
    page.fill("#rate textarea", "处理及时。")
    page.click("#rate button[type=submit]")
    page.wait_for_url(re.compile(rf"/portal/my/{case.number}/$"))
    assert "感谢您的评价" in page.content()
    shoot(page, "portal-07-rated")
    page.context.close()
    case.refresh_from_db()
    assert case.status == "closed" and case.satisfaction == "basically_satisfied"

    # The period report counts it as a follow-up with a rating.
    page = open_as(browser, live_server, users["supervisor"])
    response = page.goto(f"{live_server.url}/api/v1/reports/outcomes/")
    figures = response.json()
    assert figures["satisfaction"]["basically_satisfied"] == 1
    page.goto(f"{live_server.url}/reports/outcomes/")
    assert "基本满意" in page.content()
    page.context.close()


def test_follow_by_phone_and_ask_for_review(browser, live_server, users, shoot):
    from casework import services as cw
    from portal import services

    reference, _code = worker_submits(browser, live_server, shoot, name="钱小兵", phone="13912340077")
    case = services.submission_accept(submission=Submission.objects.get(reference=reference), actor=users["desk"])
    cw.task_claim(case=case.number, actor=users["officer_enterprise"])
    cw.case_resolve(case=case.number, actor=users["officer_enterprise"], outcome="explained", result="企业已说明原因。")
    cw.case_reply(case=case.number, actor=users["desk"], method="sms", content="已短信告知。")

    page = phone(browser)
    page.goto(f"{live_server.url}/portal/follow/")
    page.fill("#ph_phone", "13912340077")
    page.click("button[name=send]")
    page.wait_for_load_state()
    assert "验证码已发送" in page.content()
    body = Notification.objects.filter(event="portal_code", address="13912340077").latest("pk").body
    page.fill("#ph_code", re.search(r"验证码(\d{6})", body).group(1))
    page.click("button[name=verify]")
    page.wait_for_url(re.compile(r"/portal/my/$"))
    assert case.number in page.content()
    fits(page)
    shoot(page, "portal-08-phone-list")
    page.click(f"text={case.number}")
    page.check("input[name=satisfaction][value=dissatisfied]")
    page.click("#rate button[type=submit]")
    page.wait_for_url(re.compile(rf"/portal/my/{case.number}/$"))
    page.fill("#reopen textarea", "企业的说明不属实，工资仍未发放。")
    shoot(page, "portal-09-reopen")
    page.click("#reopen button[type=submit]")
    page.wait_for_url(re.compile(rf"/portal/my/{case.number}/$"))
    assert "已受理您的复查申请" in page.content()
    page.context.close()
    case.refresh_from_db()
    assert case.status == "union" and case.reopen_count == 1
    last = case.history.order_by("-history_id").first()
    assert last.history_user.username == "portal" and "职工本人通过网上职工心声申请复查" in last.history_change_reason
