"""Deadline clocks (时限计时): one per stage a case is in, plus 督办 orders.

The sweep finds due clocks through two partial indexes over open clocks only, so a
sweep costs O(due clocks) whatever the size of the table.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .policy import Stage


class ClockKind(models.TextChoices):
    STAGE = "stage", _("环节时限")
    SUPERVISION = "supervision", _("督办时限")


class BreachOutcome(models.TextChoices):
    ESCALATED = "escalated", _("已自动上报")
    FLAGGED = "flagged", _("已标红")
    CLOSED = "closed", _("已按未评价办结")
    FAILED = "failed", _("处理失败")


class SweepName(models.TextChoices):
    DEADLINES = "deadlines", _("办理期限扫描")


# Open, running, not yet acted on: what the sweep looks at.
_OPEN = Q(stopped_at__isnull=True, paused_at__isnull=True, breached_at__isnull=True)


class DeadlineClock(models.Model):
    case = models.ForeignKey("casework.Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="clocks")
    kind = models.CharField(_("类型"), max_length=20, choices=ClockKind.choices, default=ClockKind.STAGE)
    stage = models.CharField(_("环节"), max_length=20, choices=Stage.choices)
    unit = models.ForeignKey(
        "casework.OrgUnit",
        verbose_name=_("承办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    policy = models.ForeignKey(
        "escalation.TimePolicy", verbose_name=_("时限规则"), null=True, blank=True, on_delete=models.SET_NULL
    )
    policy_snapshot = models.JSONField(_("开始时的规则"), default=dict)
    instructions = models.TextField(_("督办要求"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("督办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    started_at = models.DateTimeField(_("开始"))
    warn_at = models.DateTimeField(_("预警时间"), null=True, blank=True)
    due_at = models.DateTimeField(_("期限"), null=True, blank=True)
    # 暂定: counted in working days over a year whose holiday schedule is not confirmed yet
    # (weekends and the statutory holidays' rules stood in); recomputed when it is.
    provisional = models.BooleanField(_("暂定期限"), default=False, db_default=False)
    stopped_at = models.DateTimeField(_("结束"), null=True, blank=True)
    late = models.BooleanField(_("超期"), null=True, blank=True)
    late_by = models.DurationField(_("超期时长"), null=True, blank=True)

    paused_at = models.DateTimeField(_("挂起时间"), null=True, blank=True)
    paused_total = models.DurationField(_("累计挂起"), default=dt.timedelta)

    extension_days = models.PositiveSmallIntegerField(_("申请延期天数"), null=True, blank=True)
    extension_reason = models.TextField(_("延期理由"), blank=True)
    extension_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("延期申请人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    extension_requested_at = models.DateTimeField(_("延期申请时间"), null=True, blank=True)
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("延期批准人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    extension_approved_at = models.DateTimeField(_("延期批准时间"), null=True, blank=True)

    warned_at = models.DateTimeField(_("已预警"), null=True, blank=True)
    breached_at = models.DateTimeField(_("已超期处理"), null=True, blank=True)
    breach_outcome = models.CharField(_("超期处理结果"), max_length=20, choices=BreachOutcome.choices, blank=True)
    attempts = models.PositiveSmallIntegerField(_("处理尝试次数"), default=0)
    last_error = models.TextField(_("最近一次错误"), blank=True)

    class Meta:
        verbose_name = _("时限计时")
        verbose_name_plural = _("时限计时")
        ordering = ["started_at", "pk"]
        indexes = [
            models.Index(fields=["due_at", "id"], condition=_OPEN & Q(due_at__isnull=False), name="clock_due_open"),
            models.Index(
                fields=["warn_at", "id"],
                condition=_OPEN & Q(warned_at__isnull=True, warn_at__isnull=False),
                name="clock_warn_open",
            ),
            models.Index(
                fields=["id"], condition=Q(stopped_at__isnull=True, provisional=True), name="clock_provisional_open"
            ),
        ]
        # The partial unique index also finds a case's open clock.
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"], condition=Q(stopped_at__isnull=True), name="clock_one_open_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_stage_display()} → {self.due_at}"

    @property
    def length_unit(self) -> str:
        return self.policy_snapshot.get("length_unit", "calendar_days")

    @property
    def breach_action(self) -> str:
        return self.policy_snapshot.get("breach_action", "flag")


class ClockPause(models.Model):
    """One 挂起 of a clock: why, who, and for how long."""

    clock = models.ForeignKey(
        DeadlineClock, verbose_name=_("时限计时"), on_delete=models.CASCADE, related_name="pauses"
    )
    started_at = models.DateTimeField(_("挂起时间"))
    ended_at = models.DateTimeField(_("恢复时间"), null=True, blank=True)
    reason = models.TextField(_("挂起原因"))
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("挂起人"), on_delete=models.PROTECT, related_name="+"
    )
    resumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("恢复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("挂起记录")
        verbose_name_plural = _("挂起记录")
        ordering = ["started_at", "pk"]

    def __str__(self) -> str:
        return f"{self.clock_id} {self.started_at}"


class SweepRun(models.Model):
    """The last sweep (one row per sweep name): what a health check reads."""

    name = models.CharField(_("扫描名称"), max_length=40, primary_key=True, choices=SweepName.choices)
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    as_of = models.DateTimeField(_("判定时点"), help_text=_("本次扫描据以判断是否预警、超期的时刻。"))
    summary = models.JSONField(_("扫描结果"), default=dict)

    class Meta:
        verbose_name = _("超期扫描")
        verbose_name_plural = _("超期扫描")

    def __str__(self) -> str:
        return f"{self.get_name_display()} {self.finished_at}"
