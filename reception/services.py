"""Every write of the reception app (house rule 1): one transaction each, ``full_clean`` first.

Errors a user can hit are casework's domain exceptions with Chinese messages; a refused call
writes nothing. Filing an entry as a case goes through ``casework.services.case_register``
(the receiving leader is recorded on the case) in the same transaction as the link.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from casework import services as case_services
from casework.clock import now
from casework.dates import format_moment
from casework.exceptions import InvalidInput, NotAllowed
from casework.models import Case, Category, OrgUnit
from casework.models.org import FEDERATION_KINDS, UnitKind
from casework.validators import normalize_phone

from . import rules
from .models import EntryOutcome, ReceptionEntry, ReceptionSession, SessionForm, SessionStatus

RECEPTION_CHANNEL = "reception_day"  # casework reference data: 主席接待日
MAX_SESSION_HOURS = 24


def _clean(instance, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise InvalidInput(fields=exc.message_dict) from None


def _save(instance, actor, reason: str = "") -> None:
    instance._history_user = actor
    if reason:
        instance._change_reason = reason
    instance.save()


def _text(value) -> str:
    return str(value if value is not None else "").strip()


def _refuse_nul(**values) -> None:
    bad = sorted(k for k, v in values.items() if isinstance(v, str) and "\x00" in v)
    if bad:
        raise InvalidInput(fields={k: [_("不能包含空字符。")] for k in bad})


# --- planning -------------------------------------------------------------------------------


@dataclass
class SessionInput:
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    form: str = SessionForm.REGULAR
    leaders: Iterable = ()
    topic: str = ""
    issues: str = ""
    cases: Iterable[Case] = ()


MAX_BACKFILL = dt.timedelta(days=90)
MAX_AHEAD = dt.timedelta(days=731)


def _check_session(unit: OrgUnit, data: SessionInput, *, held: bool = False) -> list:
    errors: dict[str, list[str]] = {}
    _refuse_nul(place=data.place, topic=data.topic, issues=data.issues)
    if unit.kind not in FEDERATION_KINDS:
        errors["unit"] = [_("主席接待日只能由各级总工会安排。")]
    if not isinstance(data.starts_at, dt.datetime) or not isinstance(data.ends_at, dt.datetime):
        raise InvalidInput(fields={"starts_at": [_("请填写开始和结束时间。")]})
    if held:
        if data.starts_at > now():
            errors["starts_at"] = [_("补录的接待日须已经开始。")]
        elif data.starts_at < now() - MAX_BACKFILL:
            errors["starts_at"] = [_("只能补录90天以内的接待日。")]
    elif data.starts_at < now():
        errors["starts_at"] = [_("不能安排已经过去的接待日。")]
    elif data.starts_at > now() + MAX_AHEAD:
        errors["starts_at"] = [_("最多只能提前两年安排接待日。")]
    if data.ends_at <= data.starts_at:
        errors["ends_at"] = [_("结束时间须晚于开始时间。")]
    elif data.ends_at - data.starts_at > dt.timedelta(hours=MAX_SESSION_HOURS):
        errors["ends_at"] = [_("一次接待不能超过24小时。")]
    if data.form not in SessionForm.values:
        errors["form"] = [_("请选择有效的接待形式。")]
    if data.form == SessionForm.TOPIC and not _text(data.topic):
        errors["topic"] = [_("专题接访须填写接访专题。")]
    if not _text(data.place):
        errors["place"] = [_("请填写接待地点。")]
    leaders = list(data.leaders)
    if not leaders:
        errors["leaders"] = [_("请至少指定一位接待领导。")]
    elif not all(rules.is_leader(u) for u in leaders):
        errors["leaders"] = [_("接待领导须为启用的工会领导（主席或副主席）。")]
    cases = list(data.cases)
    if data.form == SessionForm.WITH_CASES and not cases:
        errors["cases"] = [_("带案下访须选择所带的案件。")]
    if errors:
        raise InvalidInput(fields=errors)
    return leaders


def session_plan(*, actor, unit: OrgUnit, data: SessionInput) -> ReceptionSession:
    """Plan a reception day; a day in the past cannot be planned."""
    if not rules.can_plan(actor, unit):
        raise NotAllowed(_("您没有安排该单位主席接待日的权限。"))
    leaders = _check_session(unit, data)
    session = ReceptionSession(
        unit=unit,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        place=_text(data.place),
        form=data.form,
        topic=_text(data.topic),
        issues=_text(data.issues),
        created_by=actor,
        created_at=now(),
    )
    _clean(session)
    with transaction.atomic():
        _save(session, actor, _("安排主席接待日"))
        session.leaders.set(leaders)
        session.cases.set(list(data.cases))
    return session


def session_record_held(*, actor, unit: OrgUnit, data: SessionInput) -> ReceptionSession:
    """补录: a day held on paper (within the last 90 days) is entered afterwards; it opens at
    once so its register can be typed in, then closes like any other. Planning stays
    future-only."""
    if not rules.can_plan(actor, unit):
        raise NotAllowed(_("您没有安排该单位主席接待日的权限。"))
    leaders = _check_session(unit, data, held=True)
    session = ReceptionSession(
        unit=unit,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        place=_text(data.place),
        form=data.form,
        topic=_text(data.topic),
        issues=_text(data.issues),
        status=SessionStatus.OPEN,
        opened_at=data.starts_at,
        created_by=actor,
        created_at=now(),
    )
    _clean(session)
    with transaction.atomic():
        _save(session, actor, _("补录主席接待日"))
        session.leaders.set(leaders)
        session.cases.set(list(data.cases))
    return session


def _locked(session: ReceptionSession) -> ReceptionSession:
    return ReceptionSession.objects.select_for_update(of=("self",)).select_related("unit").get(pk=session.pk)


def session_update(*, actor, session: ReceptionSession, data: SessionInput) -> ReceptionSession:
    """Change a planned day (not once it has started receiving, and never into the past)."""
    with transaction.atomic():
        session = _locked(session)
        if not rules.can_plan(actor, session.unit):
            raise NotAllowed(_("您没有安排该单位主席接待日的权限。"))
        if session.status != SessionStatus.PLANNED:
            raise InvalidInput(_("只有尚未开始的接待日可以修改。"))
        leaders = _check_session(session.unit, data)
        for name in ("starts_at", "ends_at", "form"):
            setattr(session, name, getattr(data, name))
        session.place, session.topic, session.issues = _text(data.place), _text(data.topic), _text(data.issues)
        _clean(session)
        _save(session, actor, _("修改主席接待日安排"))
        session.leaders.set(leaders)
        session.cases.set(list(data.cases))
        return session


def session_cancel(*, actor, session: ReceptionSession, reason: str) -> ReceptionSession:
    reason = _text(reason)
    if not reason:
        raise InvalidInput(fields={"reason": [_("请填写取消原因。")]})
    with transaction.atomic():
        session = _locked(session)
        if not rules.can_plan(actor, session.unit):
            raise NotAllowed(_("您没有安排该单位主席接待日的权限。"))
        if session.status != SessionStatus.PLANNED:
            raise InvalidInput(_("只有尚未开始的接待日可以取消。"))
        session.status = SessionStatus.CANCELLED
        _save(session, actor, reason)
        return session


def session_open(*, actor, session: ReceptionSession) -> ReceptionSession:
    """开始接待: the desk opens the day's register (not before the day itself)."""
    with transaction.atomic():
        session = _locked(session)
        if not rules.can_record(session, actor):
            raise NotAllowed(_("您没有在该接待日登记的权限。"))
        if session.status != SessionStatus.PLANNED:
            raise InvalidInput(_("该接待日不是待开始状态。"))
        from django.utils import timezone

        if timezone.localdate(now()) < timezone.localdate(session.starts_at):
            raise InvalidInput(_("接待日尚未到来，不能开始接待。"))
        session.status, session.opened_at = SessionStatus.OPEN, now()
        _save(session, actor, _("开始接待"))
        return session


def session_close(*, actor, session: ReceptionSession) -> ReceptionSession:
    """结束接待: every entry must have its outcome first."""
    with transaction.atomic():
        session = _locked(session)
        if not rules.can_record(session, actor):
            raise NotAllowed(_("您没有在该接待日登记的权限。"))
        if session.status != SessionStatus.OPEN:
            raise InvalidInput(_("该接待日不在接待中，不能结束。"))
        pending = list(session.entries.filter(outcome="").values_list("number", flat=True))
        if pending:
            numbers = "、".join(str(n) for n in pending)
            raise InvalidInput(_("第 %(n)s 号登记尚无处理情况，请先填写后再结束接待。") % {"n": numbers})
        session.status, session.closed_at, session.closed_by = SessionStatus.CLOSED, now(), actor
        _save(session, actor, _("结束接待"))
        return session


def session_sign_off(*, actor, session: ReceptionSession) -> ReceptionSession:
    """The receiving leader signs the closed day's summary."""
    with transaction.atomic():
        session = _locked(session)
        if not rules.can_sign_off(session, actor):
            raise NotAllowed(_("只有本次接待领导可以签字确认。"))
        if session.status != SessionStatus.CLOSED:
            raise InvalidInput(_("接待结束后才能签字确认。"))
        if session.signed_off_at:
            raise InvalidInput(_("该接待日汇总已签字确认。"))
        session.signed_off_by, session.signed_off_at = actor, now()
        _save(session, actor, _("接待领导签字"))
        return session


NOTICE_CHANNELS = ("sms", "email")


def session_announce(
    *, actor, session: ReceptionSession, channels: Iterable[str] = ("email",), resend: bool = False
) -> int:
    """发布公告: the printable notice's text (时间、地点、接待领导、可反映的问题) goes to the
    enterprises under the unit through the notification channels.

    OrgUnit stores no contact of its own: an enterprise's contacts are the staff of the
    enterprise and its union (their in-app inbox always; the e-mail of their account and
    the phone of their staff profile by SMS, as chosen). Once per session: a second send
    needs ``resend`` (a new notification key); every send is a history row of the session.
    Returns how many notifications were queued."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from django.utils import timezone

    from notifications import recipients as to
    from notifications.services import notify

    channels = [str(c) for c in (channels or ())]
    if any(c not in NOTICE_CHANNELS for c in channels):
        raise InvalidInput(fields={"channels": [_("发送方式只能是短信或电子邮件。")]})
    channels = sorted(set(channels))
    with transaction.atomic():
        session = _locked(session)
        if not rules.can_plan(actor, session.unit):
            raise NotAllowed(_("您没有安排该单位主席接待日的权限。"))
        if session.status != SessionStatus.PLANNED:
            raise InvalidInput(_("只有尚未开始的接待日可以发布公告。"))
        if session.notice_sends and not resend:
            raise InvalidInput(
                _("公告已于 %(at)s 发送；如需再次发送，请选择“重新发送”。")
                % {"at": format_moment(session.notice_sent_at)}
            )
        users = list(
            get_user_model().objects.filter(
                is_active=True,
                staff__unit__path__startswith=session.unit.path,
                staff__unit__kind__in=[UnitKind.ENTERPRISE, UnitKind.ENTERPRISE_UNION],
            ).select_related("staff").order_by("pk")
        )  # fmt: skip
        if not users:
            raise InvalidInput(_("辖区内没有可接收公告的企业工会工作人员。"))
        recipients: list = list(users)
        if "sms" in channels:
            recipients += [to.sms(u.staff.phone) for u in users if u.staff.phone]
        if "email" in channels:
            recipients += [to.email(u.email) for u in users if u.email]
        local = timezone.localtime(session.starts_at)
        end = timezone.localtime(session.ends_at)
        context = {
            "unit": session.unit.name,
            "when": f"{local:%Y-%m-%d %H:%M}–{end:%H:%M}",
            "when_short": f"{local.month}月{local.day}日{local:%H:%M}–{end:%H:%M}",
            "place": session.place,
            "form": str(session.get_form_display()),
            "leaders": "、".join(u.get_full_name() or u.get_username() for u in session.leaders.all()),
            "issues": session.issues,
            "url": reverse("reception:notice", args=[session.pk]),
        }
        sends = session.notice_sends + 1
        key = f"reception:{session.pk}:notice" + (f":{sends}" if sends > 1 else "")
        queued = notify(event="reception_notice", recipients=recipients, context=context, key=key)
        session.notice_sends, session.notice_sent_at = sends, now()
        session.notice_channels = ",".join(channels)
        labels = {"sms": _("短信"), "email": _("电子邮件")}
        how = "、".join([_("站内通知")] + [labels[c] for c in channels])
        reason = _("发布公告（%(how)s）") if sends == 1 else _("重新发送公告（%(how)s）")
        _save(session, actor, reason % {"how": how})
        return queued


# --- the register ---------------------------------------------------------------------------


@dataclass
class EntryInput:
    worker_name: str
    raised: str
    phone: str = ""
    enterprise: OrgUnit | None = None
    employer: str = ""
    category: Category | None = None
    request: str = ""
    head_count: int = 1
    leader: object | None = None


def entry_add(*, actor, session: ReceptionSession, data: EntryInput) -> ReceptionEntry:
    """One worker (or one group with its head count) received; numbered 1, 2, 3 … in the day."""
    _refuse_nul(worker_name=data.worker_name, raised=data.raised, phone=data.phone, employer=data.employer,
                request=data.request)  # fmt: skip
    errors: dict[str, list[str]] = {}
    if not _text(data.worker_name):
        errors["worker_name"] = [_("请填写来访人姓名。")]
    if not _text(data.raised):
        errors["raised"] = [_("请填写反映的问题。")]
    if not isinstance(data.head_count, int) or not 1 <= data.head_count <= 10000:
        errors["head_count"] = [_("来访人数应为1至10000之间的整数。")]
    if data.enterprise is not None and data.enterprise.kind != UnitKind.ENTERPRISE:
        errors["enterprise"] = [_("请选择企业。")]
    phone = ""
    try:
        phone = normalize_phone(_text(data.phone))
    except ValidationError as exc:
        errors["phone"] = list(exc.messages)
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        session = _locked(session)
        if not rules.can_record(session, actor):
            raise NotAllowed(_("您没有在该接待日登记的权限。"))
        if session.status != SessionStatus.OPEN:
            raise InvalidInput(_("接待日未在接待中，不能登记。"))
        if data.leader is not None and not any(u.pk == data.leader.pk for u in session.leaders.all()):
            raise InvalidInput(fields={"leader": [_("请选择本次接待日的接待领导。")]})
        last = session.entries.order_by("-number").values_list("number", flat=True).first() or 0
        entry = ReceptionEntry(
            session=session,
            number=last + 1,
            worker_name=_text(data.worker_name),
            phone=phone,
            enterprise=data.enterprise,
            employer=_text(data.employer),
            category=data.category,
            raised=_text(data.raised),
            request=_text(data.request),
            head_count=data.head_count,
            leader=data.leader,
            created_by=actor,
            created_at=now(),
        )
        _clean(entry, exclude=["session"])
        _save(entry, actor, _("接待登记"))
        return entry


def _locked_entry(entry: ReceptionEntry) -> ReceptionEntry:
    return (
        ReceptionEntry.objects.select_for_update(of=("self",))
        .select_related("session__unit", "enterprise", "category", "case")
        .get(pk=entry.pk)
    )


def _check_open_entry(entry: ReceptionEntry, actor) -> None:
    if not rules.can_record(entry.session, actor):
        raise NotAllowed(_("您没有在该接待日登记的权限。"))
    if entry.session.status != SessionStatus.OPEN:
        raise InvalidInput(_("接待日已结束，登记不能再修改。"))
    if entry.outcome:
        raise InvalidInput(_("该登记已有处理情况：%(o)s。") % {"o": entry.get_outcome_display()})


def entry_resolve(*, actor, entry: ReceptionEntry, outcome: str, text: str) -> ReceptionEntry:
    """当场解答 (the answer), 转交 (to whom) or 不属于受理范围 (with guidance)."""
    text = _text(text)
    _refuse_nul(text=text)
    field = {
        EntryOutcome.ANSWERED: ("answer", _("请填写解答内容。")),
        EntryOutcome.REFERRED: ("referred_to", _("请填写转交单位。")),
        EntryOutcome.OUT_OF_SCOPE: ("guidance", _("请填写告知与指引。")),
    }.get(outcome)
    if field is None:
        raise InvalidInput(fields={"outcome": [_("请选择有效的处理情况（登记为案件请使用“登记为案件”）。")]})
    name, message = field
    if not text:
        raise InvalidInput(fields={name: [message]})
    with transaction.atomic():
        entry = _locked_entry(entry)
        _check_open_entry(entry, actor)
        entry.outcome, entry.outcome_by, entry.outcome_at = outcome, actor, now()
        setattr(entry, name, text)
        _clean(entry, exclude=["session", "enterprise", "category", "case"])
        _save(entry, actor, EntryOutcome(outcome).label)
        return entry


def entry_file_case(
    *, actor, entry: ReceptionEntry, consent: bool, leader_takes_charge: bool = False, urgent: bool = False
) -> Case:
    """登记为案件 through casework's registration: channel 主席接待日, the entry's leader as the
    case's receiving leader (and its 包案领导 with ``leader_takes_charge``); the link and the case
    in one transaction, the entry locked so two clicks cannot file two cases."""
    with transaction.atomic():
        entry = _locked_entry(entry)
        _check_open_entry(entry, actor)
        errors: dict[str, list[str]] = {}
        if entry.enterprise_id is None:
            errors["enterprise"] = [_("登记为案件须选择系统内的企业。")]
        if entry.category_id is None:
            errors["category"] = [_("登记为案件须选择诉求类别。")]
        if errors:
            raise InvalidInput(_("登记信息不全，不能登记案件。"), fields=errors)
        leader = entry.leader
        if leader is None:
            leader = entry.session.leaders.order_by("pk").first()
        case = case_services.case_register(
            actor=actor,
            data=case_services.CaseInput(
                worker={"name": entry.worker_name, "phone": entry.phone},
                enterprise=entry.enterprise.code,
                category=entry.category.code,
                channel=RECEPTION_CHANNEL,
                summary=entry.raised,
                request=entry.request or entry.raised,
                consent=bool(consent),
                urgent=urgent,
                workers_involved=entry.head_count,
                place=entry.session.place,
                receiving_leader=leader,
                leader_takes_charge=leader_takes_charge,
            ),
        )
        entry.case, entry.outcome, entry.outcome_by, entry.outcome_at = case, EntryOutcome.CASE, actor, now()
        entry.leader = leader
        _save(entry, actor, _("登记为案件 %(n)s") % {"n": case.number})
        return case
