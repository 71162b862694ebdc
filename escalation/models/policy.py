"""Time-limit policies (时限规则): how long a stage may take and what a breach does."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..units import LengthUnit


class Stage(models.TextChoices):
    RECEIPT = "receipt", _("受理告知")
    ENTERPRISE = "enterprise", _("企业层面办理")
    UNION = "union", _("工会层面办理")
    GOVERNMENT = "government", _("党委政府层面办理")
    REPLY = "reply", _("答复职工")
    FOLLOW_UP = "follow_up", _("回访")
    REVIEW = "review", _("复查办理")
    RE_REVIEW = "re_review", _("复核办理")


LEVEL_STAGES = (Stage.ENTERPRISE, Stage.UNION, Stage.GOVERNMENT)


class Unit(models.TextChoices):
    CALENDAR_DAYS = LengthUnit.CALENDAR_DAYS, _("自然日")
    WORKING_DAYS = LengthUnit.WORKING_DAYS, _("工作日")
    HOURS = LengthUnit.HOURS, _("小时")


class BreachAction(models.TextChoices):
    ESCALATE = "escalate", _("自动上报上一层级")
    FLAG = "flag", _("标红并通知，等待督办")
    CLOSE = "close", _("按未评价办结")


class TimePolicy(models.Model):
    """One rule; the most specific active rule for a case's stage applies (see ``policies.py``).

    Specificity, strongest first: urgent-only, then the group threshold (higher wins), then
    the unit (a nearer unit of the handling unit's ancestry wins), then the category.
    """

    name = models.CharField(_("名称"), max_length=100)
    stage = models.CharField(_("环节"), max_length=20, choices=Stage.choices)
    category = models.ForeignKey(
        "casework.Category",
        verbose_name=_("诉求类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("留空表示所有类别。"),
    )
    unit = models.ForeignKey(
        "casework.OrgUnit",
        verbose_name=_("适用单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("适用于该单位及其下级单位；留空表示全省。"),
    )
    min_workers = models.PositiveIntegerField(
        _("集体诉求人数下限"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2)],
        help_text=_("填写后仅适用于涉及人数不少于此数的集体诉求。"),
    )
    urgent_only = models.BooleanField(_("仅适用于紧急案件"), default=False)
    length = models.PositiveIntegerField(_("时限"), validators=[MinValueValidator(1), MaxValueValidator(3650)])
    length_unit = models.CharField(_("时限单位"), max_length=20, choices=Unit.choices, default=Unit.CALENDAR_DAYS)
    warn_fraction = models.DecimalField(
        _("已用时限比例达到时预警"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        default="0.667",
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    warn_days_left = models.PositiveSmallIntegerField(
        _("剩余天数不多于时预警"), null=True, blank=True, default=3, help_text=_("两项都填时，以先到者为准。")
    )
    breach_action = models.CharField(_("超期处理"), max_length=20, choices=BreachAction.choices)
    max_extension_days = models.PositiveSmallIntegerField(
        _("延期上限（天）"), null=True, blank=True, help_text=_("留空时，延期不得超过原时限。")
    )
    active = models.BooleanField(_("启用"), default=True)
    note = models.TextField(_("依据与说明"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("时限规则")
        verbose_name_plural = _("时限规则")
        ordering = ["stage", "unit", "category", "pk"]
        indexes = [models.Index(fields=["stage", "active"], name="policy_stage_active")]

    def __str__(self) -> str:
        return f"{self.name}（{self.length}{self.get_length_unit_display()}）"

    def clean(self) -> None:
        errors = {}
        if self.breach_action == BreachAction.ESCALATE and self.stage not in (Stage.ENTERPRISE, Stage.UNION):
            errors["breach_action"] = _("只有企业层面和工会层面可以超期自动上报。")
        if self.breach_action == BreachAction.CLOSE and self.stage != Stage.FOLLOW_UP:
            errors["breach_action"] = _("只有回访环节可以超期按未评价办结。")
        if self.length_unit == Unit.HOURS and self.warn_days_left:
            errors["warn_days_left"] = _("按小时计算的时限请只用已用比例预警。")
        if errors:
            raise ValidationError(errors)

    def snapshot(self) -> dict:
        """What a clock keeps: the rule as it was when the stage started."""
        # ``policies.candidates`` reads the version with the policy (one query, not two).
        latest = self.__dict__.get("latest_history_id")
        if latest is None:
            latest = self.history.order_by("-history_id").values_list("history_id", flat=True).first()
        return {
            "policy_id": self.pk,
            "version": latest,
            "name": self.name,
            "stage": self.stage,
            "length": self.length,
            "length_unit": self.length_unit,
            "warn_fraction": str(self.warn_fraction) if self.warn_fraction is not None else None,
            "warn_days_left": self.warn_days_left,
            "breach_action": self.breach_action,
            "max_extension_days": self.max_extension_days,
        }
