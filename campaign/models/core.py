"""双走双促 / 走基层: a campaign, its work groups of cadres (参与干部) and what they record.

Dependencies point one way: campaign → visits → casework. A campaign group may stand on a
visits work group (``CampaignGroup.work_group``): its visits are the ones cadres log their
days at the grassroots (驻点时间) against.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Campaign(models.Model):
    """One campaign of a unit: its period, the units taking part and the targets per cadre."""

    name = models.CharField(_("活动名称"), max_length=100)
    unit = models.ForeignKey(
        "casework.OrgUnit", verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="campaigns"
    )
    units = models.ManyToManyField(
        "casework.OrgUnit", verbose_name=_("参加单位"), blank=True, related_name="campaigns_joined"
    )
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))
    # Targets (目标): per cadre, and days for a group leader.
    days_cadre = models.DecimalField(_("干部驻点天数目标"), max_digits=5, decimal_places=1, default=Decimal(60))
    days_leader = models.DecimalField(_("组长驻点天数目标"), max_digits=5, decimal_places=1, default=Decimal(90))
    enterprises = models.PositiveSmallIntegerField(_("每人走访企业数目标（家）"), default=2)
    workers = models.PositiveSmallIntegerField(_("每人接触职工数目标（人）"), default=10)
    logs = models.PositiveSmallIntegerField(_("每人工作日志目标（篇）"), default=10)
    reports = models.PositiveSmallIntegerField(_("每人调研报告目标（篇）"), default=3)
    typicals = models.PositiveSmallIntegerField(_("每人典型目标（个）"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))

    history = HistoricalRecords(m2m_fields=[units])

    class Meta:
        verbose_name = _("双走双促活动")
        verbose_name_plural = _("双走双促活动")
        ordering = ["-period_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="campaign_period_order",
                violation_error_message=_("截止日期不能早于起始日期。"),
            ),
            models.UniqueConstraint(
                fields=["unit", "name"],
                name="campaign_unique_name",
                violation_error_message=_("该单位已有同名的活动。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def covers_day(self, day) -> bool:
        return self.period_start <= day <= self.period_end


class Cadre(models.Model):
    """参与干部: a staff user, or a cadre named with their unit and post (no login)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("系统用户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cadre",
    )
    name = models.CharField(_("姓名"), max_length=50)
    unit = models.ForeignKey(
        "casework.OrgUnit", verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="cadres"
    )
    post = models.CharField(_("职务"), max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("参与干部")
        verbose_name_plural = _("参与干部")
        ordering = ["unit__path", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class CampaignGroup(models.Model):
    """A work group of the campaign: its leader and members (参与干部)."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(_("工作组名称"), max_length=100)
    work_group = models.OneToOneField(
        "visits.WorkGroup",
        verbose_name=_("走访工作组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaign_group",
        help_text=_("该走访工作组的走访记录计入本活动"),
    )
    leader = models.ForeignKey(Cadre, verbose_name=_("组长"), on_delete=models.PROTECT, related_name="+")
    members = models.ManyToManyField(Cadre, verbose_name=_("组员"), blank=True, related_name="campaign_groups")

    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("活动工作组")
        verbose_name_plural = _("活动工作组")
        ordering = ["campaign", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "name"],
                name="campaign_group_unique_name",
                violation_error_message=_("该活动已有同名的工作组。"),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Slot(models.TextChoices):
    DAY = "day", _("全天")
    AM = "am", _("上午")
    PM = "pm", _("下午")


SLOT_DAYS = {Slot.DAY: Decimal(1), Slot.AM: Decimal("0.5"), Slot.PM: Decimal("0.5")}


class Participation(models.Model):
    """驻点时间: one cadre at the grassroots on one day (全天) or half-day, for one visit.

    A cadre is in one place at a time: the services refuse a second entry in the same
    half-day (``DAY`` covers both halves); the unique constraint backs the same-slot case.
    """

    group = models.ForeignKey(
        CampaignGroup, verbose_name=_("工作组"), on_delete=models.PROTECT, related_name="participations"
    )
    cadre = models.ForeignKey(Cadre, verbose_name=_("参与干部"), on_delete=models.PROTECT, related_name="days")
    visit = models.ForeignKey(
        "visits.Visit", verbose_name=_("走访记录"), on_delete=models.PROTECT, related_name="participations"
    )
    day = models.DateField(_("日期"), db_index=True)
    slot = models.CharField(_("时段"), max_length=4, choices=Slot.choices, default=Slot.DAY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("驻点记录")
        verbose_name_plural = _("驻点记录")
        ordering = ["day", "slot", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "day", "slot"],
                name="campaign_participation_one_slot",
                violation_error_message=_("该干部在该时段已有驻点记录。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.cadre} {self.day} {self.get_slot_display()}"

    @property
    def days(self) -> Decimal:
        return SLOT_DAYS[Slot(self.slot)]


class WorkLog(models.Model):
    """工作日志: what a cadre did on one day at the grassroots (one per cadre and day)."""

    group = models.ForeignKey(CampaignGroup, verbose_name=_("工作组"), on_delete=models.PROTECT, related_name="logs")
    cadre = models.ForeignKey(Cadre, verbose_name=_("参与干部"), on_delete=models.PROTECT, related_name="logs")
    day = models.DateField(_("日期"))
    content = models.TextField(_("日志内容"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工作日志")
        verbose_name_plural = _("工作日志")
        ordering = ["-day", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "day"],
                name="campaign_worklog_one_per_day",
                violation_error_message=_("该干部当天已有工作日志。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.cadre} {self.day}"


class StoredFile(models.Model):
    """A file kept with a report, stored like case attachments (random name, outside public URLs)."""

    name = models.CharField(_("文件名"), max_length=150)
    stored_name = models.CharField(max_length=200, unique=True, editable=False)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.name


class Report(models.Model):
    """调研报告 filed by a group, credited to the cadre who wrote it."""

    group = models.ForeignKey(CampaignGroup, verbose_name=_("工作组"), on_delete=models.PROTECT, related_name="reports")
    author = models.ForeignKey(Cadre, verbose_name=_("执笔人"), on_delete=models.PROTECT, related_name="reports")
    title = models.CharField(_("标题"), max_length=200)
    subject = models.CharField(_("调研主题"), max_length=200)
    findings = models.TextField(_("发现的问题"))
    suggestions = models.TextField(_("对策建议"), blank=True)
    attachment = models.OneToOneField(
        StoredFile, verbose_name=_("附件"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filed_on = models.DateField(_("报送日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("调研报告")
        verbose_name_plural = _("调研报告")
        ordering = ["-filed_on", "pk"]

    def __str__(self) -> str:
        return self.title


class TypicalKind(models.TextChoices):
    EXPERIENCE = "experience", _("典型经验")
    CASE = "case", _("典型案例")


class Typical(models.Model):
    """典型: a typical experience or case a group found and wrote up."""

    group = models.ForeignKey(
        CampaignGroup, verbose_name=_("工作组"), on_delete=models.PROTECT, related_name="typicals"
    )
    author = models.ForeignKey(Cadre, verbose_name=_("执笔人"), on_delete=models.PROTECT, related_name="typicals")
    kind = models.CharField(_("类型"), max_length=20, choices=TypicalKind.choices, default=TypicalKind.EXPERIENCE)
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("主要内容"))
    filed_on = models.DateField(_("报送日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("典型")
        verbose_name_plural = _("典型")
        ordering = ["-filed_on", "pk"]

    def __str__(self) -> str:
        return self.title
