"""暂定期限: a clock's deadline is provisional while it is counted in working days through a
year whose holiday schedule is not confirmed (``calendar.py``).

The flag is derived from the clock's own fields and today's calendar, so it is set on every
save of a running clock (``pre_save``; the deferred insert of a new clock sends it too), and
read by casework through ``casework.deadlines.is_due_provisional`` (the case page's
"（暂定）" and the API's ``due_provisional``).
"""

from __future__ import annotations

from django.db.models import signals

from casework.models.case import TERMINAL_STATUSES

from . import calendar
from .models import ClockKind, DeadlineClock


def mark_provisional(sender, instance: DeadlineClock, **kwargs) -> None:
    if instance.stopped_at is not None:
        return  # a stopped clock keeps what it showed
    instance.provisional = instance.kind == ClockKind.STAGE and calendar.is_provisional(
        instance.started_at, instance.due_at, instance.length_unit
    )


def case_due_provisional(case) -> bool:
    """The deadline the case shows is its stage clock's, and that one is provisional."""
    from .actions import stage_clock

    if case.pk is None or case.due_at is None or case.status in TERMINAL_STATUSES:
        return False
    clock = stage_clock(case)
    return bool(clock is not None and clock.provisional and clock.due_at == case.due_at)


def connect() -> None:
    from casework import deadlines

    signals.pre_save.connect(mark_provisional, sender=DeadlineClock, dispatch_uid="escalation.clock_provisional")
    deadlines.register_provisional(case_due_provisional)


def schedule_missing_notice(at) -> str:
    """ "Next year's holiday schedule is not loaded" in Chinese, for the supervisors' dashboard
    and digest: this year's at any time, next year's from 1 November (empty when loaded)."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    years = calendar.missing_years(timezone.localtime(at).date())
    if not years:
        return ""
    listed = "、".join(str(y) for y in years)
    return _(
        "%(years)s年的节假日安排（国务院办公厅通知）尚未录入：按工作日计算、延伸到该年度的期限"
        "暂按周末和法定节假日推算，标为“暂定”，录入后自动重新计算。请系统管理员在“节假日安排”中粘贴通知录入。"
    ) % {"years": listed}
