"""主席接待日: planned reception days, the register of workers received (接待登记簿).

Dependencies point one way: reception → casework. A register entry filed as a case keeps a
one-to-one link to ``casework.Case`` (``case.reception_entry`` is the way back, and the case
records its receiving leader); casework never imports this app.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class SessionForm(models.TextChoices):
    """The forms the Shaanxi mechanism (002) lists."""

    REGULAR = "regular", _("定期坐班")
    ROTATING = "rotating", _("轮流坐班")
    TOPIC = "topic", _("专题接访")
    WITH_CASES = "with_cases", _("带案下访")
    APPOINTMENT = "appointment", _("重点约访")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("已计划")
    OPEN = "open", _("接待中")
    CLOSED = "closed", _("已结束")
    CANCELLED = "cancelled", _("已取消")


class ReceptionSession(models.Model):
    """One reception day (主席接待日) of a unit: when, where, in which form, who receives."""

    unit = models.ForeignKey(
        "casework.OrgUnit", verbose_name=_("举办单位"), on_delete=models.PROTECT, related_name="reception_sessions"
    )
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("接待地点"), max_length=200)
    form = models.CharField(_("接待形式"), max_length=20, choices=SessionForm.choices, default=SessionForm.REGULAR)
    topic = models.CharField(_("接访专题"), max_length=200, blank=True)
    issues = models.TextField(_("可反映的问题"), blank=True)
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("接待领导"), related_name="reception_sessions"
    )
    cases = models.ManyToManyField(
        "casework.Case", verbose_name=_("带案下访案件"), blank=True, related_name="reception_visits"
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.PLANNED, db_index=True
    )
    opened_at = models.DateTimeField(_("开始接待时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束接待时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结束人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接待领导签字"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(_("签字时间"), null=True, blank=True)
    # The notice to the enterprises (session_announce): when, how often, by which channels.
    notice_sent_at = models.DateTimeField(_("公告发送时间"), null=True, blank=True)
    notice_sends = models.PositiveSmallIntegerField(_("公告发送次数"), default=0)
    notice_channels = models.CharField(_("公告发送方式"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("安排人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("安排时间"))

    history = HistoricalRecords(m2m_fields=[leaders])

    class Meta:
        verbose_name = _("主席接待日")
        verbose_name_plural = _("主席接待日")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["unit", "starts_at"], name="reception_unit_starts")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="reception_session_time_order",
                violation_error_message=_("结束时间须晚于开始时间。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.starts_at:%Y-%m-%d}"


class EntryOutcome(models.TextChoices):
    """What happened to a worker received (接待登记簿 的 处理情况)."""

    ANSWERED = "answered", _("当场解答")
    CASE = "case", _("登记为案件")
    REFERRED = "referred", _("转交")
    OUT_OF_SCOPE = "out_of_scope", _("不属于受理范围")


class ReceptionEntry(models.Model):
    """One line of the day's register: one worker, or one group with its head count."""

    session = models.ForeignKey(
        ReceptionSession, verbose_name=_("主席接待日"), on_delete=models.PROTECT, related_name="entries"
    )
    number = models.PositiveIntegerField(_("序号"), editable=False)
    worker_name = models.CharField(_("来访人姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    enterprise = models.ForeignKey(
        "casework.OrgUnit",
        verbose_name=_("所在企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    employer = models.CharField(_("工作单位（系统外）"), max_length=200, blank=True)
    category = models.ForeignKey(
        "casework.Category",
        verbose_name=_("诉求类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    raised = models.TextField(_("反映问题"))
    request = models.TextField(_("职工诉求"), blank=True)
    head_count = models.PositiveIntegerField(_("来访人数"), default=1)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接待领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(_("处理情况"), max_length=20, choices=EntryOutcome.choices, blank=True, default="")
    answer = models.TextField(_("解答内容"), blank=True)
    referred_to = models.CharField(_("转交单位"), max_length=200, blank=True)
    guidance = models.TextField(_("告知与指引"), blank=True)
    case = models.OneToOneField(
        "casework.Case",
        verbose_name=_("登记案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reception_entry",
    )
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("接待登记")
        verbose_name_plural = _("接待登记簿")
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "number"],
                name="reception_entry_unique_number",
                violation_error_message=_("该接待日已有相同序号的登记。"),
            ),
            models.CheckConstraint(
                condition=models.Q(head_count__gte=1),
                name="reception_entry_head_count",
                violation_error_message=_("来访人数至少为1。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} #{self.number}"

    @property
    def is_group(self) -> bool:
        return self.head_count > 1

    @property
    def employer_name(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.employer
