"""``seed_campaign_demo``: a campaign with progress, shortfalls and an overdue 联系点; pages load."""

from __future__ import annotations

import pytest
from django.test import Client

from campaign.demo import DEMO_CAMPAIGN, seed_campaign_demo
from campaign.models import Campaign
from campaign.overdue import overdue_contacts
from campaign.selectors import cadre_progress
from casework.models import OrgUnit

pytestmark = pytest.mark.django_db


def test_demo_builds_once_and_shows_progress_shortfalls_and_an_overdue_point(world):
    assert seed_campaign_demo(cases=0) == 1
    assert seed_campaign_demo(cases=0) == 0
    campaign = Campaign.objects.get(name=DEMO_CAMPAIGN)
    rows = {r.cadre.name: r for r in cadre_progress(campaign)}
    officer = rows["区总工会张干事"]
    assert officer.days == 3.5 and officer.logs == 3 and officer.reports == 1
    assert officer.shortfalls  # 60 days are far away
    assert rows["区总工会陈主席"].leader
    county = OrgUnit.objects.get(code="DEMO-K1")
    from django.utils import timezone

    overdue = overdue_contacts([county.pk], timezone.localdate())
    assert any(o.kind == "point" and o.name == OrgUnit.objects.get(code="DEMO-E2").name for o in overdue)


def test_demo_pages_load_for_the_leader(world, users):
    seed_campaign_demo(cases=0)
    campaign = Campaign.objects.get(name=DEMO_CAMPAIGN)
    client = Client()
    client.force_login(users["leader"])
    group = campaign.groups.get()
    family = campaign.families.get()
    for url in (
        "/campaign/",
        f"/campaign/{campaign.pk}/",
        f"/campaign/{campaign.pk}/edit/",
        f"/campaign/{campaign.pk}/families/",
        f"/campaign/{campaign.pk}/families/new/",
        f"/campaign/{campaign.pk}/groups/new/",
        f"/campaign/{campaign.pk}/points/new/",
        f"/campaign/{campaign.pk}/cadres/new/",
        f"/campaign/group/{group.pk}/",
        f"/campaign/group/{group.pk}/days/new/",
        f"/campaign/group/{group.pk}/logs/new/",
        f"/campaign/group/{group.pk}/reports/new/",
        f"/campaign/group/{group.pk}/typicals/new/",
        f"/campaign/family/{family.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(f"/campaign/{campaign.pk}/").content.decode()
    assert "cp-short" in page and "本季度尚未走访" in page


def test_the_campaign_page_costs_the_same_with_more_groups(world, users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from campaign import services

    seed_campaign_demo(cases=0)
    campaign = Campaign.objects.get(name=DEMO_CAMPAIGN)
    client = Client()
    client.force_login(users["desk"])  # a member: the rules walk the groups

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/campaign/{campaign.pk}/").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(3):
        cadre = services.cadre_create(actor=users["leader"], campaign=campaign, name=f"干部{i}", unit=campaign.unit)
        services.group_create(actor=users["leader"], campaign=campaign, name=f"组{i}", leader=cadre, members=[cadre])
    assert count() == before
