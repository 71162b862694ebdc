"""The organisation tree and the staff who work in it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.models import HistoricalRecords


class UnitKind(models.TextChoices):
    PROVINCE_FEDERATION = "province_federation", _("省总工会")
    CITY_FEDERATION = "city_federation", _("市总工会")
    COUNTY_FEDERATION = "county_federation", _("区县总工会")
    ENTERPRISE = "enterprise", _("企业")
    ENTERPRISE_UNION = "enterprise_union", _("企业工会")
    GOVERNMENT = "government", _("党委政府部门")


FEDERATION_KINDS = (
    UnitKind.PROVINCE_FEDERATION,
    UnitKind.CITY_FEDERATION,
    UnitKind.COUNTY_FEDERATION,
)


class OrgUnit(models.Model):
    """A node of the tree: federations, enterprises and their unions, departments.

    ``path`` is a materialised path (``"000001.000004."``) so that a subtree is one
    indexed ``LIKE 'prefix%'`` range scan, whatever the depth.
    """

    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=200, db_index=True)
    kind = models.CharField(_("类型"), max_length=30, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region_code = models.CharField(_("行政区划代码"), max_length=12, blank=True)
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    active = models.BooleanField(_("启用"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("组织单位")
        verbose_name_plural = _("组织单位")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        """Keeps ``path`` true, in the row and in the history row simple_history writes.

        A unit that has its id gets its path before the write. A new one learns its id from
        the insert, inside which simple_history writes the creation row: ``unit_path_in_history``
        gives that row the path, and one ``UPDATE`` then stores it in the unit's own row — one
        history row per creation, carrying the path.
        """
        if self.pk is not None:
            self.path = self.tree_path()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "path"}
        super().save(*args, **kwargs)
        path = self.tree_path()
        if path != self.path:
            self.path = path
            OrgUnit.objects.filter(pk=self.pk).update(path=path)

    def tree_path(self) -> str:
        """The path this unit belongs at: its parent's, then its own id (the id must be known)."""
        return (self.parent.path if self.parent_id else "") + f"{self.pk:06d}."

    def ancestors(self) -> list["OrgUnit"]:
        """This unit and its ancestors, nearest first.

        One query through the materialised path (the loaded parents are cached on the
        instances, so walking up again costs nothing); walks ``parent`` when the path is
        not (yet) consistent.
        """
        ids = [int(p) for p in self.path.split(".") if p.isdigit()] if self.path else []
        chain, unit = [self], self
        while unit.parent_id is not None and OrgUnit.parent.is_cached(unit):
            unit = unit.parent
            chain.append(unit)
        if unit.parent_id is not None and ids and ids[-1] == self.pk:
            by_id = {u.pk: u for u in OrgUnit.objects.filter(pk__in=ids[: -len(chain)])}
            for pk in reversed(ids[: -len(chain)]):
                parent = by_id.get(pk)
                if parent is None or parent.pk != unit.parent_id:
                    break
                unit.parent = parent
                unit = parent
                chain.append(unit)
        while unit.parent_id is not None:
            unit = unit.parent
            chain.append(unit)
        return chain

    def nearest(self, *kinds: str) -> "OrgUnit | None":
        """The nearest unit (this one or above) of one of ``kinds``."""
        for unit in self.ancestors():
            if unit.kind in kinds:
                return unit
        return None

    @property
    def county(self) -> "OrgUnit | None":
        return self.nearest(UnitKind.COUNTY_FEDERATION)

    def enterprise_union(self) -> "OrgUnit":
        """The unit that handles the enterprise level: its union, else the enterprise."""
        union = self.children.filter(kind=UnitKind.ENTERPRISE_UNION, active=True).first()
        return union or self


def unit_path_in_history(sender, instance, history_instance, **kwargs) -> None:
    """simple_history's ``pre_create_historical_record`` for ``OrgUnit``: a new unit's creation
    row carries the path ``OrgUnit.save`` stores right after the insert (the path holds the id
    the insert has just given it)."""
    if not history_instance.path and instance.pk is not None:
        history_instance.path = instance.tree_path()


class Role(models.TextChoices):
    INTAKE = "intake", _("接待登记")
    OFFICER = "officer", _("承办人")
    LEADER = "leader", _("包案领导")
    SUPERVISOR = "supervisor", _("督导检查")
    ADMIN = "admin", _("系统管理员")


class StaffProfile(models.Model):
    """Which unit a staff member works in, and in which role."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="staff"
    )
    unit = models.ForeignKey(OrgUnit, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    phone = models.CharField(_("电话"), max_length=20, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.get_username()} ({self.get_role_display()})"


class TwoFactorDevice(TOTPDevice):
    """两步验证设备: django-otp's ``TOTPDevice`` (same table) under a Chinese name, for the
    admin; django-otp names it "TOTP device" without gettext."""

    class Meta:
        proxy = True
        verbose_name = _("两步验证设备")
        verbose_name_plural = _("两步验证设备")
