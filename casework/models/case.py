"""The case (案件) and its status machine.

The status changes only through the transitions below, and those are called only by
``casework.services`` (one transaction, the row locked, one history row per change).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition

from .. import clock, rules
from ..history import ActingHistory


class ClockedDateTimeField(models.DateTimeField):
    """``auto_now`` / ``auto_now_add`` read from the project's clock (``casework.clock.now``),
    so a case the demo works on a past date (``clock.travel``) carries that date; otherwise
    the same as Django's."""

    def pre_save(self, model_instance, add):
        if self.auto_now or (self.auto_now_add and add):
            value = clock.now()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)


class Status(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    ENTERPRISE = "enterprise", _("企业层面办理")
    UNION = "union", _("工会层面办理")
    GOVERNMENT = "government", _("党委政府层面办理")
    # One stored status for two moments the union names apart: see ``status_label``.
    ANSWERED = "answered", _("已形成结果")
    CLOSED = "closed", _("已办结")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    WITHDRAWN = "withdrawn", _("已撤回")
    MERGED = "merged", _("已合并")


ANSWERED_UNREPLIED = _("已形成结果·待答复职工")
ANSWERED_REPLIED = _("已答复·待回访")


def status_label(status: str, replied: bool) -> str:
    """The status as union staff say it: ``answered`` reads 已形成结果·待答复职工 until the owner
    has told the worker, then 已答复·待回访 (DOMAIN.md). Counts by status use the plain label."""
    if status == Status.ANSWERED:
        return str(ANSWERED_REPLIED if replied else ANSWERED_UNREPLIED)
    try:
        return str(Status(status).label)
    except ValueError:
        return status


# ``answered`` split as staff tell it apart (``status_label``): the filter bar's values and the
# dashboard's rows. Plain ``answered`` still filters both.
ANSWERED_SPLIT = {"answered_unreplied": False, "answered_replied": True}


def status_choices() -> list[tuple[str, str]]:
    """The statuses as staff name them, ``answered`` as its two steps (for the filter bar)."""
    choices: list[tuple[str, str]] = []
    for value in Status.values:
        if value == Status.ANSWERED:
            choices += [(code, status_label(value, replied)) for code, replied in ANSWERED_SPLIT.items()]
        else:
            choices.append((value, status_label(value, False)))
    return choices


def status_lookup(value: str) -> dict | None:
    """The field lookups a status filter value means (``status_choices``, or any status);
    None for an unknown value."""
    if value in ANSWERED_SPLIT:
        return {"status": Status.ANSWERED, "replied_at__isnull": not ANSWERED_SPLIT[value]}
    return {"status": value} if value in Status.values else None


class Level(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业层面")
    UNION = "union", _("工会层面")
    GOVERNMENT = "government", _("党委政府层面")


LADDER = [Level.ENTERPRISE, Level.UNION, Level.GOVERNMENT]
LEVEL_STATUSES = [Status.ENTERPRISE, Status.UNION, Status.GOVERNMENT]
OPEN_STATUSES = [Status.REGISTERED, *LEVEL_STATUSES]
TERMINAL_STATUSES = [Status.CLOSED, Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.MERGED]


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("已解决")
    PARTLY_RESOLVED = "partly_resolved", _("部分解决")
    EXPLAINED = "explained", _("解释答复")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    WITHDRAWN = "withdrawn", _("撤回")
    MERGED = "merged", _("合并")


RESULT_OUTCOMES = [Outcome.RESOLVED, Outcome.PARTLY_RESOLVED, Outcome.EXPLAINED]


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically_satisfied", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")
    NOT_RATED = "not_rated", _("未评价")


class ReplyMethod(models.TextChoices):
    PHONE = "phone", _("电话")
    SMS = "sms", _("短信")
    LETTER = "letter", _("书面函件")
    IN_PERSON = "in_person", _("当面告知")


class CaseNumberSequence(models.Model):
    """The last case number issued per year; its row lock serialises numbering."""

    year = models.PositiveSmallIntegerField(_("年度"), primary_key=True)
    last = models.PositiveIntegerField(_("已发出的最后序号"), default=0)

    class Meta:
        verbose_name = _("案件编号序列")
        verbose_name_plural = _("案件编号序列")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Case(FSMModelMixin, models.Model):
    number = models.CharField(_("案件编号"), max_length=32, unique=True)
    # Indexed by ``case_status`` (Meta): a plain btree, without the ``LIKE`` index Django adds
    # for a ``db_index`` text field (every case write maintains each index of this table).
    status = FSMField(_("状态"), default=Status.REGISTERED, choices=Status.choices, protected=True)
    level = models.CharField(_("当前层级"), max_length=20, choices=Level.choices, blank=True, default="")
    # ``handling_unit``, ``county``, ``owner`` and ``due_at`` lead composite indexes (Meta), which
    # serve their lookups and ordering: no index of their own.
    handling_unit = models.ForeignKey(
        "casework.OrgUnit",
        verbose_name=_("承办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_cases",
        db_index=False,
    )
    receiving_unit = models.ForeignKey(
        "casework.OrgUnit", verbose_name=_("受理单位"), on_delete=models.PROTECT, related_name="received_cases"
    )
    enterprise = models.ForeignKey(
        "casework.OrgUnit", verbose_name=_("所在企业"), on_delete=models.PROTECT, related_name="enterprise_cases"
    )
    county = models.ForeignKey(
        "casework.OrgUnit",
        verbose_name=_("属地"),
        on_delete=models.PROTECT,
        related_name="county_cases",
        help_text=_("案件所属区县，决定谁能看到它。"),
        db_index=False,
    )
    # What the worker told at this intake belongs to this case alone (a returning worker is
    # a new record per case), so no registration can change what another case shows.
    worker = models.OneToOneField(
        "casework.Worker", verbose_name=_("职工"), on_delete=models.PROTECT, related_name="case"
    )
    category = models.ForeignKey("casework.Category", verbose_name=_("诉求类别"), on_delete=models.PROTECT)
    channel = models.ForeignKey("casework.Channel", verbose_name=_("受理渠道"), on_delete=models.PROTECT)
    place = models.CharField(_("受理地点"), max_length=200, blank=True)
    summary = models.TextField(_("反映问题"))
    request = models.TextField(_("职工诉求"))
    workers_involved = models.PositiveIntegerField(_("涉及人数"), default=1)
    urgent = models.BooleanField(_("紧急"), default=False)
    consent = models.BooleanField(_("已告知并同意个人信息处理"), default=False)
    # ``db_default``: bulk ``INSERT … SELECT`` paths (benchmarks, tests) that name their columns stay valid.
    anonymous_to_enterprise = models.BooleanField(
        _("对企业匿名"),
        default=False,
        db_default=False,
        help_text=_("企业及企业工会的工作人员看不到职工姓名和联系方式。"),
    )

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("首问负责人"),
        on_delete=models.PROTECT,
        related_name="owned_cases",
        db_index=False,
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("包案领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_cases",
    )
    # 主席接待日: the leader who received the worker when the case was filed at a reception day
    # (the session itself links to the case from the reception app's register entry).
    receiving_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接待领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_cases",
    )
    outcome = models.CharField(_("办理结果"), max_length=20, choices=Outcome.choices, blank=True, default="")
    result = models.TextField(_("结果说明"), blank=True)
    answered_level = models.CharField(_("结果形成层级"), max_length=20, choices=Level.choices, blank=True, default="")
    guidance = models.TextField(_("不予受理的告知与指引"), blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("合并至"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged_cases"
    )
    reply_method = models.CharField(_("答复方式"), max_length=20, choices=ReplyMethod.choices, blank=True, default="")
    reply_content = models.TextField(_("答复内容"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=20, choices=Satisfaction.choices, blank=True, default="")
    satisfaction_comment = models.TextField(_("回访意见"), blank=True)
    systemic = models.BooleanField(_("倾向性、普遍性问题"), default=False)
    reopen_count = models.PositiveSmallIntegerField(_("复查次数"), default=0)

    received_at = models.DateTimeField(_("受理时间"), db_index=True)
    due_at = models.DateTimeField(_("当前环节期限"), null=True, blank=True)
    warn_at = models.DateTimeField(_("预警时间"), null=True, blank=True)
    paused_at = models.DateTimeField(_("挂起时间"), null=True, blank=True, help_text=_("挂起期间时限停止计算。"))
    answered_at = models.DateTimeField(_("形成结果时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    updated_at = ClockedDateTimeField(_("更新时间"), auto_now=True)

    # The last change, so that every history row reads as one timeline entry.
    version = models.PositiveIntegerField(_("版本号"), default=1)
    last_action = models.CharField(_("最近一次操作"), max_length=30, blank=True, default="")
    prev_status = models.CharField(_("操作前状态"), max_length=20, blank=True, default="")

    # History rows are read by case (``id``) and number only; every other index of the table
    # would be written with each row and never used.
    history = ActingHistory(
        excluded_fields=["updated_at"],
        no_db_index=[
            "status",
            "handling_unit",
            "receiving_unit",
            "enterprise",
            "county",
            "worker",
            "category",
            "channel",
            "owner",
            "leader",
            "receiving_leader",
            "merged_into",
            "received_at",
            "due_at",
        ],
    )

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["status"], name="case_status"),
            models.Index(fields=["handling_unit", "status"], name="case_unit_status"),
            models.Index(fields=["county", "status", "due_at"], name="case_county_status_due"),
            models.Index(fields=["owner", "status"], name="case_owner_status"),
            # The supervisor dashboard (reports): counts by status (an answered case apart once
            # the worker is told: replied_at) and handling unit per county, an index-only scan
            # (owner and leader: a supervisor also sees the cases they own or lead, an OR the
            # scan tests on the index); the red list in deadline order.
            models.Index(
                fields=["county", "status", "handling_unit"],
                include=["paused_at", "warn_at", "due_at", "replied_at", "owner", "leader", "id"],
                condition=models.Q(status__in=[*OPEN_STATUSES, Status.ANSWERED]),
                name="case_dash_clocked",
            ),
            models.Index(
                fields=["due_at", "id"],
                condition=models.Q(status__in=[*OPEN_STATUSES, Status.ANSWERED], paused_at__isnull=True),
                name="case_dash_red",
            ),
            # The period reports' earlier ratings (reports.selectors.outcomes.earlier_ratings):
            # the few reopened cases of a period, without reading the period's cases.
            models.Index(fields=["received_at"], condition=models.Q(reopen_count__gt=0), name="case_reopened"),
        ]
        permissions = [
            ("register_case", _("可登记案件")),
            ("handle_case", _("可承办案件")),
            ("lead_case", _("可包案")),
            ("supervise_case", _("可督导案件")),
            ("view_personal_data", _("可查看职工完整个人信息")),
        ]

    def __str__(self) -> str:
        return self.number

    def get_status_display(self) -> str:
        return status_label(self.status, self.replied_at is not None)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    # --- the status machine (DOMAIN.md) -------------------------------------------

    @transition(field=status, source=Status.REGISTERED, target=Status.ENTERPRISE, permission=rules.is_owner)
    def accept(self) -> None:
        self.level = Level.ENTERPRISE

    @transition(field=status, source=Status.REGISTERED, target=Status.NOT_ACCEPTED, permission=rules.is_owner)
    def not_accept(self, *, guidance: str) -> None:
        self.outcome = Outcome.NOT_ACCEPTED
        self.guidance = guidance

    @transition(field=status, source=Status.ENTERPRISE, target=Status.UNION, permission=rules.can_handle)
    def escalate_to_union(self) -> None:
        self.level = Level.UNION

    @transition(field=status, source=Status.UNION, target=Status.GOVERNMENT, permission=rules.can_handle)
    def escalate_to_government(self) -> None:
        self.level = Level.GOVERNMENT

    @transition(field=status, source=LEVEL_STATUSES, target=Status.ANSWERED, permission=rules.can_handle)
    def resolve(self, *, outcome: str, result: str) -> None:
        self.outcome = outcome
        self.result = result
        self.answered_level = self.level

    @transition(
        field=status,
        source=Status.ANSWERED,
        target=Status.CLOSED,
        conditions=[rules.is_replied],
        permission=rules.is_owner_or_worker,
    )
    def follow_up(self, *, satisfaction: str, comment: str) -> None:
        self.satisfaction = satisfaction
        self.satisfaction_comment = comment

    @transition(
        field=status,
        source=Status.ANSWERED,
        target=Status.CLOSED,
        conditions=[rules.is_replied],
        permission=rules.can_close,
    )
    def close(self) -> None:
        if not self.satisfaction:
            self.satisfaction = Satisfaction.NOT_RATED

    @transition(
        field=status,
        source=[Status.ANSWERED, Status.CLOSED],
        target=RETURN_VALUE("enterprise", "union", "government"),
        conditions=[rules.may_reopen],
        permission=rules.is_owner_or_worker,
    )
    def reopen(self) -> str:
        return rules.reopen_target(self)

    @transition(field=status, source=OPEN_STATUSES, target=Status.WITHDRAWN, permission=rules.is_owner_or_worker)
    def withdraw(self) -> None:
        self.outcome = Outcome.WITHDRAWN

    @transition(field=status, source=OPEN_STATUSES, target=Status.MERGED, permission=rules.can_merge)
    def merge(self, *, into: "Case") -> None:
        self.outcome = Outcome.MERGED
        self.merged_into = into


class StageResult(models.TextChoices):
    ESCALATED = "escalated", _("上报上一层级")
    ANSWERED = "answered", _("形成结果")
    WITHDRAWN = "withdrawn", _("撤回")
    MERGED = "merged", _("合并")


class CaseStage(models.Model):
    """One stay of a case at one level of the ladder, with the unit that handled it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stages")
    level = models.CharField(_("层级"), max_length=20, choices=Level.choices)
    unit = models.ForeignKey("casework.OrgUnit", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("开始"))
    ended_at = models.DateTimeField(_("结束"), null=True, blank=True)
    result = models.CharField(_("结果"), max_length=20, choices=StageResult.choices, blank=True, default="")

    class Meta:
        verbose_name = _("办理层级记录")
        verbose_name_plural = _("办理层级记录")
        ordering = ["started_at", "pk"]
        indexes = [models.Index(fields=["unit", "case"], name="stage_unit_case")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.level}"

    @property
    def duration(self):
        if self.ended_at:
            return self.ended_at - self.started_at
        return None
