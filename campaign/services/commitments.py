"""办实事: a unit's public commitments — registered, noted, completed and published by a
leader or admin over the unit."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.clock import now
from casework.exceptions import InvalidInput, NotAllowed
from casework.models import OrgUnit
from casework.models.org import FEDERATION_KINDS
from visits import rules as visit_rules

from ..models import Commitment, CommitmentNote, CommitmentStatus
from ._common import clean, not_future, require, require_date, save, text


def _locked(commitment: Commitment, actor) -> Commitment:
    c = Commitment.objects.select_for_update().select_related("unit").get(pk=commitment.pk)
    if not visit_rules.can_manage(actor, c.unit):
        raise NotAllowed(_("您没有管理该单位办实事承诺的权限。"))
    return c


def commitment_create(
    *, actor, unit: OrgUnit, year: int, title: str, due_on: dt.date, owner: str, content: str = ""
) -> Commitment:
    """公开承诺: one thing ``unit`` (a federation) will do for workers in ``year``."""
    if not isinstance(unit, OrgUnit) or unit.kind not in FEDERATION_KINDS:
        raise InvalidInput(fields={"unit": [_("承诺单位须为总工会。")]})
    if not visit_rules.can_manage(actor, unit):
        raise NotAllowed(_("您没有管理该单位办实事承诺的权限。"))
    due_on = require_date(due_on, "due_on", _("承诺完成日期"))
    if due_on.year != year:
        raise InvalidInput(fields={"due_on": [_("承诺完成日期须在承诺年度内。")]})
    with transaction.atomic():
        c = Commitment(
            unit=unit,
            year=year,
            title=require(title, "title", _("承诺事项")),
            content=text(content),
            due_on=due_on,
            owner=require(owner, "owner", _("责任人")),
            created_by=actor,
            created_at=now(),
        )
        clean(c)
        save(c, actor, _("登记办实事承诺"))
        return c


def commitment_note(*, actor, commitment: Commitment, text_: str, on: dt.date | None = None) -> CommitmentNote:
    """进展情况: a dated note on an open commitment."""
    with transaction.atomic():
        c = _locked(commitment, actor)
        if c.status == CommitmentStatus.DONE:
            raise InvalidInput(_("该承诺已办结，不能再记录进展。"))
        on = require_date(on or timezone.localdate(now()), "on", _("日期"))
        not_future(on, "on")
        note = CommitmentNote(
            commitment=c, on=on, text=require(text_, "text", _("进展情况")), created_by=actor, created_at=now()
        )
        clean(note)
        note.save()
        return note


def commitment_complete(*, actor, commitment: Commitment, result: str, done_on: dt.date) -> Commitment:
    """办结: the result and the day it was done."""
    with transaction.atomic():
        c = _locked(commitment, actor)
        if c.status == CommitmentStatus.DONE:
            raise InvalidInput(_("该承诺已办结。"))
        done_on = require_date(done_on, "done_on", _("办结日期"))
        not_future(done_on, "done_on")
        c.result = require(result, "result", _("办理结果"))
        c.status, c.done_on = CommitmentStatus.DONE, done_on
        clean(c)
        save(c, actor, _("承诺办结"))
        return c


def commitment_publish(*, actor, commitment: Commitment, published: bool = True) -> Commitment:
    """公开 on the public board when the unit decides (or withdrawn from it)."""
    with transaction.atomic():
        c = _locked(commitment, actor)
        c.published = bool(published)
        c.published_at = now() if c.published else None
        save(c, actor, _("公开承诺") if c.published else _("撤回公开"))
        return c


def commitment_update(
    *, actor, commitment: Commitment, title: str, due_on: dt.date, owner: str, content: str = ""
) -> Commitment:
    """Correct an open commitment (title, content, due date within its year, owner); a
    commitment done is final. The history keeps every earlier wording."""
    with transaction.atomic():
        c = _locked(commitment, actor)
        if c.status == CommitmentStatus.DONE:
            raise InvalidInput(_("该承诺已办结，不能再修改。"))
        due_on = require_date(due_on, "due_on", _("承诺完成日期"))
        if due_on.year != c.year:
            raise InvalidInput(fields={"due_on": [_("承诺完成日期须在承诺年度内。")]})
        c.title = require(title, "title", _("承诺事项"))
        c.owner = require(owner, "owner", _("责任人"))
        c.content, c.due_on = text(content), due_on
        clean(c)
        save(c, actor, _("修改办实事承诺"))
        return c


def commitment_delete(*, actor, commitment: Commitment) -> None:
    """Remove a commitment entered by mistake: only while nothing hangs on it — never
    published, no progress note, not done. A public promise is kept (withdraw it instead)."""
    with transaction.atomic():
        c = _locked(commitment, actor)
        if c.published or c.history.filter(published=True).exists():
            raise InvalidInput(_("该承诺已公开过，不能删除；可撤回公开。"))
        if c.status == CommitmentStatus.DONE or c.notes.exists():
            raise InvalidInput(_("该承诺已有进展记录或已办结，不能删除。"))
        c._history_user = actor
        c._change_reason = _("删除办实事承诺")
        c.delete()
