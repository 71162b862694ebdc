"""办实事: a unit's public commitments (公开承诺) for the year, with progress notes and the result."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.models.org import UnitKind

# At least this many commitments a year, by the kind of unit (DOMAIN: city ≥ 3, county ≥ 1).
MIN_PER_YEAR = {UnitKind.CITY_FEDERATION: 3, UnitKind.COUNTY_FEDERATION: 1}


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("推进中")
    DONE = "done", _("已办结")


class Commitment(models.Model):
    """One concrete thing a unit commits to do for workers this year."""

    unit = models.ForeignKey(
        "casework.OrgUnit", verbose_name=_("承诺单位"), on_delete=models.PROTECT, related_name="commitments"
    )
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    title = models.CharField(_("承诺事项"), max_length=200)
    content = models.TextField(_("具体内容"), blank=True)
    due_on = models.DateField(_("承诺完成日期"))
    owner = models.CharField(_("责任人"), max_length=50)
    status = models.CharField(_("状态"), max_length=10, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN)
    result = models.TextField(_("办理结果"), blank=True)
    done_on = models.DateField(_("办结日期"), null=True, blank=True)
    published = models.BooleanField(_("已公开"), default=False)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("办实事承诺")
        verbose_name_plural = _("办实事承诺")
        ordering = ["-year", "unit__path", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == CommitmentStatus.OPEN

    def overdue(self, today) -> bool:
        return self.status == CommitmentStatus.OPEN and self.due_on < today


class CommitmentNote(models.Model):
    """A progress note (进展情况) on a commitment."""

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("办实事承诺"), on_delete=models.CASCADE, related_name="notes"
    )
    on = models.DateField(_("日期"))
    text = models.TextField(_("进展情况"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("承诺进展")
        verbose_name_plural = _("承诺进展")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.commitment_id} {self.on}"
