"""The reporting demo: this year's periods, county A's report submitted, county B late."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from casework.clock import now
from casework.models import OrgUnit

from . import services
from .models import PeriodReport


def _quarter_start(day: dt.date) -> dt.date:
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def seed_reporting_demo() -> int:
    if PeriodReport.objects.filter(unit__code="DEMO-K1").exists():
        return 0
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["leader", "desk", "admin"])}
    today = timezone.localdate(now())
    this_q = _quarter_start(today)
    last_q = _quarter_start(this_q - dt.timedelta(days=1))
    before = _quarter_start(last_q - dt.timedelta(days=1))
    with transaction.atomic():
        # The quarter just ended is due in a few days; the one before is past due.
        current = services.period_save(
            actor=users["admin"], name=f"{last_q:%Y}年{(last_q.month - 1) // 3 + 1}季度", kind="quarter",
            starts_on=last_q, ends_on=this_q - dt.timedelta(days=1), due_on=today + dt.timedelta(days=5),
        )  # fmt: skip
        services.period_save(
            actor=users["admin"], name=f"{before:%Y}年{(before.month - 1) // 3 + 1}季度", kind="quarter",
            starts_on=before, ends_on=last_q - dt.timedelta(days=1), due_on=last_q + dt.timedelta(days=10),
        )  # fmt: skip
        services.period_save(
            actor=users["admin"], name=f"{today:%Y}年度工作总结", kind="year",
            starts_on=today.replace(month=1, day=1), ends_on=today.replace(month=12, day=31),
            due_on=today.replace(month=11, day=30),
        )  # fmt: skip
        k1 = OrgUnit.objects.get(code="DEMO-K1")
        report = services.report_start(actor=users["desk"], period=current, unit=k1)
        services.report_edit(
            actor=users["desk"], report=report, problems="欠薪问题在建筑、制造业较集中。",
            next_steps="开展农民工工资支付专项接访，推动企业建立工资支付保证金制度。",
        )  # fmt: skip
        services.report_submit(actor=users["leader"], report=report)
    return 1
