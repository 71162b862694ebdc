"""网上职工心声: a worker's submission, and the desk's decision on it.

A submission is not a case. The desk of the enterprise's county federation accepts it —
then it is registered through ``casework.services.intake_register`` with that officer as
owner (首问负责人) and channel ``online`` — or declines it with guidance; the worker sees
which. Input is checked in full before anything is written; a flood from one address or
phone is refused (429, ``portal.limits``) before it reaches the desk's list.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import rules
from casework.clock import now
from casework.exceptions import InvalidInput, NotAllowed, TransitionRefused
from casework.models import Case, Category, OrgUnit, Worker
from casework.models.org import UnitKind
from casework.services import CaseInput, check_files, intake_register, locked_case, record_change
from casework.validators import normalize_id_number, normalize_phone, validate_id_number
from notifications import recipients
from notifications.services import notify

from .. import codes, limits
from ..models import Submission, SubmissionFile, SubmissionStatus

MAX_FILES = 5
CHANNEL = "online"  # 网上职工心声 (casework.reference.CHANNELS)


@dataclass
class SubmissionInput:
    name: str
    phone: str
    enterprise: str  # a name, a code, or "名称（代码）" as the picker fills it
    category: str
    summary: str
    request: str
    consent: bool
    id_number: str = ""
    workers_involved: int = 1
    anonymous_to_enterprise: bool = False
    files: list = field(default_factory=list)


def upload_root() -> Path:
    return Path(settings.PORTAL_UPLOAD_ROOT)


def enterprise_matches(text: str, limit: int = 10) -> list[OrgUnit]:
    """Active enterprises whose name contains ``text`` (or whose code is ``text``)."""
    text = (text or "").strip()
    if not text:
        return []
    found = OrgUnit.objects.filter(kind=UnitKind.ENTERPRISE, active=True)
    return list(found.filter(Q(code=text) | Q(name__icontains=text)).order_by("name")[:limit])


def resolve_enterprise(text: str) -> OrgUnit:
    """The enterprise the worker meant: by code in brackets, exact code, exact name, or the
    only name containing the text; ``InvalidInput`` otherwise (unknown or ambiguous)."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput(fields={"enterprise": [_("请填写所在企业。")]})
    active = OrgUnit.objects.filter(kind=UnitKind.ENTERPRISE, active=True)
    if text.endswith(("）", ")")) and ("（" in text or "(" in text):
        code = text.replace("(", "（").rsplit("（", 1)[-1].rstrip("）)").strip()
        unit = active.filter(code=code).first()
        if unit is not None:
            return unit
    unit = active.filter(Q(code=text) | Q(name=text)).first()
    if unit is not None:
        return unit
    found = enterprise_matches(text, limit=2)
    if len(found) == 1:
        return found[0]
    if found:
        raise InvalidInput(fields={"enterprise": [_("有多家企业名称包含“%(t)s”，请从列表中选择。") % {"t": text}]})
    raise InvalidInput(fields={"enterprise": [_("没有找到该企业，请核对企业全称，或拨打 12351 职工服务热线。")]})


def _text(value, name: str, label: str, errors: dict, max_length: int) -> str:
    value = str(value or "").strip()
    if not value:
        errors[name] = [_("请填写%(label)s。") % {"label": label}]
    elif len(value) > max_length:
        errors[name] = [_("%(label)s不能超过 %(n)d 个字。") % {"label": label, "n": max_length}]
    elif "\x00" in value:
        errors[name] = [_("不能包含空字符。")]
    return value


def _validated(data: SubmissionInput) -> tuple[dict, OrgUnit | None, Category | None, list]:
    errors: dict[str, list] = {}
    values = {
        "name": _text(data.name, "name", _("姓名"), errors, 50),
        "summary": _text(data.summary, "summary", _("反映问题"), errors, 4000),
        "request": _text(data.request, "request", _("职工诉求"), errors, 2000),
    }
    try:
        values["phone"] = normalize_phone(data.phone)
        if not values["phone"]:
            errors["phone"] = [_("请填写联系电话，用于接收查询码和办理结果。")]
        elif not values["phone"].startswith("1"):
            errors["phone"] = [_("请填写手机号码，以便接收短信验证码。")]
    except ValidationError as exc:
        errors["phone"] = list(exc.messages)
    values["id_number"] = normalize_id_number(data.id_number)
    if values["id_number"]:
        try:
            validate_id_number(values["id_number"])
        except ValidationError as exc:
            errors["id_number"] = list(exc.messages)
    try:
        involved = int(data.workers_involved)
    except (TypeError, ValueError):
        involved = 0
    if not 1 <= involved <= 100000:
        errors["workers_involved"] = [_("涉及人数应为1至100000之间的整数。")]
    values["workers_involved"] = involved
    if data.consent is not True:
        errors["consent"] = [_("请阅读并同意个人信息处理说明，否则无法提交。")]
    enterprise = None
    try:
        enterprise = resolve_enterprise(data.enterprise)
    except InvalidInput as exc:
        errors.update(exc.fields)
    category = Category.objects.filter(code=str(data.category or "").strip(), active=True).first()
    if category is None:
        errors["category"] = [_("请选择诉求类别。")]
    county = enterprise.county if enterprise is not None else None
    if enterprise is not None and county is None:
        errors["enterprise"] = [_("该企业未归属任何区县总工会，请拨打 12351 职工服务热线。")]
    files = list(data.files or [])
    checked = []
    if len(files) > MAX_FILES:
        errors["attachments"] = [_("最多上传 %(n)d 个附件。") % {"n": MAX_FILES}]
    else:
        try:
            checked = check_files(files)
        except InvalidInput as exc:
            errors.update(exc.fields)
    if errors:
        raise InvalidInput(fields=errors)
    values["county"] = county
    return values, enterprise, category, checked


def _reference() -> str:
    return f"WS-{timezone.localdate():%Y%m%d}-{secrets.randbelow(10**6):06d}"


def submission_create(*, data: SubmissionInput, ip: str | None) -> tuple[Submission, str]:
    """提交: the submission and its query code (shown once on the receipt, and sent by SMS).

    Refused with ``TooManyRequests`` (429) beyond ``PORTAL_LIMITS["submit_ip"]`` attempts
    per address or ``["submit_phone"]`` submissions per phone; with ``InvalidInput`` (every
    problem at once) for bad input. Nothing is written then.
    """
    limits.hit("submit_ip", ip)
    values, enterprise, category, checked = _validated(data)
    limits.hit("submit_phone", values["phone"])
    code = codes.new_query_code()
    written: list[Path] = []
    try:
        with transaction.atomic():
            submission = _insert(values, enterprise, category, data, code, ip)
            for item in checked:
                SubmissionFile.objects.create(submission=submission, **_write(item, written))
            notify(
                event="portal_submitted",
                recipients=[recipients.sms(submission.phone)],
                context={"reference": submission.reference, "code": codes.display(code)},
                key=f"portal:k{submission.county_id}:{submission.reference}:submitted",
            )
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return submission, code


def _insert(values, enterprise, category, data, code, ip) -> Submission:
    for _attempt in range(5):
        submission = Submission(
            reference=_reference(),
            county=values["county"],
            enterprise=enterprise,
            category=category,
            name=values["name"],
            phone=values["phone"],
            id_number=values["id_number"],
            summary=values["summary"],
            request=values["request"],
            workers_involved=values["workers_involved"],
            consent=True,
            anonymous_to_enterprise=bool(data.anonymous_to_enterprise),
            submitted_at=now(),
            ip=ip or None,
            code_hash=codes.digest("query", code),
        )
        try:
            submission.full_clean()
        except ValidationError as exc:
            if "reference" in exc.message_dict:
                continue
            raise InvalidInput(fields=exc.message_dict) from None
        try:
            with transaction.atomic():
                submission.save()
            return submission
        except IntegrityError:  # the same reference drawn at the same moment
            continue
    raise RuntimeError("no free submission reference")


def _write(item, written: list[Path]) -> dict:
    stored = f"{secrets.token_hex(16)}{item.ext}"
    path = upload_root() / stored
    path.parent.mkdir(parents=True, exist_ok=True)
    item.upload.seek(0)
    with open(path, "xb") as out:
        written.append(path)
        for chunk in item.upload.chunks() if hasattr(item.upload, "chunks") else [item.upload.read()]:
            out.write(chunk)
    return {"name": item.name, "content_type": item.content_type, "size": item.size, "stored": stored}


def file_path(item: SubmissionFile) -> Path:
    return upload_root() / item.stored


# --- the desk ------------------------------------------------------------------------------


def can_decide(submission: Submission, user) -> bool:
    """The intake desk (接待登记) of the submission's county federation or above."""
    profile = rules.profile(user)
    return (
        profile is not None
        and user.has_perm("casework.register_case")
        and submission.county.path.startswith(profile.unit.path)
    )


def identity_conflict(submission: Submission) -> bool:
    """The ID number given is on file for a worker with another phone: registering would
    attach the case to that worker (and change their phone), so the desk checks first."""
    if not submission.id_number:
        return False
    known = Worker.objects.filter(id_number=submission.id_number).order_by("pk").first()
    return known is not None and known.phone not in ("", submission.phone)


def _locked_pending(submission: Submission | int, actor) -> Submission:
    pk = submission.pk if isinstance(submission, Submission) else submission
    found = Submission.objects.select_for_update().select_related("county", "enterprise").filter(pk=pk).first()
    if found is None or not can_decide(found, actor):
        raise NotAllowed()
    if found.status != SubmissionStatus.PENDING:
        raise TransitionRefused(_("该提交已处理（%(s)s），不能重复处理。") % {"s": found.get_status_display()})
    return found


def submission_accept(
    *, submission: Submission | int, actor, category: str = "", identity_checked: bool = False
) -> Case:
    """受理: the submission becomes a case (channel 网上职工心声), ``actor`` its 首问负责人; the
    case records 对企业匿名 when the worker asked for it."""
    with transaction.atomic():
        s = _locked_pending(submission, actor)
        if identity_conflict(s) and not identity_checked:
            raise InvalidInput(
                fields={
                    "identity_checked": [_("该身份证号码已登记的职工电话与本次提交不同，请先电话核实身份后再受理。")]
                }
            )
        data = CaseInput(
            worker={"name": s.name, "phone": s.phone, "id_number": s.id_number},
            enterprise=s.enterprise.code,
            category=(category or "").strip() or s.category.code,
            channel=CHANNEL,
            summary=s.summary,
            request=s.request,
            consent=s.consent,
            workers_involved=s.workers_involved,
            place=_("网上职工心声"),
            received_at=s.submitted_at,
        )
        handles = [File(open(file_path(f), "rb"), name=f.name) for f in s.files.all()]  # noqa: SIM115
        try:
            case = intake_register(actor=actor, data=data, accept=True, files=handles)
        finally:
            for handle in handles:
                handle.close()
        with locked_case(case) as c:
            c.anonymous_to_enterprise = s.anonymous_to_enterprise
            note = _("网上职工心声 %(ref)s 受理") % {"ref": s.reference}
            if s.anonymous_to_enterprise:
                note += _("；职工要求对企业匿名")
            record_change(c, actor=actor, action="portal_accept", reason=note)
        s.status, s.case, s.decided_by, s.decided_at = SubmissionStatus.ACCEPTED, case, actor, now()
        s._history_user = actor
        s.save()
        return Case.objects.get(pk=case.pk)


def submission_decline(*, submission: Submission | int, actor, guidance: str) -> Submission:
    """不予受理 with guidance (告知与指引): where the worker should turn instead."""
    guidance = str(guidance or "").strip()
    if not guidance:
        raise InvalidInput(fields={"guidance": [_("请填写告知与指引，告诉职工可以向哪里反映。")]})
    with transaction.atomic():
        s = _locked_pending(submission, actor)
        s.status, s.guidance, s.decided_by, s.decided_at = SubmissionStatus.DECLINED, guidance[:2000], actor, now()
        s._history_user = actor
        s.save()
        notify(
            event="portal_declined",
            recipients=[recipients.sms(s.phone)],
            context={"reference": s.reference},
            key=f"portal:k{s.county_id}:{s.reference}:declined",
        )
        return s


def submission_withdraw(*, submission: Submission | int, reason: str = "") -> Submission:
    """撤回 by the worker while the desk has not decided yet (the caller checked access)."""
    pk = submission.pk if isinstance(submission, Submission) else submission
    with transaction.atomic():
        s = Submission.objects.select_for_update().get(pk=pk)
        if s.status != SubmissionStatus.PENDING:
            raise TransitionRefused(_("该提交已处理（%(s)s），不能撤回。") % {"s": s.get_status_display()})
        s.status, s.decided_at = SubmissionStatus.WITHDRAWN, now()
        s.guidance = str(reason or "").strip()[:2000]
        s.save()
        return s


def pending_for(user):
    """The submissions waiting in the desk's jurisdiction, oldest first."""
    profile = rules.profile(user)
    if user.is_superuser:
        found = Submission.objects.all()
    elif profile is None or not user.has_perm("casework.register_case"):
        return Submission.objects.none()
    else:
        found = Submission.objects.filter(county__path__startswith=profile.unit.path)
    return found.select_related("enterprise", "category", "case")


__all__ = ["SubmissionInput", "submission_accept", "submission_create", "submission_decline", "submission_withdraw"]


def submission_contact_viewed(*, submission, user, ip: str | None = None):
    """Who saw a submission's unmasked phone and ID number, and when (append-only)."""
    from ..models import SubmissionAccessLog

    return SubmissionAccessLog.objects.create(submission=submission, user=user, at=timezone.now(), ip=ip or None)
