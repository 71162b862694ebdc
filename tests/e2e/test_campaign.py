"""A small 双走双促 campaign end to end in a real browser: set targets, log visits with cadres,
record a family with help given, file a report, see the league."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from casework.models import OrgUnit
from visits import services as visit_services

from .test_journey import open_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _attachments(settings, tmp_path):
    settings.CASEWORK_ATTACHMENT_ROOT = tmp_path / "attachments"


def test_a_small_campaign(browser, live_server, users, shoot):
    county = OrgUnit.objects.get(code="DEMO-K1")
    work_group = visit_services.workgroup_create(
        actor=users["leader"], name="走访一组", unit=county, leader=users["leader"], members=[users["desk"]]
    )
    today = timezone.localdate()
    visit = visit_services.visit_create(
        actor=users["desk"],
        group=work_group,
        data=visit_services.VisitInput(
            enterprise=OrgUnit.objects.get(code="DEMO-E1"), visited_on=today, kind="forum", workers_met=15
        ),
    )
    page = open_as(browser, live_server, users["leader"])
    url = live_server.url

    # 1. The leader sets up the campaign and its targets.
    page.goto(f"{url}/campaign/new/")
    page.fill("#id_name", "东城区双走双促")
    page.fill("#id_period_start", (today - dt.timedelta(days=30)).isoformat())
    page.fill("#id_period_end", (today + dt.timedelta(days=300)).isoformat())
    page.fill("#id_days_cadre", "20")
    page.fill("#id_reports", "2")
    page.click("form.cw-form button[type=submit]")
    page.wait_for_url(re.compile(r"/campaign/\d+/$"))
    campaign_url = page.url
    shoot(page, "campaign-01-created")

    # 2. The county's staff become cadres; a group stands on the visits work group.
    page.click("text=将本辖区工作人员登记为参与干部")
    page.wait_for_selector("text=名工作人员登记为参与干部")  # the POST answered (the URL stays the same)
    page.click("text=成立活动工作组")
    page.fill("#id_name", "第一工作组")
    page.select_option("#id_leader", label="区总工会陈主席（东城区总工会）")
    page.check("label:has-text('接待员小王') >> input")
    page.select_option("#id_work_group", label="走访一组")
    page.click("form.cw-form button[type=submit]")
    page.wait_for_url(re.compile(r"/campaign/group/\d+/$"))
    group_url = page.url

    # 3. Days at the grassroots: the desk's morning; a second entry in the same half-day is refused.
    for expect_ok in (True, False):
        page.goto(group_url + "days/new/")
        page.select_option("#id_visit", index=1)
        page.select_option("#id_cadre", label="接待员小王（东城区总工会）")
        page.fill("#id_day_from", visit.visited_on.isoformat())
        page.select_option("#id_slot", "am")
        page.click("form.cw-form button[type=submit]")
        if expect_ok:
            page.wait_for_url(group_url)
        else:
            page.wait_for_selector("text=同一半天不能记录两次走访")
            shoot(page, "campaign-02-half-day-refused")

    # 4. A report filed.
    page.goto(group_url + "reports/new/")
    page.select_option("#id_author", label="接待员小王（东城区总工会）")
    page.fill("#id_title", "东方机械工资问题调研")
    page.fill("#id_subject", "工资支付")
    page.fill("#id_findings", "二车间三个月工资未足额发放。")
    page.click("form.cw-form button[type=submit]")
    page.wait_for_url(group_url)

    # 5. The campaign page: the desk's progress with its shortfalls in red.
    page.goto(campaign_url)
    row = page.locator("#cadre-progress tr", has_text="接待员小王")
    assert "0.5 / 20" in row.inner_text()
    assert row.locator("td.cp-short").count() >= 1
    shoot(page, "campaign-03-progress")

    # 6. A 困难职工 family with help given; a negative amount is refused.
    page.click("text=联系户与困难职工档案")
    page.click("text=建立联系户档案")
    page.fill("#id_head", "赵秀兰")
    page.fill("#id_phone", "13912340088")
    page.select_option("#id_hardship", "illness")
    page.click("form.cw-form button[type=submit]")
    page.wait_for_url(re.compile(r"/campaign/family/\d+/$"))
    assert "139****0088" in page.content() and "赵秀兰" not in page.locator("#family-head").inner_text()
    family_url = page.url
    for amount, ok in (("-100", False), ("800", True)):
        page.goto(family_url + "contacts/new/")
        page.select_option("#id_kind", "warmth")
        page.fill("#id_on", today.isoformat())
        page.fill("#id_amount", amount)
        page.select_option("#id_delivered_by", label="接待员小王（东城区总工会）")
        page.click("form.cw-form button[type=submit]")
        if ok:
            page.wait_for_url(family_url)
        else:
            page.wait_for_selector("text=金额必须大于零")
    assert "800" in page.content()
    shoot(page, "campaign-04-family")

    # 7. The league: the county with its report, friend and half day.
    page.goto(f"{url}/campaign/league/")
    county_row = page.locator("#league tr", has_text="东城区总工会")
    assert "0.5" in county_row.inner_text()
    shoot(page, "campaign-05-league")
