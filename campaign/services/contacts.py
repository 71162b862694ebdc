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


# --- corrections: edit and delete (history kept by simple_history, with who and why) ---------


def _delete(instance, actor, reason: str) -> None:
    instance._history_user = actor
    instance._change_reason = reason
    instance.delete()


def point_update(
    *, actor, point: ContactPoint, place: OrgUnit, unit: OrgUnit, cadre: Cadre | None = None, since: dt.date
) -> ContactPoint:
    """Correct a 联系点 (place, unit, cadre, since): the campaign's managers."""
    with transaction.atomic():
        point = ContactPoint.objects.select_for_update().select_related("campaign__unit").get(pk=point.pk)
        campaign = point.campaign
        if not rules.can_manage(actor, campaign):
            raise NotAllowed(_("您没有修改联系点的权限。"))
        point.place = _in_campaign(campaign, place, "place", _("联系点须在主办单位辖区内。"))
        point.unit = _in_campaign(campaign, unit, "unit", _("联系单位须在主办单位辖区内。"))
        point.cadre = _campaign_cadre(campaign, cadre, "cadre") if cadre is not None else None
        point.since = require_date(since, "since", _("建立日期"))
        clean(point)
        save(point, actor, _("修改联系点"))
        return point


def point_delete(*, actor, point: ContactPoint) -> None:
    """撤销联系点: nothing refers to a point (its visits are the enterprise's), so a manager may
    remove it; the history keeps the row, who removed it and when."""
    with transaction.atomic():
        point = ContactPoint.objects.select_for_update().select_related("campaign__unit").get(pk=point.pk)
        if not rules.can_manage(actor, point.campaign):
            raise NotAllowed(_("您没有撤销联系点的权限。"))
        _delete(point, actor, _("撤销联系点"))


def family_update(
    *,
    actor,
    family: Family,
    unit: OrgUnit,
    head: str,
    phone: str = "",
    address: str = "",
    employer: str = "",
    members: int = 1,
    hardship: str = "",
    situation: str = "",
) -> Family:
    """Correct a 联系户 / 困难职工 record."""
    with transaction.atomic():
        family = Family.objects.select_for_update().select_related("campaign__unit").get(pk=family.pk)
        campaign = family.campaign
        if not rules.can_correct_family(actor, family.campaign):
            raise NotAllowed(_("您没有修改该联系户档案的权限。"))
        family.unit = _in_campaign(campaign, unit, "unit", _("建档单位须在主办单位辖区内。"))
        if hardship and hardship not in Hardship.values:
            raise InvalidInput(fields={"hardship": [_("请选择困难类型。")]})
        try:
            family.phone = normalize_phone(text(phone))
        except ValidationError as exc:
            raise InvalidInput(fields={"phone": list(exc.messages)}) from None
        family.head = require(head, "head", _("职工姓名"))
        family.address, family.employer = text(address), text(employer)
        family.members, family.hardship, family.situation = members, hardship or "", text(situation)
        clean(family)
        if family.members < 1:
            raise InvalidInput(fields={"members": [_("家庭人口至少为 1。")]})
        save(family, actor, _("修改联系户档案"))
        return family


def family_delete(*, actor, family: Family) -> None:
    """删除联系户档案 entered by mistake: only while nothing hangs on it — no pairing, no
    contact or help recorded, and no logged view of its details (that log is kept)."""
    with transaction.atomic():
        family = Family.objects.select_for_update().select_related("campaign__unit").get(pk=family.pk)
        if not rules.can_correct_family(actor, family.campaign):
            raise NotAllowed(_("您没有删除该联系户档案的权限。"))
        if family.pairings.exists() or family.contacts.exists():
            raise InvalidInput(_("该联系户已有结对或帮扶记录，不能删除。"))
        if FamilyAccess.objects.filter(family=family).exists():
            raise InvalidInput(_("该联系户的个人信息已有查看记录，档案须保留，不能删除。"))
        _delete(family, actor, _("删除联系户档案"))


def pairing_update(*, actor, pairing: Pairing, since: dt.date, until: dt.date | None = None) -> Pairing:
    """Correct the start of a 结对帮扶, or end it (``until``, not before ``since``, not in the future)."""
    with transaction.atomic():
        pairing = Pairing.objects.select_for_update().select_related("family__campaign__unit").get(pk=pairing.pk)
        if not rules.can_keep_families(actor, pairing.family.campaign):
            raise NotAllowed(_("您没有修改该结对帮扶的权限。"))
        pairing.since = require_date(since, "since", _("结对日期"))
        not_future(pairing.since, "since")
        if until is not None:
            until = require_date(until, "until", _("结束日期"))
            not_future(until, "until")
            if until < pairing.since:
                raise InvalidInput(fields={"until": [_("结束日期不能早于结对日期。")]})
        pairing.until = until
        if until is None and (
            Pairing.objects.filter(family=pairing.family_id, cadre=pairing.cadre_id, until__isnull=True)
            .exclude(pk=pairing.pk)
            .exists()
        ):
            raise InvalidInput(fields={"until": [_("该干部已与该户结对。")]})
        clean(pairing)
        save(pairing, actor, _("结束结对帮扶") if until else _("修改结对帮扶"))
        return pairing


def pairing_delete(*, actor, pairing: Pairing) -> None:
    """Remove a pairing entered by mistake (nothing refers to it; an ended pairing is kept by
    setting ``until`` instead). The history keeps the row."""
    with transaction.atomic():
        pairing = Pairing.objects.select_for_update().select_related("family__campaign__unit").get(pk=pairing.pk)
        if not rules.can_keep_families(actor, pairing.family.campaign):
            raise NotAllowed(_("您没有删除该结对帮扶的权限。"))
        _delete(pairing, actor, _("删除结对帮扶"))
