"""走访: work groups, their targets, visits to enterprises, and case interviews (个案访谈).

Dependencies point one way: visits → casework. An interview that turns into a case keeps a
foreign key to ``casework.Case``; casework never imports this app.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.models.worker import Gender


class EnterpriseType(models.TextChoices):
    """The eight kinds of enterprise the campaign plans count coverage by (003: 重点走进8类企业);
    one enterprise may be of several."""

    DIFFICULT = "difficult", _("经营困难")
    DISPUTE_PRONE = "dispute_prone", _("劳动关系矛盾易发")
    SMALL_PRIVATE = "small_private", _("小微非公")
    MIGRANT_HEAVY = "migrant_heavy", _("农民工集中")
    CONTACT_POINT = "contact_point", _("已建立联系点")
    UNION_HARD = "union_hard", _("工会工作难开展")
    UNION_WEAK = "union_weak", _("工会工作基础薄弱")
    RARELY_CONTACTED = "rarely_contacted", _("以往缺乏联系")


# The union facts the campaign asks about each enterprise (企业工会工作情况).
UNION_FACTS = ("has_union", "collective_contract", "wage_bargaining", "workers_congress")


class EnterpriseProfile(models.Model):
    """What the visits app knows about an enterprise (``OrgUnit`` of kind ``enterprise``)."""

    enterprise = models.OneToOneField(
        "casework.OrgUnit", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="visit_profile"
    )
    difficult = models.BooleanField(EnterpriseType.DIFFICULT.label, default=False)
    dispute_prone = models.BooleanField(EnterpriseType.DISPUTE_PRONE.label, default=False)
    small_private = models.BooleanField(EnterpriseType.SMALL_PRIVATE.label, default=False)
    migrant_heavy = models.BooleanField(EnterpriseType.MIGRANT_HEAVY.label, default=False)
    contact_point = models.BooleanField(EnterpriseType.CONTACT_POINT.label, default=False)
    union_hard = models.BooleanField(EnterpriseType.UNION_HARD.label, default=False)
    union_weak = models.BooleanField(EnterpriseType.UNION_WEAK.label, default=False)
    rarely_contacted = models.BooleanField(EnterpriseType.RARELY_CONTACTED.label, default=False)
    has_union = models.BooleanField(_("已建会"), default=False)
    collective_contract = models.BooleanField(_("已签订集体合同"), default=False)
    wage_bargaining = models.BooleanField(_("已开展工资集体协商"), default=False)
    workers_congress = models.BooleanField(_("已建立职代会 / 厂务公开"), default=False)
    employees = models.PositiveIntegerField(_("职工人数"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("企业走访类型")
        verbose_name_plural = _("企业走访类型")

    def __str__(self) -> str:
        return str(self.enterprise)

    @property
    def types(self) -> list[str]:
        return [t.value for t in EnterpriseType if getattr(self, t.value)]

    def type_labels(self) -> list[str]:
        return [str(EnterpriseType(t).label) for t in self.types]


class WorkGroup(models.Model):
    """A named visiting team (走访工作组) attached to a unit, with a leader and members."""

    name = models.CharField(_("工作组名称"), max_length=100)
    unit = models.ForeignKey(
        "casework.OrgUnit", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="visit_groups"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("组长"), on_delete=models.PROTECT, related_name="led_visit_groups"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("组员"), blank=True, related_name="visit_groups"
    )
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"))

    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("走访工作组")
        verbose_name_plural = _("走访工作组")
        ordering = ["unit__path", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"],
                name="visits_group_unique_name",
                violation_error_message=_("该单位已有同名的走访工作组。"),
            )
        ]

    def __str__(self) -> str:
        return self.name


class InterviewSequence(models.Model):
    """The last case-interview number of a group; locked (``select_for_update``) while numbering.

    Created with the group, so numbering never races on creating this row.
    """

    group = models.OneToOneField(WorkGroup, primary_key=True, on_delete=models.CASCADE, related_name="sequence")
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("访谈编号计数")
        verbose_name_plural = _("访谈编号计数")

    def __str__(self) -> str:
        return f"{self.group_id}: {self.last}"


class Target(models.Model):
    """A campaign target for one group and period (e.g. ≥5 enterprises and ≥50 workers)."""

    group = models.ForeignKey(WorkGroup, verbose_name=_("工作组"), on_delete=models.CASCADE, related_name="targets")
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))
    min_enterprises = models.PositiveIntegerField(_("走访企业数（家）"), default=0)
    min_workers = models.PositiveIntegerField(_("接触职工数（人）"), default=0)
    min_interviews = models.PositiveIntegerField(_("个案访谈数（人）"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("走访目标")
        verbose_name_plural = _("走访目标")
        ordering = ["-period_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="visits_target_period_order",
                violation_error_message=_("截止日期不能早于起始日期。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.period_start}–{self.period_end}"


class VisitKind(models.TextChoices):
    FORUM = "forum", _("座谈会")
    INTERVIEW = "interview", _("个案访谈")
    HOME = "home", _("入户走访慰问")
    LEGAL = "legal", _("法律咨询")
    OUTREACH = "outreach", _("宣讲")
    BRIEFING = "briefing", _("听取汇报")


class MustVisit(models.TextChoices):
    """八必访 (003): the eight kinds of worker a cadre must visit at home."""

    FRONTLINE = "frontline", _("生产一线职工")
    HARDSHIP = "hardship", _("生活困难职工")
    MIGRANT = "migrant", _("农民工")
    DISPATCHED = "dispatched", _("劳务派遣工")
    YOUNG = "young", _("青年职工")
    MODEL = "model", _("劳动模范")
    DELEGATE = "delegate", _("工会代表")
    PETITIONER = "petitioner", _("有利益诉求职工")


class Visit(models.Model):
    """One visit of a group to an enterprise (走进企业), with the 六必清 notes and the work log."""

    group = models.ForeignKey(WorkGroup, verbose_name=_("工作组"), on_delete=models.PROTECT, related_name="visits")
    enterprise = models.ForeignKey(
        "casework.OrgUnit", verbose_name=_("走访企业"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField(_("走访日期"), db_index=True)
    place = models.CharField(_("走访地点"), max_length=200, blank=True)
    kind = models.CharField(_("走访形式"), max_length=20, choices=VisitKind.choices)
    must_visit = models.CharField(
        _("八必访对象"), max_length=20, choices=MustVisit.choices, blank=True, help_text=_("入户走访时选择")
    )
    workers_met = models.PositiveIntegerField(_("接触职工人数"), default=0)
    workers_named = models.TextField(_("接触职工名单"), blank=True, help_text=_("每行一人，可不填"))
    # 六必清: the six things a visitor must come back knowing.
    difficulties = models.TextField(_("企业生产经营困难"), blank=True)
    bottlenecks = models.TextField(_("企业发展瓶颈"), blank=True)
    workforce_changes = models.TextField(_("职工队伍变化"), blank=True)
    conditions = models.TextField(_("职工生产生活状况"), blank=True)
    state_of_mind = models.TextField(_("职工思想动态"), blank=True)
    stability_risks = models.TextField(_("影响稳定的风险隐患"), blank=True)
    work_log = models.TextField(_("工作日志"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.enterprise}"

    def named_workers(self) -> list[str]:
        return [line.strip() for line in self.workers_named.splitlines() if line.strip()]


class VisitAttachment(models.Model):
    """A file kept with a visit, stored like case attachments (random name, outside public URLs)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="attachments")
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
        verbose_name = _("走访附件")
        verbose_name_plural = _("走访附件")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


# The personal details of the 个案访谈登记表: written only after the worker's consent.
PERSONAL_FIELDS = (
    "worker_name",
    "gender",
    "birth_month",
    "phone",
    "province",
    "city",
    "county",
    "hukou",
    "ethnicity",
    "political_status",
    "education",
    "post",
    "technical_title",
    "migrant",
    "dispatched",
)


# The 参考提纲 (000 附件3): eight sections an interview may follow as structured notes.
OUTLINE_SECTIONS = (
    ("s1", _("一、被访者个人基本情况")),
    ("s2", _("二、被访者主要工作经历及感受")),
    ("s3", _("三、被访者家庭经济状况及相关情况")),
    ("s4", _("四、被访者对当前劳动者的身份、地位、收入等问题的看法")),
    ("s5", _("五、被访者对所在单位的看法")),
    ("s6", _("六、被访者对工会的看法和对维护自身权益的相关看法")),
    ("s7", _("七、被访者对其他问题的看法")),
    ("s8", _("八、被访者最需要解决的困难、最希望要反映的问题或建议")),
)


class Interview(models.Model):
    """个案访谈登记表: one interviewed worker, numbered within the group (1, 2, 3 … no gaps)."""

    group = models.ForeignKey(WorkGroup, verbose_name=_("工作组"), on_delete=models.PROTECT, related_name="interviews")
    visit = models.ForeignKey(Visit, verbose_name=_("走访记录"), on_delete=models.PROTECT, related_name="interviews")
    number = models.PositiveIntegerField(_("个案编号"), editable=False)
    consent = models.BooleanField(_("职工同意登记个人信息"), default=False)
    consent_at = models.DateTimeField(_("同意时间"), null=True, blank=True)
    # 地区
    province = models.CharField(_("省"), max_length=30, blank=True)
    city = models.CharField(_("市"), max_length=30, blank=True)
    county = models.CharField(_("区县"), max_length=30, blank=True)
    employer = models.CharField(_("工作单位"), max_length=200, blank=True)
    worker_name = models.CharField(_("姓名"), max_length=50, blank=True)
    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN)
    birth_month = models.CharField(_("出生年月"), max_length=7, blank=True, help_text=_("格式：YYYY-MM"))
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    hukou = models.CharField(_("户籍所在地"), max_length=100, blank=True)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True)
    political_status = models.CharField(_("政治面貌"), max_length=20, blank=True)
    education = models.CharField(_("受教育程度"), max_length=20, blank=True)
    post = models.CharField(_("现任职务或岗位"), max_length=100, blank=True)
    technical_title = models.CharField(_("职称（技术等级）"), max_length=50, blank=True)
    migrant = models.BooleanField(_("农民工"), default=False)
    dispatched = models.BooleanField(_("劳务派遣工"), default=False)
    remark = models.TextField(_("备注"), blank=True)
    outline = models.JSONField(_("参考提纲记录"), default=dict, blank=True)
    notes = models.TextField(_("访谈情况记录"), blank=True)
    category = models.ForeignKey(
        "casework.Category",
        verbose_name=_("诉求类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    request = models.TextField(_("职工诉求"), blank=True)
    place = models.CharField(_("访问地点"), max_length=200, blank=True)
    interviewed_at = models.DateTimeField(_("访问时间"))
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("访问员（签名）"), on_delete=models.PROTECT, related_name="+"
    )
    original_pages = models.PositiveSmallIntegerField(_("访问记录原稿共（）页"), default=0)
    cleaned_pages = models.PositiveSmallIntegerField(_("整理后的个案材料共（）页"), default=0)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("调查组负责人（签名）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(_("签字时间"), null=True, blank=True)
    # 报送: 整理 → 组长签字 → 报送活动办公室 (000 附件4: written up the same day).
    written_up_at = models.DateTimeField(_("整理完成时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.ForeignKey(
        "casework.Case",
        verbose_name=_("登记案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visit_interviews",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("个案访谈")
        verbose_name_plural = _("个案访谈")
        ordering = ["group", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "number"],
                name="visits_interview_unique_number",
                violation_error_message=_("该工作组已有相同编号的个案访谈。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} #{self.number}"

    def outline_sections(self) -> list[tuple[str, str]]:
        """(section title, notes) for the sections filled in, in the outline's order."""
        notes = self.outline or {}
        return [(str(title), notes[key]) for key, title in OUTLINE_SECTIONS if notes.get(key)]

    def report_stage(self) -> str:
        """报送 stage: 整理中 → 已整理 → 组长已签字 → 已报送活动办公室."""
        if self.submitted_at:
            return str(_("已报送活动办公室"))
        if self.signed_off_at:
            return str(_("组长已签字"))
        if self.written_up_at:
            return str(_("已整理"))
        return str(_("整理中"))

    def late(self, today) -> bool:
        """Not written up by the end of the day after the interview (原则上当天整理完成)."""
        deadline = timezone.localdate(self.interviewed_at) + dt.timedelta(days=1)
        if self.written_up_at:
            return timezone.localdate(self.written_up_at) > deadline
        return today > deadline

    @property
    def region(self) -> str:
        return "".join(p for p in (self.province, self.city, self.county) if p)


class InterviewAccessLog(models.Model):
    """One view of an interviewed worker's unmasked phone number (个人信息查看记录).

    Append-only; written by ``services.interview_contact_viewed`` when a page or the printable
    form is a logged unmask (``casework.privacy.reveal``). An interview may have no case, so
    these rows live here rather than in the case's access log.
    """

    class Kind(models.TextChoices):
        PAGE = "page", _("访谈页面")
        PRINT = "print", _("打印登记表")
        PDF = "pdf", _("登记表（PDF）")

    interview = models.ForeignKey(
        Interview, verbose_name=_("个案访谈"), on_delete=models.CASCADE, related_name="access_logs"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("查看人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("查看时间"), db_index=True)
    kind = models.CharField(_("方式"), max_length=10, choices=Kind.choices, default=Kind.PAGE)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("访谈个人信息查看记录")
        verbose_name_plural = _("访谈个人信息查看记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.interview_id} {self.user_id} {self.at}"


class InterviewAttachment(models.Model):
    """An original (scanned notes, photos; PDF) kept with an interview, stored like case files."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="attachments")
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
        verbose_name = _("访谈原稿附件")
        verbose_name_plural = _("访谈原稿附件")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name
