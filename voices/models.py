"""A worker's voice (职工诉求/意见) raised outside a case: at a 座谈会, in a visit's 职工意见, in a
case interview (个案访谈) — and how it ended (条条有回音).

Reception-day entries carry their own outcome (the reception app) and are read as voices
through the source registry (``selectors.SOURCES``); a voice here links to a visit or an
interview of the visits app when it came from one. Dependencies: voices → visits, casework.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class VoiceSource(models.TextChoices):
    FORUM = "forum", _("座谈会")
    VISIT = "visit", _("走访职工意见")
    INTERVIEW = "interview", _("个案访谈")
    OTHER = "other", _("其他")


class VoiceOutcome(models.TextChoices):
    """The three ends a voice may have: exactly one."""

    CASE = "case", _("登记为案件")
    ANSWERED = "answered", _("当场答复")
    NO_ACTION = "no_action", _("无需办理")


class Voice(models.Model):
    unit = models.ForeignKey(
        "casework.OrgUnit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="voices"
    )
    source = models.CharField(_("来源"), max_length=20, choices=VoiceSource.choices)
    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("走访记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="voices",
    )
    interview = models.OneToOneField(
        "visits.Interview",
        verbose_name=_("个案访谈"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="voice",
    )
    raised_on = models.DateField(_("提出日期"), db_index=True)
    worker_name = models.CharField(_("提出人"), max_length=50, blank=True)
    summary = models.TextField(_("诉求内容"))
    outcome = models.CharField(_("回音"), max_length=20, choices=VoiceOutcome.choices, blank=True, default="")
    case = models.ForeignKey(
        "casework.Case",
        verbose_name=_("登记案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="voices",
    )
    answer = models.TextField(_("答复内容"), blank=True)
    reason = models.TextField(_("无需办理的理由"), blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    outcome_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("职工诉求")
        verbose_name_plural = _("职工诉求")
        ordering = ["raised_on", "pk"]
        indexes = [models.Index(fields=["unit", "outcome", "raised_on"], name="voice_unit_outcome")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(outcome="case") | models.Q(case__isnull=False),
                name="voice_case_outcome_has_case",
                violation_error_message=_("登记为案件须关联案件。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.raised_on}"
