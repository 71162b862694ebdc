"""联系点, 联系户 / 结对帮扶 and the 困难职工 register.

A family's name, phone and address are personal data: pages and the API show them masked
unless the request is a logged unmask (``FamilyAccess``), like a case's worker.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .core import Cadre, Campaign


class ContactPoint(models.Model):
    """联系点: an enterprise or community a unit or cadre is attached to for the campaign.

    Visited at least once a quarter (a visit to ``place`` by any group of the campaign, or a
    recorded contact); otherwise it is overdue (``campaign.overdue``).
    """

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="contact_points"
    )
    place = models.ForeignKey(
        "casework.OrgUnit", verbose_name=_("联系点（企业或社区）"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey("casework.OrgUnit", verbose_name=_("联系单位"), on_delete=models.PROTECT, related_name="+")
    cadre = models.ForeignKey(
        Cadre, verbose_name=_("联系干部"), null=True, blank=True, on_delete=models.PROTECT, related_name="points"
    )
    since = models.DateField(_("建立日期"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("联系点")
        verbose_name_plural = _("联系点")
        ordering = ["campaign", "place__path", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "place"],
                name="campaign_point_unique_place",
                violation_error_message=_("该企业（社区）已是本活动的联系点。"),
            )
        ]

    def __str__(self) -> str:
        return str(self.place)


class Hardship(models.TextChoices):
    ILLNESS = "illness", _("因病")
    DISABILITY = "disability", _("因残")
    DISASTER = "disaster", _("因灾")
    SCHOOLING = "schooling", _("子女就学")
    UNEMPLOYMENT = "unemployment", _("下岗失业")
    SINGLE_PARENT = "single_parent", _("单亲")
    LOW_INCOME = "low_income", _("收入低")
    OTHER = "other", _("其他")


class Family(models.Model):
    """联系户: a worker's family a unit keeps in touch with; ``hardship`` set = 困难职工 family."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="families")
    unit = models.ForeignKey("casework.OrgUnit", verbose_name=_("建档单位"), on_delete=models.PROTECT, related_name="+")
    head = models.CharField(_("职工姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("家庭住址"), max_length=200, blank=True)
    employer = models.CharField(_("工作单位"), max_length=200, blank=True)
    members = models.PositiveSmallIntegerField(_("家庭人口"), default=1)
    hardship = models.CharField(_("困难类型"), max_length=20, choices=Hardship.choices, blank=True)
    situation = models.TextField(_("困难情况"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("建档人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("建档时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("联系户")
        verbose_name_plural = _("联系户")
        ordering = ["campaign", "pk"]

    def __str__(self) -> str:
        return f"{self.campaign_id} #{self.pk}"


class Pairing(models.Model):
    """结对帮扶: a cadre paired with a family, since a date (ended when ``until`` is set)."""

    family = models.ForeignKey(Family, verbose_name=_("联系户"), on_delete=models.PROTECT, related_name="pairings")
    cadre = models.ForeignKey(Cadre, verbose_name=_("帮扶干部"), on_delete=models.PROTECT, related_name="pairings")
    since = models.DateField(_("结对日期"))
    until = models.DateField(_("结束日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("结对帮扶")
        verbose_name_plural = _("结对帮扶")
        ordering = ["family", "since", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "cadre"],
                condition=models.Q(until__isnull=True),
                name="campaign_pairing_one_open",
                violation_error_message=_("该干部已与该户结对。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.cadre} → {self.family_id}"


class HelpKind(models.TextChoices):
    CONTACT = "contact", _("走访联系")
    CONDOLENCE = "condolence", _("慰问")
    WARMTH = "warmth", _("送温暖")
    SCHOOLING = "schooling", _("助学")
    MEDICAL = "medical", _("医疗救助")
    EMPLOYMENT = "employment", _("就业帮扶")


class FamilyContact(models.Model):
    """One contact with a family: a visit or call, or help given (amount in yuan, > 0 if any)."""

    family = models.ForeignKey(Family, verbose_name=_("联系户"), on_delete=models.PROTECT, related_name="contacts")
    kind = models.CharField(_("方式"), max_length=20, choices=HelpKind.choices)
    on = models.DateField(_("日期"))
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2, null=True, blank=True)
    delivered_by = models.ForeignKey(
        Cadre, verbose_name=_("经办干部"), on_delete=models.PROTECT, related_name="family_contacts"
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("帮扶记录")
        verbose_name_plural = _("帮扶记录")
        ordering = ["-on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gt=0),
                name="campaign_help_amount_positive",
                violation_error_message=_("金额必须大于零。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.family_id} {self.on} {self.get_kind_display()}"


class FamilyAccess(models.Model):
    """个人信息查看记录 for families: who saw a family's unmasked details, when, from where.

    Append-only. (Cases keep theirs in ``reports.AccessLog``, which is tied to a case.)
    """

    family = models.ForeignKey(Family, verbose_name=_("联系户"), on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("查看人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("查看时间"), db_index=True)
    kind = models.CharField(_("方式"), max_length=20)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("联系户信息查看记录")
        verbose_name_plural = _("联系户信息查看记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.family_id} {self.user_id} {self.at}"
