"""Writes of 条条有回音: record a voice, and give it exactly one end (case / answer / no action).

One transaction each, the voice row locked before its outcome is read; a refused call writes
nothing. Errors are casework's domain exceptions with Chinese messages.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import rules as case_rules
from casework.clock import now
from casework.exceptions import InvalidInput, NotAllowed
from casework.models import Case, OrgUnit
from casework.selectors import visible_cases

from .models import Voice, VoiceOutcome, VoiceSource


def _covers(user, unit: OrgUnit) -> bool:
    if user is not None and user.is_authenticated and user.is_superuser:
        return True
    p = case_rules.profile(user)
    return p is not None and unit.path.startswith(p.unit.path)


def _text(value) -> str:
    return str(value if value is not None else "").strip()


def _save(voice: Voice, actor, reason: str) -> None:
    try:
        voice.full_clean()
    except ValidationError as exc:
        raise InvalidInput(fields=exc.message_dict) from None
    voice._history_user = actor
    voice._change_reason = reason
    voice.save()


def voice_record(
    *, actor, unit: OrgUnit, source: str, summary: str, raised_on: dt.date, worker_name: str = "", visit=None
) -> Voice:
    """记录一条职工诉求 (座谈会 / 走访职工意见 / 其他) for ``unit``."""
    if not _covers(actor, unit):
        raise NotAllowed(_("您没有为该单位记录职工诉求的权限。"))
    errors: dict[str, list[str]] = {}
    if source not in (VoiceSource.FORUM, VoiceSource.VISIT, VoiceSource.OTHER):
        errors["source"] = [_("请选择有效的来源。")]
    if not _text(summary):
        errors["summary"] = [_("请填写诉求内容。")]
    if not isinstance(raised_on, dt.date) or raised_on > timezone.localdate(now()):
        errors["raised_on"] = [_("提出日期不能晚于今天。")]
    if any("\x00" in _text(v) for v in (summary, worker_name)):
        errors["summary"] = [_("不能包含空字符。")]
    if (
        visit is not None
        and not visit.group.unit.path.startswith(unit.path)
        and not unit.path.startswith(visit.group.unit.path)
    ):
        errors["visit"] = [_("走访记录不属于该单位。")]
    if errors:
        raise InvalidInput(fields=errors)
    voice = Voice(unit=unit, source=source, summary=_text(summary), raised_on=raised_on,
                  worker_name=_text(worker_name), visit=visit, created_by=actor, created_at=now())  # fmt: skip
    with transaction.atomic():
        _save(voice, actor, _("记录职工诉求"))
    return voice


def _outcome_text(outcome: str, text: str) -> tuple[str, str]:
    text = _text(text)
    if "\x00" in text:
        raise InvalidInput(fields={"text": [_("不能包含空字符。")]})
    if outcome == VoiceOutcome.ANSWERED:
        if not text:
            raise InvalidInput(fields={"answer": [_("请填写答复内容。")]})
        return "answer", text
    if outcome == VoiceOutcome.NO_ACTION:
        if not text:
            raise InvalidInput(fields={"reason": [_("请填写无需办理的理由。")]})
        return "reason", text
    raise InvalidInput(fields={"outcome": [_("请选择有效的回音方式。")]})


def _case_for(actor, number: str) -> Case:
    case = visible_cases(actor).filter(number=_text(number)).first() if _text(number) else None
    if case is None:
        raise InvalidInput(fields={"case": [_("案件不存在，或您无权查看。")]})
    return case


def voice_close(*, actor, voice: Voice, outcome: str, text: str = "", case_number: str = "") -> Voice:
    """Give a voice its one end: 当场答复 (answer), 无需办理 (reason) or a case (linked both ways)."""
    with transaction.atomic():
        voice = Voice.objects.select_for_update(of=("self",)).select_related("unit").get(pk=voice.pk)
        if not _covers(actor, voice.unit):
            raise NotAllowed(_("您没有答复该职工诉求的权限。"))
        if voice.outcome:
            raise InvalidInput(_("该职工诉求已有回音：%(o)s。") % {"o": voice.get_outcome_display()})
        if outcome == VoiceOutcome.CASE:
            voice.case = _case_for(actor, case_number)
        else:
            field, text = _outcome_text(outcome, text)
            setattr(voice, field, text)
        voice.outcome, voice.outcome_by, voice.outcome_at = outcome, actor, now()
        _save(voice, actor, str(VoiceOutcome(outcome).label))
        return voice


def interview_close(*, actor, interview, outcome: str, text: str = "") -> Voice:
    """An interview's 诉求 answered on the spot or needing no action (a case goes through the
    visits app's 登记案件): recorded as the interview's voice, once."""
    from visits.models import Interview

    if outcome not in (VoiceOutcome.ANSWERED, VoiceOutcome.NO_ACTION):
        raise InvalidInput(fields={"outcome": [_("个案访谈登记案件请在访谈页面操作。")]})
    field, text = _outcome_text(outcome, text)
    with transaction.atomic():
        interview = Interview.objects.select_for_update(of=("self",)).select_related("group__unit").get(pk=interview.pk)
        if not _covers(actor, interview.group.unit):
            raise NotAllowed(_("您没有答复该职工诉求的权限。"))
        if interview.case_id:
            raise InvalidInput(_("该个案访谈已登记为案件。"))
        if Voice.objects.filter(interview=interview).exists():
            raise InvalidInput(_("该个案访谈的诉求已有回音。"))
        if not interview.request:
            raise InvalidInput(_("该个案访谈没有登记职工诉求。"))
        voice = Voice(unit=interview.group.unit, source=VoiceSource.INTERVIEW, interview=interview,
                      visit_id=interview.visit_id, raised_on=timezone.localtime(interview.interviewed_at).date(),
                      worker_name=interview.worker_name, summary=interview.request, outcome=outcome,
                      outcome_by=actor, outcome_at=now(), created_by=actor, created_at=now())  # fmt: skip
        setattr(voice, field, text)
        _save(voice, actor, str(VoiceOutcome(outcome).label))
        return voice
