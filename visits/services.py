"""Every write of the visits app (house rule 1): one transaction each, ``full_clean`` first.

Errors a user can hit are casework's domain exceptions with Chinese messages; a failed call
writes nothing (and removes any file it stored).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import services as case_services
from casework.clock import now
from casework.exceptions import InvalidInput, NotAllowed
from casework.models import Case, Category, OrgUnit
from casework.models.org import UnitKind
from casework.services import check_files, write_file
from casework.validators import normalize_phone

from . import rules
from .models import (
    OUTLINE_SECTIONS,
    PERSONAL_FIELDS,
    EnterpriseProfile,
    EnterpriseType,
    Interview,
    InterviewAccessLog,
    InterviewAttachment,
    InterviewSequence,
    Target,
    Visit,
    VisitAttachment,
    VisitKind,
    WorkGroup,
)

MAX_FILES_PER_VISIT = 10
VISIT_CHANNEL = "visit"  # casework reference data: 走访
_BIRTH_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_FUTURE_TOLERANCE = dt.timedelta(minutes=5)


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


def _require(value, field: str, label: str) -> str:
    value = _text(value)
    if not value:
        raise InvalidInput(fields={field: [_("请填写%(label)s。") % {"label": label}]})
    return value


def _staff_users(users: Iterable, field: str) -> list:
    """Active users with a staff profile; anything else is a field error."""
    result = []
    for user in users:
        if user is None or not user.is_active or not hasattr(user, "staff"):
            raise InvalidInput(fields={field: [_("只能选择启用的工作人员。")]})
        result.append(user)
    return result


# --- work groups and targets ----------------------------------------------------------


def workgroup_create(*, actor, name: str, unit: OrgUnit, leader, members: Iterable = ()) -> WorkGroup:
    """成立走访工作组: a leader or admin over ``unit``; the group's numbering starts at 1."""
    if not rules.can_manage(actor, unit):
        raise NotAllowed(_("您没有在该单位设立走访工作组的权限。"))
    (leader,) = _staff_users([leader], "leader")
    members = _staff_users(members, "members")
    with transaction.atomic():
        group = WorkGroup(name=_require(name, "name", _("工作组名称")), unit=unit, leader=leader, created_at=now())
        _clean(group)
        _save(group, actor, _("成立工作组"))
        group.members.set([m for m in members if m.pk != leader.pk])
        InterviewSequence.objects.create(group=group)
        return group


def workgroup_update(
    *, actor, group: WorkGroup, name: str, leader, members: Iterable = (), active: bool = True
) -> WorkGroup:
    with transaction.atomic():
        group = WorkGroup.objects.select_for_update().select_related("unit").get(pk=group.pk)
        if not rules.can_manage(actor, group.unit):
            raise NotAllowed(_("您没有修改该工作组的权限。"))
        (leader,) = _staff_users([leader], "leader")
        members = _staff_users(members, "members")
        group.name = _require(name, "name", _("工作组名称"))
        group.leader = leader
        group.active = bool(active)
        _clean(group)
        _save(group, actor, _("修改工作组"))
        group.members.set([m for m in members if m.pk != leader.pk])
        return group


def target_save(
    *,
    actor,
    group: WorkGroup,
    period_start: dt.date,
    period_end: dt.date,
    min_enterprises: int = 0,
    min_workers: int = 0,
    min_interviews: int = 0,
    target: Target | None = None,
) -> Target:
    """设定走访目标 for a period (new, or ``target`` changed)."""
    if not rules.can_manage(actor, group.unit):
        raise NotAllowed(_("您没有设定该工作组目标的权限。"))
    if target is not None and target.group_id != group.pk:
        raise InvalidInput(_("目标不属于该工作组。"))
    with transaction.atomic():
        target = target or Target(group=group)
        target.period_start, target.period_end = period_start, period_end
        target.min_enterprises, target.min_workers, target.min_interviews = min_enterprises, min_workers, min_interviews
        if isinstance(period_start, dt.date) and isinstance(period_end, dt.date) and period_end < period_start:
            raise InvalidInput(fields={"period_end": [_("截止日期不能早于起始日期。")]})
        _clean(target)
        if not (target.min_enterprises or target.min_workers or target.min_interviews):
            raise InvalidInput(_("请至少设定一项目标数。"))
        _save(target, actor)
        return target


def enterprise_profile_set(
    *,
    actor,
    enterprise: OrgUnit,
    types: Iterable[str],
    employees: int | None = None,
    note: str = "",
    has_union: bool = False,
    collective_contract: bool = False,
    wage_bargaining: bool = False,
    workers_congress: bool = False,
) -> EnterpriseProfile:
    """企业类型 and union facts: which of the eight coverage types an enterprise counts under
    (经营困难, 小微非公 …) and its 已建会 / 集体合同 / 工资集体协商 / 职代会·厂务公开."""
    if enterprise.kind != UnitKind.ENTERPRISE:
        raise InvalidInput(fields={"enterprise": [_("请选择企业。")]})
    if not rules.can_manage(actor, enterprise):
        raise NotAllowed(_("您没有维护该企业类型的权限。"))
    types = set(types or ())
    unknown = types - set(EnterpriseType.values)
    if unknown:
        raise InvalidInput(fields={"types": [_("未知的企业类型：%(t)s") % {"t": "、".join(sorted(unknown))}]})
    with transaction.atomic():
        profile = EnterpriseProfile.objects.select_for_update().filter(enterprise=enterprise).first()
        profile = profile or EnterpriseProfile(enterprise=enterprise)
        for t in EnterpriseType.values:
            setattr(profile, t, t in types)
        profile.employees = employees
        profile.has_union, profile.collective_contract = bool(has_union), bool(collective_contract)
        profile.wage_bargaining, profile.workers_congress = bool(wage_bargaining), bool(workers_congress)
        profile.note = _text(note)
        _clean(profile)
        _save(profile, actor)
        return profile


# --- visits ---------------------------------------------------------------------------


@dataclass
class VisitInput:
    enterprise: OrgUnit
    visited_on: dt.date
    kind: str
    place: str = ""
    must_visit: str = ""
    workers_met: int = 0
    workers_named: str = ""
    difficulties: str = ""
    bottlenecks: str = ""
    workforce_changes: str = ""
    conditions: str = ""
    state_of_mind: str = ""
    stability_risks: str = ""
    work_log: str = ""


def _fill_visit(visit: Visit, data: VisitInput) -> None:
    group = visit.group
    enterprise = data.enterprise
    if (
        not isinstance(enterprise, OrgUnit)
        or enterprise.kind != UnitKind.ENTERPRISE
        or not enterprise.active
        or not enterprise.path.startswith(group.unit.path)
    ):
        raise InvalidInput(fields={"enterprise": [_("请选择工作组所属单位辖区内的企业。")]})
    for f in fields(VisitInput):
        value = getattr(data, f.name)
        setattr(visit, f.name, _text(value) if isinstance(value, str) else value)
    _clean(visit)
    if visit.visited_on > timezone.localdate(now()):
        raise InvalidInput(fields={"visited_on": [_("走访日期不能晚于今天。")]})
    if visit.must_visit and visit.kind != VisitKind.HOME:
        raise InvalidInput(fields={"must_visit": [_("八必访对象只在入户走访慰问时选择。")]})
    if len(visit.named_workers()) > visit.workers_met:
        raise InvalidInput(fields={"workers_named": [_("接触职工名单人数多于接触职工人数。")]})


def visit_create(*, actor, group: WorkGroup, data: VisitInput, files=()) -> Visit:
    """走访记录: a member of the group (or a manager over its unit) records one visit."""
    if not rules.can_record(group, actor):
        raise NotAllowed(_("您不是该工作组成员，不能记录走访。"))
    checked = _check_visit_files(files, existing=0)
    with transaction.atomic():
        visit = Visit(group=group, created_by=actor, created_at=now())
        _fill_visit(visit, data)
        _save(visit, actor, _("记录走访"))
        _store_all(visit, actor, checked)
        return visit


def visit_update(*, actor, visit: Visit, data: VisitInput) -> Visit:
    with transaction.atomic():
        visit = Visit.objects.select_for_update(of=("self",)).select_related("group__unit").get(pk=visit.pk)
        if not rules.can_record(visit.group, actor):
            raise NotAllowed(_("您不是该工作组成员，不能修改走访记录。"))
        if visit.enterprise_id != getattr(data.enterprise, "pk", None) and visit.interviews.exists():
            raise InvalidInput(fields={"enterprise": [_("该走访已有个案访谈，不能更换走访企业。")]})
        _fill_visit(visit, data)
        _save(visit, actor, _("修改走访记录"))
        return visit


def audio_max_size() -> int:
    """The largest recording an interview takes (``VISITS_AUDIO_MAX_BYTES``, default 50 MB)."""
    return int(getattr(settings, "VISITS_AUDIO_MAX_BYTES", 50 * 1024 * 1024))


def _check_visit_files(files, *, existing: int, audio: bool = False):
    files = [f for f in (files or []) if f is not None]
    if existing + len(files) > MAX_FILES_PER_VISIT:
        raise InvalidInput(fields={"attachments": [_("每次走访最多 %(n)d 个附件。") % {"n": MAX_FILES_PER_VISIT}]})
    return check_files(files, existing=0, audio_max_size=audio_max_size() if audio else None)


def _store_all(visit: Visit, actor, checked) -> list[VisitAttachment]:
    written: list[Path] = []
    try:
        saved = []
        for item in checked:
            stored_name, sha256 = write_file(item, f"visits/{visit.pk}", written)
            saved.append(
                VisitAttachment.objects.create(
                    visit=visit,
                    name=item.name,
                    stored_name=stored_name,
                    content_type=item.content_type,
                    size=item.size,
                    sha256=sha256,
                    uploaded_by=actor,
                    uploaded_at=now(),
                )
            )
        return saved
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


def visit_attach(*, actor, visit: Visit, files) -> list[VisitAttachment]:
    """附件: photos, sign-in sheets, scanned notes of the visit."""
    with transaction.atomic():
        visit = Visit.objects.select_for_update(of=("self",)).select_related("group__unit").get(pk=visit.pk)
        if not rules.can_record(visit.group, actor):
            raise NotAllowed(_("您不是该工作组成员，不能上传附件。"))
        checked = _check_visit_files(files, existing=visit.attachments.count())
        if not checked:
            raise InvalidInput(fields={"attachments": [_("请选择要上传的文件。")]})
        return _store_all(visit, actor, checked)


# --- case interviews ------------------------------------------------------------------


@dataclass
class InterviewInput:
    """The 个案访谈登记表. Personal details (``PERSONAL_FIELDS``) need ``consent``."""

    interviewed_at: dt.datetime
    consent: bool = False
    province: str = ""
    city: str = ""
    county: str = ""
    employer: str = ""
    worker_name: str = ""
    gender: str = "unknown"
    birth_month: str = ""
    phone: str = ""
    hukou: str = ""
    ethnicity: str = ""
    political_status: str = ""
    education: str = ""
    post: str = ""
    technical_title: str = ""
    migrant: bool = False
    dispatched: bool = False
    remark: str = ""
    outline: dict | None = None  # 参考提纲: {"s1": "...", …, "s8": "..."}, optional
    notes: str = ""
    category: Category | None = None
    request: str = ""
    place: str = ""
    interviewer: object = None
    original_pages: int = 0
    cleaned_pages: int = 0


def _has_personal(data: InterviewInput) -> bool:
    for name in PERSONAL_FIELDS:
        value = getattr(data, name)
        if name == "gender":
            if value and value != "unknown":
                return True
        elif value:
            return True
    return False


def _fill_interview(interview: Interview, data: InterviewInput, actor) -> None:
    if not data.consent and _has_personal(data):
        raise InvalidInput(fields={"consent": [_("须先告知职工并取得其同意，方可记录姓名等个人信息。")]})
    errors: dict[str, list[str]] = {}
    for f in fields(InterviewInput):
        value = getattr(data, f.name)
        if f.name in ("interviewer", "consent"):
            continue
        setattr(interview, f.name, _text(value) if isinstance(value, str) else value)
    interview.gender = interview.gender or "unknown"
    outline = data.outline or {}
    known = {key for key, _title in OUTLINE_SECTIONS}
    if not isinstance(outline, dict) or set(outline) - known:
        errors["outline"] = [_("参考提纲只有第一至第八部分。")]
    else:
        interview.outline = {k: _text(v) for k, v in outline.items() if _text(v)}
    if interview.birth_month and not _BIRTH_MONTH.match(interview.birth_month):
        errors["birth_month"] = [_("出生年月格式应为 YYYY-MM。")]
    try:
        interview.phone = normalize_phone(interview.phone)
    except ValidationError as exc:
        errors["phone"] = list(exc.messages)
    if data.consent and not interview.consent:
        interview.consent, interview.consent_at = True, now()
    interview.interviewer = data.interviewer or actor
    if not interview.employer:
        interview.employer = interview.visit.enterprise.name
    if errors:
        raise InvalidInput(fields=errors)
    _clean(interview, exclude=["number"])
    if timezone.is_naive(interview.interviewed_at):
        raise InvalidInput(fields={"interviewed_at": [_("访谈时间须带时区。")]})
    if interview.interviewed_at > now() + _FUTURE_TOLERANCE:
        raise InvalidInput(fields={"interviewed_at": [_("访谈时间不能晚于当前时间。")]})
    if not hasattr(interview.interviewer, "staff"):
        raise InvalidInput(fields={"interviewer": [_("访谈人须为工作人员。")]})


def interview_create(*, actor, visit: Visit, data: InterviewInput) -> Interview:
    """个案访谈登记: numbered within the group in natural order, with no gaps.

    The group's ``InterviewSequence`` row is locked (``select_for_update``) from taking the
    number to the commit, so concurrent saves queue up and each takes the next number; a
    failed save rolls the counter back with everything else.
    """
    group = visit.group
    if not rules.can_record(group, actor):
        raise NotAllowed(_("您不是该工作组成员，不能登记个案访谈。"))
    with transaction.atomic():
        interview = Interview(group=group, visit=visit, number=0, created_by=actor, created_at=now())
        _fill_interview(interview, data, actor)
        sequence = InterviewSequence.objects.select_for_update().get(group=group)
        sequence.last += 1
        sequence.save(update_fields=["last"])
        interview.number = sequence.last
        _save(interview, actor, _("登记个案访谈"))
        return interview


def _locked_interview(interview: Interview) -> Interview:
    return (
        Interview.objects.select_for_update(of=("self",))
        .select_related("group__unit", "visit__enterprise", "category")
        .get(pk=interview.pk)
    )


def interview_update(*, actor, interview: Interview, data: InterviewInput) -> Interview:
    """Correct the form; a form the group leader has signed is final."""
    with transaction.atomic():
        interview = _locked_interview(interview)
        if not rules.can_record(interview.group, actor):
            raise NotAllowed(_("您不是该工作组成员，不能修改个案访谈。"))
        if interview.signed_off_at:
            raise InvalidInput(_("组长已签字确认，登记表不能再修改。"))
        if interview.consent and not data.consent:
            data.consent = True  # consent once recorded stays recorded
        _fill_interview(interview, data, actor)
        _save(interview, actor, _("修改个案访谈"))
        return interview


def interview_contact_viewed(*, interview: Interview, user, kind: str, ip: str | None = None) -> InterviewAccessLog:
    """Who saw an interviewed worker's unmasked phone number, and when (append-only)."""
    return InterviewAccessLog.objects.create(interview=interview, user=user, at=now(), kind=kind, ip=ip or None)


def interview_sign_off(*, actor, interview: Interview) -> Interview:
    """组长签字: the group leader confirms the form."""
    with transaction.atomic():
        interview = _locked_interview(interview)
        if not rules.can_sign_off(interview, actor):
            raise NotAllowed(_("只有工作组组长可以签字确认。"))
        if interview.signed_off_at:
            raise InvalidInput(_("该登记表已签字确认。"))
        interview.signed_off_by, interview.signed_off_at = actor, now()
        _save(interview, actor, _("组长签字"))
        return interview


def interview_write_up(*, actor, interview: Interview) -> Interview:
    """整理完成: the interview's notes are written up (the same day, 000 附件4)."""
    with transaction.atomic():
        interview = _locked_interview(interview)
        if not rules.can_record(interview.group, actor):
            raise NotAllowed(_("您不是该工作组成员，不能确认整理完成。"))
        if interview.written_up_at:
            raise InvalidInput(_("该访谈已整理完成。"))
        if not interview.notes and not interview.outline:
            raise InvalidInput(fields={"notes": [_("请先填写访谈情况记录或参考提纲记录。")]})
        interview.written_up_at = now()
        _save(interview, actor, _("整理完成"))
        return interview


def interview_submit(*, actor, interview: Interview) -> Interview:
    """报送活动办公室: after the group leader has signed; the leader sends it."""
    with transaction.atomic():
        interview = _locked_interview(interview)
        if not rules.can_sign_off(interview, actor):
            raise NotAllowed(_("只有工作组组长可以报送。"))
        if not interview.signed_off_at:
            raise InvalidInput(_("组长签字确认后才能报送活动办公室。"))
        if interview.submitted_at:
            raise InvalidInput(_("该登记表已报送。"))
        interview.submitted_at, interview.submitted_by = now(), actor
        if not interview.written_up_at:
            interview.written_up_at = interview.signed_off_at
        _save(interview, actor, _("报送活动办公室"))
        return interview


def interview_file_case(*, actor, interview: Interview, urgent: bool = False) -> Case:
    """一键登记案件: channel 走访, the worker's details carried over, ``actor`` becomes the owner.

    The interview row is locked so two clicks cannot file two cases; the case and the link
    are written in one transaction.
    """
    with transaction.atomic():
        interview = _locked_interview(interview)
        if interview.case_id:
            raise InvalidInput(_("该个案访谈已登记为案件 %(n)s。") % {"n": interview.case.number})
        errors: dict[str, list[str]] = {}
        if not interview.consent:
            errors["consent"] = [_("职工尚未同意登记个人信息，不能登记案件。")]
        if not interview.worker_name:
            errors["worker_name"] = [_("请先在登记表中填写职工姓名。")]
        if not interview.notes:
            errors["notes"] = [_("请先在登记表中填写访谈情况记录。")]
        if interview.category_id is None:
            errors["category"] = [_("请先在登记表中选择诉求类别。")]
        if not interview.request:
            errors["request"] = [_("请先在登记表中填写职工诉求。")]
        if errors:
            raise InvalidInput(_("登记表信息不全，不能登记案件。"), fields=errors)
        worker = {name: getattr(interview, name) for name in PERSONAL_FIELDS if name != "worker_name"}
        worker["name"] = interview.worker_name
        case = case_services.case_register(
            actor=actor,
            data=case_services.CaseInput(
                worker=worker,
                enterprise=interview.visit.enterprise.code,
                category=interview.category.code,
                channel=VISIT_CHANNEL,
                summary=interview.notes,
                request=interview.request,
                consent=True,
                urgent=urgent,
                place=interview.place,
            ),
        )
        interview.case = case
        _save(interview, actor, _("登记为案件 %(n)s") % {"n": case.number})
        return case


def interview_attach(*, actor, interview: Interview, files) -> list[InterviewAttachment]:
    """访谈原稿: scans and photos of the original notes, and recordings of the interview
    (MP3, M4A, WAV, OGG, FLAC, AMR; sniffed from the content like case files, each up to
    ``VISITS_AUDIO_MAX_BYTES``), under the rules case files follow; refused once the leader
    has signed (the form is final)."""
    with transaction.atomic():
        interview = _locked_interview(interview)
        if not rules.can_record(interview.group, actor):
            raise NotAllowed(_("您不是该工作组成员，不能上传附件。"))
        if interview.signed_off_at:
            raise InvalidInput(_("组长已签字确认，登记表不能再修改。"))
        checked = _check_visit_files(files, existing=interview.attachments.count(), audio=True)
        if not checked:
            raise InvalidInput(fields={"attachments": [_("请选择要上传的文件。")]})
        written: list[Path] = []
        try:
            saved = []
            for item in checked:
                stored_name, sha256 = write_file(item, f"interviews/{interview.pk}", written)
                saved.append(
                    InterviewAttachment.objects.create(
                        interview=interview,
                        name=item.name,
                        stored_name=stored_name,
                        content_type=item.content_type,
                        size=item.size,
                        sha256=sha256,
                        uploaded_by=actor,
                        uploaded_at=now(),
                    )
                )
            return saved
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            raise
