"""One date format on every staff page with dates: no ISO date (2026-12-19), no slashes, no
zero-padded 年月日 in what a reader sees; deadlines of 办实事 commitments and 定期上报 periods
read as their last day with 剩余 / 超期 N 天, like a case's."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from campaign.demo import DEMO_CAMPAIGN, seed_campaign_demo
from campaign.models import Campaign, Commitment
from casework.dates import due_day
from reception.demo import seed_reception_demo
from reception.models import ReceptionSession
from reporting.demo import seed_reporting_demo
from reporting.models import PeriodReport
from voices import services as voice_services
from voices.models import Voice

pytestmark = pytest.mark.django_db

RAW = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2}|\d{4}年0\d月|月0\d日")


def seen_text(html: str) -> str:
    """What a reader sees: the page without scripts, styles and tags (so ``datetime="…"``,
    ``<input type=date value="…">`` and links, which need ISO dates, are left out)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]*>", " ", html)


def assert_one_format(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    text = seen_text(response.content.decode())
    raw = RAW.findall(text)
    assert not raw, f"{url}: {raw}"
    return text


@pytest.fixture
def demo(users):
    seed_campaign_demo(cases=0)
    seed_reception_demo(cases=0)
    seed_reporting_demo()
    voice_services.voice_record(
        actor=users["desk"],
        unit=users["desk"].staff.unit,
        source="forum",
        summary="食堂饭菜涨价，希望工会协调。",
        raised_on=timezone.localdate() - dt.timedelta(days=10),
    )


def test_campaign_pages(demo, users):
    client = Client()
    client.force_login(users["leader"])
    campaign = Campaign.objects.get(name=DEMO_CAMPAIGN)
    late = Commitment.objects.get(title="为户外劳动者建设爱心驿站")
    for url in (
        "/campaign/",
        f"/campaign/{campaign.pk}/",
        f"/campaign/group/{campaign.groups.get().pk}/",
        f"/campaign/family/{campaign.families.get().pk}/",
        "/campaign/public/commitments/",
    ):
        assert_one_format(client, url)
    for url in ("/campaign/commitments/", f"/campaign/commitments/{late.pk}/"):
        text = assert_one_format(client, url)
        assert due_day(late.due_on) in text, url
        assert re.search(r"超期 \d+ 天|今天到期", text), url
        assert "已逾期" not in text, url


def test_reception_pages(demo, users):
    client = Client()
    client.force_login(users["leader"])
    for session in ReceptionSession.objects.filter(unit__code="DEMO-K1"):
        text = assert_one_format(client, f"/reception/{session.pk}/")
        assert re.search(r"主席接待日 · \d{4}年\d+月\d+日", text)
    for url in ("/reception/", "/reception/dashboard/", "/reception/my-cases/"):
        assert_one_format(client, url)


def test_reporting_pages(demo, users):
    client = Client()
    client.force_login(users["leader"])
    text = assert_one_format(client, "/reporting/")
    assert re.search(r"上报期限\s+(\d{4}年)?\d+月\d+日前", text)
    for report in PeriodReport.objects.all():
        assert_one_format(client, f"/reporting/reports/{report.pk}/")
    client.force_login(users["admin"])  # the province: its cities have not reported
    text = assert_one_format(client, "/reporting/")
    assert re.search(r"剩余 \d+ 天|超期 \d+ 天|今天到期", text)
    assert "已逾期" not in text


def test_voices_pages(demo, users):
    client = Client()
    client.force_login(users["desk"])
    assert_one_format(client, "/voices/")
    assert_one_format(client, f"/voices/{Voice.objects.get(summary='食堂饭菜涨价，希望工会协调。').pk}/")


def test_the_intake_duplicate_panel(users, make_case):
    case = make_case()
    client = Client()
    client.force_login(users["desk"])
    response = client.get("/cases/new/duplicates.json", {"phone": case.worker.phone})
    received = [r["received"] for r in response.json()["results"]]
    assert received and all(re.fullmatch(r"\d{4}年[1-9]\d?月[1-9]\d?日", r) for r in received), received
