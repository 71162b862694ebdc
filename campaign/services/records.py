"""What cadres record: days at the grassroots (驻点时间), work logs, 调研报告 and 典型."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from casework.clock import now
from casework.dates import format_day
from casework.exceptions import InvalidInput, NotAllowed
from casework.services import check_files, write_file
from visits.models import Visit

from .. import rules
from ..models import (
    Cadre,
    CampaignGroup,
    Participation,
    Report,
    Slot,
    StoredFile,
    Typical,
    TypicalKind,
    WorkLog,
)
from ._common import clean, in_period, not_future, require, require_date, save, text

MAX_STAY_DAYS = 31
# Which slots a new entry collides with: a full day takes both halves.
_CLASHES = {Slot.DAY: [Slot.DAY, Slot.AM, Slot.PM], Slot.AM: [Slot.DAY, Slot.AM], Slot.PM: [Slot.DAY, Slot.PM]}


def _group_cadre(group: CampaignGroup, cadre, field: str = "cadre") -> Cadre:
    if not isinstance(cadre, Cadre) or (cadre.pk != group.leader_id and not group.members.filter(pk=cadre.pk).exists()):
        raise InvalidInput(fields={field: [_("请选择本工作组的参与干部。")]})
    return cadre


def _locked_group(group: CampaignGroup, actor, message) -> CampaignGroup:
    group = (
        CampaignGroup.objects.select_related("campaign__unit", "leader", "work_group")
        .prefetch_related("members")
        .get(pk=group.pk)
    )
    if not rules.can_record(group, actor):
        raise NotAllowed(message)
    return group


def participation_add(
    *,
    actor,
    group: CampaignGroup,
    visit: Visit,
    cadre: Cadre,
    day_from: dt.date,
    day_to: dt.date | None = None,
    slot: str = Slot.DAY,
) -> list[Participation]:
    """驻点时间: ``cadre`` took part in ``visit`` from ``day_from`` to ``day_to`` (each day the
    given slot: 全天, 上午 or 下午).

    Refused: a day outside the campaign period or in the future, a day before the visit, and
    a half-day in which the cadre is already recorded elsewhere (one place at a time). The
    cadre's row is locked (``select_for_update``) so two entries for the same cadre queue up
    and the second sees the first.
    """
    group = _locked_group(group, actor, _("您不是该工作组成员，不能登记驻点时间。"))
    campaign = group.campaign
    day_from = require_date(day_from, "day_from", _("日期"))
    day_to = require_date(day_to or day_from, "day_to", _("截止日期"))
    if slot not in Slot.values:
        raise InvalidInput(fields={"slot": [_("请选择时段。")]})
    if day_to < day_from:
        raise InvalidInput(fields={"day_to": [_("截止日期不能早于起始日期。")]})
    if (day_to - day_from).days >= MAX_STAY_DAYS:
        raise InvalidInput(fields={"day_to": [_("一次最多登记 %(n)d 天。") % {"n": MAX_STAY_DAYS}]})
    if not isinstance(visit, Visit) or group.work_group_id is None or visit.group_id != group.work_group_id:
        raise InvalidInput(fields={"visit": [_("请选择本工作组的走访记录。")]})
    for field, day in (("day_from", day_from), ("day_to", day_to)):
        in_period(campaign, day, field)
        not_future(day, field)
    if day_from < visit.visited_on:
        raise InvalidInput(fields={"day_from": [_("驻点日期不能早于走访日期。")]})
    with transaction.atomic():
        cadre = Cadre.objects.select_for_update().get(pk=getattr(cadre, "pk", None) or 0) if cadre else None
        cadre = _group_cadre(group, cadre)
        days = [day_from + dt.timedelta(days=i) for i in range((day_to - day_from).days + 1)]
        clash = (
            Participation.objects.filter(cadre=cadre, day__in=days, slot__in=_CLASHES[Slot(slot)])
            .select_related("visit__enterprise")
            .order_by("day")
            .first()
        )
        if clash is not None:
            raise InvalidInput(
                fields={
                    "day_from": [
                        _("%(name)s %(day)s %(slot)s已有驻点记录（%(place)s），同一半天不能记录两次走访。")
                        % {
                            "name": cadre.name,
                            "day": format_day(clash.day),
                            "slot": clash.get_slot_display(),
                            "place": clash.visit.enterprise.name,
                        }
                    ]
                }
            )
        created = []
        for day in days:
            p = Participation(
                group=group, cadre=cadre, visit=visit, day=day, slot=slot, created_by=actor, created_at=now()
            )
            clean(p)
            save(p, actor, _("登记驻点时间"))
            created.append(p)
        return created


def participation_remove(*, actor, participation: Participation) -> None:
    """Take back a wrongly logged day (its work log, if any, must go first)."""
    with transaction.atomic():
        p = Participation.objects.select_for_update().get(pk=participation.pk)
        group = _locked_group(p.group, actor, _("您不是该工作组成员，不能删除驻点记录。"))
        remaining = Participation.objects.filter(cadre=p.cadre_id, day=p.day, group__campaign=group.campaign)
        if (
            remaining.exclude(pk=p.pk).count() == 0
            and WorkLog.objects.filter(cadre=p.cadre_id, day=p.day, group__campaign=group.campaign).exists()
        ):
            raise InvalidInput(_("该日已有工作日志，请先删除工作日志。"))
        p._history_user = actor
        p.delete()


def worklog_save(*, actor, group: CampaignGroup, cadre: Cadre, day: dt.date, content: str) -> WorkLog:
    """工作日志: one per cadre and day at the grassroots (a day with a 驻点 entry); saving
    again the same day replaces the text."""
    group = _locked_group(group, actor, _("您不是该工作组成员，不能填写工作日志。"))
    day = require_date(day, "day", _("日期"))
    in_period(group.campaign, day, "day")
    not_future(day, "day")
    content = require(content, "content", _("日志内容"))
    with transaction.atomic():
        cadre = _group_cadre(group, Cadre.objects.select_for_update().filter(pk=getattr(cadre, "pk", 0)).first())
        if not Participation.objects.filter(cadre=cadre, day=day, group__campaign=group.campaign).exists():
            raise InvalidInput(fields={"day": [_("该干部当天没有驻点记录，不能填写工作日志。")]})
        log = WorkLog.objects.filter(cadre=cadre, day=day).first()
        if log is not None and log.group_id != group.pk:
            raise InvalidInput(fields={"day": [_("该干部当天的工作日志已记在其他工作组。")]})
        log = log or WorkLog(group=group, cadre=cadre, day=day, created_by=actor, created_at=now())
        log.content = content
        clean(log)
        save(log, actor, _("填写工作日志"))
        return log


def _store(actor, upload, folder: str) -> tuple[StoredFile | None, list[Path]]:
    written: list[Path] = []
    if upload is None:
        return None, written
    (item,) = check_files([upload])
    stored_name, sha256 = write_file(item, folder, written)
    stored = StoredFile.objects.create(
        name=item.name,
        stored_name=stored_name,
        content_type=item.content_type,
        size=item.size,
        sha256=sha256,
        uploaded_by=actor,
        uploaded_at=now(),
    )
    return stored, written


def report_file(
    *,
    actor,
    group: CampaignGroup,
    author: Cadre,
    title: str,
    subject: str,
    findings: str,
    suggestions: str = "",
    filed_on: dt.date,
    attachment=None,
) -> Report:
    """调研报告: filed by the group, credited to its author (a cadre of the group)."""
    group = _locked_group(group, actor, _("您不是该工作组成员，不能报送调研报告。"))
    author = _group_cadre(group, author, "author")
    filed_on = require_date(filed_on, "filed_on", _("报送日期"))
    not_future(filed_on, "filed_on")
    report = Report(
        group=group,
        author=author,
        title=require(title, "title", _("标题")),
        subject=require(subject, "subject", _("调研主题")),
        findings=require(findings, "findings", _("发现的问题")),
        suggestions=text(suggestions),
        filed_on=filed_on,
        created_by=actor,
        created_at=now(),
    )
    clean(report, exclude=["attachment"])
    written: list[Path] = []
    try:
        with transaction.atomic():
            report.attachment, written = _store(actor, attachment, f"campaign/{group.campaign_id}")
            save(report, actor, _("报送调研报告"))
            return report
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


def typical_file(
    *, actor, group: CampaignGroup, author: Cadre, kind: str, title: str, content: str, filed_on: dt.date
) -> Typical:
    """典型: a typical experience or case the group found."""
    group = _locked_group(group, actor, _("您不是该工作组成员，不能报送典型。"))
    author = _group_cadre(group, author, "author")
    if kind not in TypicalKind.values:
        raise InvalidInput(fields={"kind": [_("请选择类型。")]})
    filed_on = require_date(filed_on, "filed_on", _("报送日期"))
    not_future(filed_on, "filed_on")
    with transaction.atomic():
        typical = Typical(
            group=group,
            author=author,
            kind=kind,
            title=require(title, "title", _("标题")),
            content=require(content, "content", _("主要内容")),
            filed_on=filed_on,
            created_by=actor,
            created_at=now(),
        )
        clean(typical)
        save(typical, actor, _("报送典型"))
        return typical
