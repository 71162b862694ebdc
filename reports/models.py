"""What the supervisors' side stores: who saw personal data, 问责 notes, 公示 opt-ins.

Figures are never stored: every report is computed from cases, stages and clocks.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessKind(models.TextChoices):
    CASE_PAGE = "case_page", _("案件页面（完整个人信息）")
    API = "api", _("接口（完整个人信息）")
    EXPORT = "export", _("导出")
    PORTAL = "portal", _("职工本人网上查询")


class AccessLog(models.Model):
    """One view of a worker's unmasked personal data (phone, ID number) by a staff member.

    Append-only; written by ``services.access_log_record`` from the page hook.
    """

    case = models.ForeignKey("casework.Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("查看人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("查看时间"), db_index=True)
    kind = models.CharField(_("方式"), max_length=20, choices=AccessKind.choices, default=AccessKind.CASE_PAGE)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"], name="accesslog_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.user_id} {self.at}"


class AccountabilityNote(models.Model):
    """问责: a supervisor's note on overdue or poor handling, naming whom it concerns."""

    case = models.ForeignKey(
        "casework.Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="accountability_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "casework.OrgUnit",
        verbose_name=_("被问责单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.CharField(_("被问责人"), max_length=100, blank=True)
    note = models.TextField(_("问责意见"))
    created_at = models.DateTimeField(_("记录时间"), db_index=True)

    class Meta:
        verbose_name = _("问责记录")
        verbose_name_plural = _("问责记录")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.created_at}"


class Publication(models.Model):
    """公示 opt-in: this closed case may appear on the public results board.

    The board shows only category, enterprise, outcome, level and month: nothing about
    the worker, and none of the free text (which may name people).
    """

    case = models.OneToOneField(
        "casework.Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="publication"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("公示人"), on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("公示时间"), db_index=True)

    class Meta:
        verbose_name = _("结果公示")
        verbose_name_plural = _("结果公示")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"{self.case_id}"
