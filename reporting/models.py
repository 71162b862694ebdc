"""定期上报: reporting periods with due dates, and each federation's period report, submitted
to the union above it with its figures frozen at submission (a snapshot: later edits to cases
do not change what was reported).

Dependencies: reporting → reports, reception, visits, casework. simple_history keeps every
save, so submissions and returns are in the audit history.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("季度")
    HALF_YEAR = "half_year", _("半年")
    YEAR = "year", _("年度总结")
    CAMPAIGN = "campaign", _("专项活动")


class ReportingPeriod(models.Model):
    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=PeriodKind.choices)
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("截止日期"))
    due_on = models.DateField(_("上报期限"))
    warn_days = models.PositiveSmallIntegerField(
        _("提前预警天数"), default=3, help_text=_("上报期限前几天向尚未上报的单位发出预警。")
    )
    active = models.BooleanField(_("启用"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("上报期间")
        verbose_name_plural = _("上报期间")
        ordering = ["-due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="reporting_period_order",
                violation_error_message=_("截止日期不能早于起始日期。"),
            )
        ]

    def __str__(self) -> str:
        return self.name


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已上报")
    RETURNED = "returned", _("已退回")


class PeriodReport(models.Model):
    """One federation's report for one period, with its 工作简报 narrative."""

    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("上报期间"), on_delete=models.PROTECT, related_name="reports"
    )
    unit = models.ForeignKey(
        "casework.OrgUnit", verbose_name=_("上报单位"), on_delete=models.PROTECT, related_name="period_reports"
    )
    status = models.CharField(_("状态"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    # 工作简报
    work_done = models.TextField(_("主要工作"), blank=True)
    typical_cases = models.TextField(_("典型案例"), blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    next_steps = models.TextField(_("下一步工作"), blank=True)
    # Frozen at submission.
    figures = models.JSONField(_("上报数据"), default=dict, blank=True)
    systemic = models.JSONField(_("倾向性、普遍性问题"), default=list, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("签发人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("退回人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    return_comment = models.TextField(_("退回意见"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("起草人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("起草时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("定期上报")
        verbose_name_plural = _("定期上报")
        ordering = ["period", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit"],
                name="reporting_one_report_per_period",
                violation_error_message=_("该单位本期已有上报材料。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.unit}"


class OnwardReport(models.Model):
    """The upper union's record of reporting systemic issues onward (同级党委政府 / 上级工会)."""

    class Recipient(models.TextChoices):
        PARTY_GOVERNMENT = "party_government", _("同级党委政府")
        UPPER_UNION = "upper_union", _("上级工会")

    report = models.ForeignKey(
        PeriodReport, verbose_name=_("定期上报"), on_delete=models.PROTECT, related_name="onward"
    )
    recipient = models.CharField(_("报送对象"), max_length=30, choices=Recipient.choices)
    reported_on = models.DateField(_("报送日期"))
    content = models.TextField(_("报送内容"))
    response = models.TextField(_("反馈情况"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("向上报送记录")
        verbose_name_plural = _("向上报送记录")
        ordering = ["reported_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_recipient_display()} {self.reported_on}"


# Running, not yet acted on: what the reporting sweep looks at (as escalation's ``_OPEN``).
_OPEN = models.Q(stopped_at__isnull=True, breached_at__isnull=True)


class ReportDeadline(models.Model):
    """The submission deadline of one federation for one period: the deadline clock of a
    period report, judged by the reporting sweep the way escalation's sweep judges a case's
    ``DeadlineClock`` — a warning before, a breach after, each once; stopped at submission,
    running again after a return."""

    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("上报期间"), on_delete=models.CASCADE, related_name="deadlines"
    )
    unit = models.ForeignKey("casework.OrgUnit", verbose_name=_("上报单位"), on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(_("开始"))
    warn_at = models.DateTimeField(_("预警时间"))
    due_at = models.DateTimeField(_("期限"))
    stopped_at = models.DateTimeField(_("结束"), null=True, blank=True)
    warned_at = models.DateTimeField(_("已预警"), null=True, blank=True)
    breached_at = models.DateTimeField(_("已逾期处理"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("处理尝试次数"), default=0)
    last_error = models.TextField(_("最近一次错误"), blank=True)

    class Meta:
        verbose_name = _("上报时限")
        verbose_name_plural = _("上报时限")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["due_at", "id"], condition=_OPEN, name="report_deadline_due_open"),
            models.Index(
                fields=["warn_at", "id"],
                condition=_OPEN & models.Q(warned_at__isnull=True),
                name="report_deadline_warn_open",
            ),  # fmt: skip
        ]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="report_deadline_one_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.period_id} {self.unit_id} → {self.due_at}"
