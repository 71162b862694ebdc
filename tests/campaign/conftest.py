"""Fixtures of the campaign tests: a county A campaign on a visits work group with two visits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from campaign import services
from casework.models import OrgUnit
from visits import services as visit_services


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def county(world):
    return OrgUnit.objects.get(code="DEMO-K1")


@pytest.fixture
def work_group(users, county):
    return visit_services.workgroup_create(
        actor=users["leader"], name="东城区走访一组", unit=county, leader=users["leader"], members=[users["desk"]]
    )


def visit_input(**overrides) -> visit_services.VisitInput:
    values = dict(
        enterprise=OrgUnit.objects.get(code="DEMO-E1"),
        visited_on=today() - dt.timedelta(days=10),
        kind="forum",
        workers_met=12,
    )
    values.update(overrides)
    return visit_services.VisitInput(**values)


@pytest.fixture
def make_visit(users, work_group):
    def _make(**overrides):
        return visit_services.visit_create(actor=users["leader"], group=work_group, data=visit_input(**overrides))

    return _make


@pytest.fixture
def campaign(users, county):
    return services.campaign_create(
        actor=users["leader"],
        unit=county,
        data=services.CampaignInput(
            name="双走双促测试活动",
            period_start=today() - dt.timedelta(days=60),
            period_end=today() + dt.timedelta(days=60),
            days_cadre=5,
            days_leader=3,
            enterprises=2,
            workers=10,
            logs=2,
            reports=1,
            typicals=1,
        ),
    )


@pytest.fixture
def cadres(users, campaign):
    leader = services.cadre_for_user(actor=users["leader"], user=users["leader"])
    desk = services.cadre_for_user(actor=users["leader"], user=users["desk"])
    named = services.cadre_create(
        actor=users["leader"], campaign=campaign, name="孙建华", unit=campaign.unit, post="办公室主任"
    )
    return {"leader": leader, "desk": desk, "named": named}


@pytest.fixture
def group(users, campaign, cadres, work_group):
    return services.group_create(
        actor=users["leader"],
        campaign=campaign,
        name="第一组",
        leader=cadres["leader"],
        members=[cadres["desk"], cadres["named"]],
        work_group=work_group,
    )


@pytest.fixture
def family(users, campaign):
    return services.family_create(
        actor=users["leader"],
        campaign=campaign,
        unit=campaign.unit,
        head="赵秀兰",
        phone="13912340088",
        address="幸福里3号",
        hardship="illness",
        situation="丈夫长期透析。",
    )
