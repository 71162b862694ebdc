"""Fixtures of the reception tests: county A (DEMO-K1) plans a day for its leader."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from casework.models import Category, OrgUnit
from reception import services

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A fixed morning, so "today" and "tomorrow" never straddle midnight.
MORNING = dt.datetime(2026, 6, 1, 8, 0, tzinfo=SHANGHAI)


@pytest.fixture
def morning(time_machine):
    time_machine.move_to(MORNING, tick=False)
    return MORNING


def session_input(leaders, **overrides) -> services.SessionInput:
    values = dict(
        starts_at=MORNING + dt.timedelta(hours=1),
        ends_at=MORNING + dt.timedelta(hours=4),
        place="区总工会职工服务中心",
        form="regular",
        leaders=leaders,
        issues="劳动报酬、社会保险",
    )
    values.update(overrides)
    return services.SessionInput(**values)


@pytest.fixture
def plan(users, morning):
    def _plan(actor=None, unit=None, **overrides):
        return services.session_plan(
            actor=actor or users["desk"],
            unit=unit or OrgUnit.objects.get(code="DEMO-K1"),
            data=session_input([users["leader"]], **overrides),
        )

    return _plan


@pytest.fixture
def open_session(users, plan):
    return services.session_open(actor=users["desk"], session=plan())


def entry_input(**overrides) -> services.EntryInput:
    values = dict(
        worker_name="王建国",
        raised="企业拖欠三个月工资。",
        request="要求足额支付工资。",
        phone="13912345678",
        enterprise=OrgUnit.objects.get(code="DEMO-E1"),
        category=Category.objects.get(code="wages"),
    )
    values.update(overrides)
    return services.EntryInput(**values)


@pytest.fixture
def add_entry(users, open_session):
    def _add(session=None, actor=None, **overrides):
        return services.entry_add(
            actor=actor or users["desk"], session=session or open_session, data=entry_input(**overrides)
        )

    return _add
