"""The official holiday schedule (节假日安排) as data the union controls.

Each year's schedule comes from the State Council's notice (国务院办公厅关于某年部分节假日
安排的通知): the days off (放假) and the make-up working days (调休上班). ``chinese-calendar``
seeds the years it knows (migration 0004); later years are pasted from the notice by an
administrator (``escalation.holiday_notice`` parses it, ``services.holidays`` saves it).

Only a ``confirmed`` schedule counts. A year has at most one (a partial unique constraint);
a second notice for a confirmed year is a revision with its reason, and the schedule it
replaces becomes ``superseded``. ``HolidayCalendarState`` is one row whose token changes
with every confirmed change: the calendar's per-process cache compares it (``calendar.py``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ScheduleStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    CONFIRMED = "confirmed", _("已确认")
    SUPERSEDED = "superseded", _("已被修订")


class ScheduleSource(models.TextChoices):
    NOTICE = "notice", _("国务院办公厅通知")
    PACKAGE = "package", _("chinese-calendar 软件包导入")


class DayKind(models.TextChoices):
    OFF = "off", _("放假")
    WORK = "work", _("调休上班")


class HolidaySchedule(models.Model):
    """One year's schedule as one notice states it."""

    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("通知标题"), max_length=200)
    number = models.CharField(_("文号"), max_length=60, blank=True)
    issued_on = models.DateField(_("发布日期"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=20, choices=ScheduleSource.choices, default=ScheduleSource.NOTICE)
    text = models.TextField(_("通知原文"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=ScheduleStatus.choices, default=ScheduleStatus.DRAFT)
    revision = models.PositiveSmallIntegerField(_("版次"), default=1)
    reason = models.TextField(_("修订理由"), blank=True, help_text=_("该年度已有确认的安排时必填。"))
    supersedes = models.ForeignKey(
        "self", verbose_name=_("修订的安排"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("录入时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["-year", "-revision", "-pk"]
        permissions = [("confirm_holidayschedule", _("确认节假日安排"))]
        constraints = [
            models.UniqueConstraint(
                fields=["year"], condition=Q(status="confirmed"), name="holiday_one_confirmed_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}（{self.get_status_display()}）"


class HolidayDay(models.Model):
    """A day the notice names: off (放假) or a make-up working day (调休上班).

    The date is normally in the schedule's year; a New Year holiday that begins in the
    last days of December belongs to the next year's notice (e.g. 2023's began 2022-12-31).
    """

    schedule = models.ForeignKey(HolidaySchedule, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("节日"), max_length=60, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("节假日安排日期")
        verbose_name_plural = _("节假日安排日期")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["schedule", "date"], name="holiday_day_once_per_schedule")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class HolidayCalendarState(models.Model):
    """The one row (pk 1) that says which confirmed calendar is current.

    ``token`` changes (a new UUID, never a counter: a rolled-back change must not reuse a
    value another process cached) whenever a schedule is confirmed; ``recomputed_token`` is
    the token the open clocks were last recomputed for, and ``pending_years`` the years
    confirmed since, so an interrupted recompute is finished by the next scheduled run.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.UUIDField(default=uuid.uuid4)
    changed_at = models.DateTimeField(null=True, blank=True)
    recomputed_token = models.UUIDField(null=True, blank=True)
    recomputed_at = models.DateTimeField(null=True, blank=True)
    pending_years = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("节假日日历版本")
        verbose_name_plural = _("节假日日历版本")

    def __str__(self) -> str:
        return str(self.token)
