"""Campaigns, cadres and work groups (set up by a leader or admin over the campaign's unit)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from casework import rules as case_rules
from casework.clock import now
from casework.exceptions import InvalidInput, NotAllowed
from casework.models import OrgUnit
from casework.models.org import FEDERATION_KINDS
from visits.models import WorkGroup

from .. import rules
from ..models import Cadre, Campaign, CampaignGroup
from ._common import clean, require, require_date, save, text


@dataclass
class CampaignInput:
    name: str
    period_start: dt.date
    period_end: dt.date
    units: Iterable[OrgUnit] = ()
    days_cadre: Decimal = Decimal(60)
    days_leader: Decimal = Decimal(90)
    enterprises: int = 2
    workers: int = 10
    logs: int = 10
    reports: int = 3
    typicals: int = 1


def _fill(campaign: Campaign, data: CampaignInput) -> list[OrgUnit]:
    campaign.name = require(data.name, "name", _("活动名称"))
    campaign.period_start = require_date(data.period_start, "period_start", _("起始日期"))
    campaign.period_end = require_date(data.period_end, "period_end", _("截止日期"))
    if campaign.period_end < campaign.period_start:
        raise InvalidInput(fields={"period_end": [_("截止日期不能早于起始日期。")]})
    for f in fields(CampaignInput):
        if f.name in ("name", "period_start", "period_end", "units"):
            continue
        value = getattr(data, f.name)
        try:
            value = Decimal(str(value)) if f.name.startswith("days_") else int(value)
        except (InvalidOperation, TypeError, ValueError):
            raise InvalidInput(fields={f.name: [_("请填写数字。")]}) from None
        if value < 0:
            raise InvalidInput(fields={f.name: [_("目标数不能为负数。")]})
        setattr(campaign, f.name, value)
    units = list(data.units or ())
    for unit in units:
        if not isinstance(unit, OrgUnit) or not unit.path.startswith(campaign.unit.path):
            raise InvalidInput(fields={"units": [_("参加单位须在主办单位辖区内。")]})
    clean(campaign)
    return units


def campaign_create(*, actor, unit: OrgUnit, data: CampaignInput) -> Campaign:
    """开展活动: a leader or admin over ``unit`` (a federation) sets up a campaign and its targets."""
    if unit.kind not in FEDERATION_KINDS:
        raise InvalidInput(fields={"unit": [_("主办单位须为总工会。")]})
    if not rules.can_create(actor, unit):
        raise NotAllowed(_("您没有在该单位开展活动的权限。"))
    with transaction.atomic():
        campaign = Campaign(unit=unit, created_by=actor, created_at=now())
        units = _fill(campaign, data)
        save(campaign, actor, _("开展活动"))
        campaign.units.set(units)
        return campaign


def campaign_update(*, actor, campaign: Campaign, data: CampaignInput) -> Campaign:
    """Change the period or targets. Days already logged must stay inside the period."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().select_related("unit").get(pk=campaign.pk)
        if not rules.can_manage(actor, campaign):
            raise NotAllowed(_("您没有修改该活动的权限。"))
        units = _fill(campaign, data)
        from ..models import Participation, WorkLog

        outside = (
            Participation.objects.filter(group__campaign=campaign)
            .exclude(day__range=(campaign.period_start, campaign.period_end))
            .exists()
            or WorkLog.objects.filter(group__campaign=campaign)
            .exclude(day__range=(campaign.period_start, campaign.period_end))
            .exists()
        )
        if outside:
            raise InvalidInput(fields={"period_start": [_("已有驻点记录或工作日志在新的活动期间之外。")]})
        save(campaign, actor, _("修改活动"))
        campaign.units.set(units)
        return campaign


def cadre_for_user(*, actor, user, post: str = "") -> Cadre:
    """The cadre record of a staff user (made on first use; name and unit from the profile)."""
    profile = case_rules.profile(user)
    if profile is None or not user.is_active:
        raise InvalidInput(fields={"user": [_("只能选择启用的工作人员。")]})
    with transaction.atomic():
        cadre = Cadre.objects.select_for_update().filter(user=user).first()
        if cadre is not None:
            return cadre
        cadre = Cadre(user=user, name=user.get_full_name() or user.username, unit=profile.unit, post=text(post)[:100])
        clean(cadre)
        save(cadre, actor, _("登记参与干部"))
        return cadre


def cadre_create(*, actor, campaign: Campaign, name: str, unit: OrgUnit, post: str = "") -> Cadre:
    """A named cadre without a login (their unit inside the campaign's unit)."""
    if not rules.can_manage(actor, campaign):
        raise NotAllowed(_("您没有登记参与干部的权限。"))
    if not isinstance(unit, OrgUnit) or not unit.path.startswith(campaign.unit.path):
        raise InvalidInput(fields={"unit": [_("干部所在单位须在主办单位辖区内。")]})
    with transaction.atomic():
        cadre = Cadre(name=require(name, "name", _("姓名")), unit=unit, post=text(post))
        clean(cadre)
        save(cadre, actor, _("登记参与干部"))
        return cadre


def _check_cadres(campaign: Campaign, cadres: Iterable, field: str) -> list[Cadre]:
    result = []
    for cadre in cadres:
        if not isinstance(cadre, Cadre) or not cadre.unit.path.startswith(campaign.unit.path):
            raise InvalidInput(fields={field: [_("参与干部须为主办单位辖区内的干部。")]})
        result.append(cadre)
    return result


def _check_work_group(campaign: Campaign, work_group, group: CampaignGroup | None) -> None:
    if work_group is None:
        return
    if not isinstance(work_group, WorkGroup) or not work_group.unit.path.startswith(campaign.unit.path):
        raise InvalidInput(fields={"work_group": [_("走访工作组须属于主办单位辖区。")]})
    taken = CampaignGroup.objects.filter(work_group=work_group)
    if group is not None:
        taken = taken.exclude(pk=group.pk)
    if taken.exists():
        raise InvalidInput(fields={"work_group": [_("该走访工作组已计入其他活动工作组。")]})


def group_create(
    *, actor, campaign: Campaign, name: str, leader: Cadre, members: Iterable = (), work_group=None
) -> CampaignGroup:
    """成立活动工作组: its leader and members (参与干部), optionally on a visits work group."""
    if not rules.can_manage(actor, campaign):
        raise NotAllowed(_("您没有在该活动中成立工作组的权限。"))
    (leader,) = _check_cadres(campaign, [leader], "leader")
    members = _check_cadres(campaign, members, "members")
    with transaction.atomic():
        _check_work_group(campaign, work_group, None)
        group = CampaignGroup(campaign=campaign, name=require(name, "name", _("工作组名称")), leader=leader)
        group.work_group = work_group
        clean(group)
        save(group, actor, _("成立工作组"))
        group.members.set([m for m in members if m.pk != leader.pk])
        return group


def group_update(
    *, actor, group: CampaignGroup, name: str, leader: Cadre, members: Iterable = (), work_group=None
) -> CampaignGroup:
    with transaction.atomic():
        group = CampaignGroup.objects.select_for_update().select_related("campaign__unit").get(pk=group.pk)
        campaign = group.campaign
        if not rules.can_manage(actor, campaign):
            raise NotAllowed(_("您没有修改该工作组的权限。"))
        (leader,) = _check_cadres(campaign, [leader], "leader")
        members = _check_cadres(campaign, members, "members")
        _check_work_group(campaign, work_group, group)
        group.name = require(name, "name", _("工作组名称"))
        group.leader, group.work_group = leader, work_group
        clean(group)
        save(group, actor, _("修改工作组"))
        group.members.set([m for m in members if m.pk != leader.pk])
        return group
