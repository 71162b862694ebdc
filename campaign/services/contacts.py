"""联系点, 联系户 / 结对帮扶 and help given to 困难职工 families."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from casework.clock import now
from casework.exceptions import InvalidInput, NotAllowed
from casework.models import OrgUnit
from casework.validators import normalize_phone

from .. import rules
from ..models import Cadre, Campaign, ContactPoint, Family, FamilyAccess, FamilyContact, Hardship, HelpKind, Pairing
from ._common import clean, in_period, not_future, require, require_date, save, text

MONEY_KINDS = (HelpKind.CONDOLENCE, HelpKind.WARMTH, HelpKind.SCHOOLING, HelpKind.MEDICAL)


def _in_campaign(campaign: Campaign, unit, field: str, message) -> OrgUnit:
    if not isinstance(unit, OrgUnit) or not unit.path.startswith(campaign.unit.path):
        raise InvalidInput(fields={field: [message]})
    return unit


def _campaign_cadre(campaign: Campaign, cadre, field: str) -> Cadre:
    if not isinstance(cadre, Cadre) or not cadre.unit.path.startswith(campaign.unit.path):
        raise InvalidInput(fields={field: [_("请选择主办单位辖区内的参与干部。")]})
    return cadre


def point_add(
    *, actor, campaign: Campaign, place: OrgUnit, unit: OrgUnit, cadre: Cadre | None = None, since: dt.date
) -> ContactPoint:
    """联系点: an enterprise or community attached to a unit (and optionally a cadre)."""
    if not rules.can_manage(actor, campaign):
        raise NotAllowed(_("您没有设立联系点的权限。"))
    place = _in_campaign(campaign, place, "place", _("联系点须在主办单位辖区内。"))
    unit = _in_campaign(campaign, unit, "unit", _("联系单位须在主办单位辖区内。"))
    if cadre is not None:
        cadre = _campaign_cadre(campaign, cadre, "cadre")
    since = require_date(since, "since", _("建立日期"))
    with transaction.atomic():
        point = ContactPoint(campaign=campaign, place=place, unit=unit, cadre=cadre, since=since)
        clean(point)
        save(point, actor, _("设立联系点"))
        return point


def family_create(
    *,
    actor,
    campaign: Campaign,
    unit: OrgUnit,
    head: str,
    phone: str = "",
    address: str = "",
    employer: str = "",
    members: int = 1,
    hardship: str = "",
    situation: str = "",
) -> Family:
    """联系户 / 困难职工建档. A family with a ``hardship`` is on the 困难职工 register."""
    if not rules.can_keep_families(actor, campaign):
        raise NotAllowed(_("您没有为该活动建立联系户档案的权限。"))
    unit = _in_campaign(campaign, unit, "unit", _("建档单位须在主办单位辖区内。"))
    if hardship and hardship not in Hardship.values:
        raise InvalidInput(fields={"hardship": [_("请选择困难类型。")]})
    try:
        phone = normalize_phone(text(phone))
    except ValidationError as exc:
        raise InvalidInput(fields={"phone": list(exc.messages)}) from None
    with transaction.atomic():
        family = Family(
            campaign=campaign,
            unit=unit,
            head=require(head, "head", _("职工姓名")),
            phone=phone,
            address=text(address),
            employer=text(employer),
            members=members,
            hardship=hardship or "",
            situation=text(situation),
            created_by=actor,
            created_at=now(),
        )
        clean(family)
        if family.members < 1:
            raise InvalidInput(fields={"members": [_("家庭人口至少为 1。")]})
        save(family, actor, _("建立联系户档案"))
        return family


def pairing_add(*, actor, family: Family, cadre: Cadre, since: dt.date) -> Pairing:
    """结对帮扶: a cadre takes on a family from ``since``."""
    campaign = family.campaign
    if not rules.can_keep_families(actor, campaign):
        raise NotAllowed(_("您没有为该联系户安排结对帮扶的权限。"))
    cadre = _campaign_cadre(campaign, cadre, "cadre")
    since = require_date(since, "since", _("结对日期"))
    not_future(since, "since")
    with transaction.atomic():
        Family.objects.select_for_update().get(pk=family.pk)
        if Pairing.objects.filter(family=family, cadre=cadre, until__isnull=True).exists():
            raise InvalidInput(fields={"cadre": [_("该干部已与该户结对。")]})
        pairing = Pairing(family=family, cadre=cadre, since=since)
        clean(pairing)
        save(pairing, actor, _("结对帮扶"))
        return pairing


def family_contact_add(
    *, actor, family: Family, kind: str, on: dt.date, delivered_by: Cadre, amount=None, note: str = ""
) -> FamilyContact:
    """A contact with a family, or help given: 慰问 / 送温暖 / 助学 / 医疗 with an amount > 0,
    就业帮扶 or 走访联系 with none required. The day lies in the campaign period."""
    campaign = family.campaign
    if not rules.can_keep_families(actor, campaign):
        raise NotAllowed(_("您没有为该联系户登记帮扶的权限。"))
    if kind not in HelpKind.values:
        raise InvalidInput(fields={"kind": [_("请选择帮扶方式。")]})
    delivered_by = _campaign_cadre(campaign, delivered_by, "delivered_by")
    on = require_date(on, "on", _("日期"))
    in_period(campaign, on, "on")
    not_future(on, "on")
    if amount in ("", None):
        amount = None
    else:
        try:
            amount = Decimal(str(amount))
        except InvalidOperation:
            raise InvalidInput(fields={"amount": [_("金额须为数字。")]}) from None
        if not amount.is_finite() or amount <= 0:
            raise InvalidInput(fields={"amount": [_("金额必须大于零。")]})
    if amount is None and kind in MONEY_KINDS:
        raise InvalidInput(fields={"amount": [_("请填写金额。")]})
    with transaction.atomic():
        contact = FamilyContact(
            family=family,
            kind=kind,
            on=on,
            amount=amount,
            delivered_by=delivered_by,
            note=text(note),
            created_by=actor,
            created_at=now(),
        )
        clean(contact)
        save(contact, actor, _("登记帮扶记录"))
        return contact


def family_access_record(*, family: Family, user, kind: str, ip: str | None = None) -> FamilyAccess:
    """个人信息查看记录: a family's unmasked details were shown to ``user`` (append-only)."""
    return FamilyAccess.objects.create(family=family, user=user, at=now(), kind=kind, ip=ip or None)
