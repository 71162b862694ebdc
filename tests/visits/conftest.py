"""Fixtures of the visits tests: a county A work group (leader + desk + officer_union)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from casework.models import Category, OrgUnit
from visits import services


@pytest.fixture
def group(users):
    county = OrgUnit.objects.get(code="DEMO-K1")
    return services.workgroup_create(
        actor=users["leader"],
        name="东城区走访一组",
        unit=county,
        leader=users["leader"],
        members=[users["desk"], users["officer_union"]],
    )


def visit_input(**overrides) -> services.VisitInput:
    values = dict(
        enterprise=OrgUnit.objects.get(code="DEMO-E1"),
        visited_on=timezone.localdate() - dt.timedelta(days=1),
        kind="forum",
        place="职工之家",
        workers_met=12,
        workers_named="王师傅\n李班长",
        difficulties="订单下降。",
        stability_risks="工资拖欠，存在集体讨薪风险。",
        work_log="召开座谈会。",
    )
    values.update(overrides)
    return services.VisitInput(**values)


def interview_input(**overrides) -> services.InterviewInput:
    values = dict(
        interviewed_at=timezone.now() - dt.timedelta(hours=2),
        consent=True,
        province="江东省",
        city="临江市",
        county="东城区",
        worker_name="王大力",
        gender="male",
        birth_month="1982-05",
        phone="13912340001",
        hukou="江东省青川市",
        ethnicity="汉族",
        political_status="群众",
        education="初中",
        post="装配工",
        technical_title="初级工",
        migrant=True,
        dispatched=False,
        notes="二车间三个月工资未足额发放。",
        category=Category.objects.get(code="wages"),
        request="要求补发拖欠工资。",
        place="职工之家",
        original_pages=2,
        cleaned_pages=1,
    )
    values.update(overrides)
    return services.InterviewInput(**values)


@pytest.fixture
def make_visit(users, group):
    def _make(actor=None, group_=None, **overrides):
        return services.visit_create(
            actor=actor or users["officer_union"], group=group_ or group, data=visit_input(**overrides)
        )

    return _make


@pytest.fixture
def make_interview(users, make_visit):
    def _make(visit=None, actor=None, **overrides):
        return services.interview_create(
            actor=actor or users["officer_union"], visit=visit or make_visit(), data=interview_input(**overrides)
        )

    return _make
