"""How a worker proves which cases are theirs: a reference or case number with its query code
(查询码), or a phone number with a one-time SMS code (短信验证码).

Both are checked against keyed hashes; a wrong code counts, and ``codes.MAX_FAILURES`` wrong
codes in a row lock the submission (or burn the SMS code and hold the phone) for
``LOCK_MINUTES``. A failed try's counter is written in its own transaction, so it stays even
though the call raises. Every check also counts against the address (``verify_ip``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from casework.clock import now
from casework.exceptions import CaseworkError, InvalidInput
from casework.models import Case
from casework.validators import normalize_phone
from notifications import recipients
from notifications.services import notify

from .. import codes, limits
from ..models import PhoneCode, Submission

LOCK_MINUTES = 30
SMS_CODE_MINUTES = 5
RESEND_SECONDS = 60


class AccessDenied(CaseworkError):
    http_status = 403
    code = "access_denied"


@dataclass
class Grant:
    """What the worker proved access to: submissions and cases (ids), and how."""

    submissions: list[int] = field(default_factory=list)
    cases: list[int] = field(default_factory=list)
    via: str = "code"  # code | phone

    def as_dict(self) -> dict:
        return {"s": self.submissions, "c": self.cases, "v": self.via}

    @classmethod
    def from_dict(cls, data) -> Grant | None:
        if not isinstance(data, dict):
            return None
        try:
            return cls([int(i) for i in data.get("s", [])], [int(i) for i in data.get("c", [])], str(data.get("v")))
        except (TypeError, ValueError):
            return None

    def allows_case(self, case_id: int) -> bool:
        return case_id in self.cases

    def allows_submission(self, submission_id: int) -> bool:
        return submission_id in self.submissions


def _lookup(reference: str) -> Submission | None:
    ref = str(reference or "").strip().upper()[:40]
    if not ref:
        return None
    return Submission.objects.filter(Q(reference=ref) | Q(case__number=ref)).order_by("pk").first()


def open_by_code(*, reference: str, code: str, ip: str | None) -> Grant:
    """编号 + 查询码 → that one submission and its case (never any other)."""
    limits.hit("verify_ip", ip)
    errors = {}
    if not str(reference or "").strip():
        errors["reference"] = [_("请填写提交编号或案件编号。")]
    if not codes.normalize(code):
        errors["code"] = [_("请填写查询码。")]
    if errors:
        raise InvalidInput(fields=errors)
    submission = _lookup(reference)
    if submission is None:
        raise AccessDenied(_("编号或查询码不正确。"))
    at = now()
    if submission.code_locked_until and submission.code_locked_until > at:
        raise AccessDenied(
            _("查询码错误次数过多，已锁定，请 %(m)d 分钟后再试，或用手机号和短信验证码查询。") % {"m": LOCK_MINUTES}
        )
    if not codes.matches("query", code, submission.code_hash):
        _count_failure(submission, at)
        raise AccessDenied(_("编号或查询码不正确。"))
    if submission.code_failures:
        Submission.objects.filter(pk=submission.pk).update(code_failures=0, code_locked_until=None)
    return Grant([submission.pk], [submission.case_id] if submission.case_id else [], "code")


def _count_failure(submission: Submission, at) -> None:
    with transaction.atomic():
        s = Submission.objects.select_for_update().get(pk=submission.pk)
        s.code_failures += 1
        if s.code_failures >= codes.MAX_FAILURES:
            s.code_failures, s.code_locked_until = 0, at + dt.timedelta(minutes=LOCK_MINUTES)
        Submission.objects.filter(pk=s.pk).update(code_failures=s.code_failures, code_locked_until=s.code_locked_until)


def _phone(value: str) -> str:
    try:
        phone = normalize_phone(value)
    except Exception:  # ValidationError: a message for the field
        phone = ""
    if not phone or not phone.startswith("1") or len(phone) != 11:
        raise InvalidInput(fields={"phone": [_("请填写有效的11位手机号码。")]})
    return phone


def _known_phone(phone: str) -> bool:
    return Submission.objects.filter(phone=phone).exists() or Case.objects.filter(worker__phone=phone).exists()


def phone_code_send(*, phone: str, ip: str | None) -> None:
    """A one-time SMS code, valid ``SMS_CODE_MINUTES``; through the notifications outbox.
    Sent only to a phone the system knows (the caller answers alike either way, so the
    answer does not tell whether a number has cases)."""
    phone = _phone(phone)
    limits.hit("code_ip", ip)
    limits.hit("code_phone", phone)
    at = now()
    last = PhoneCode.objects.filter(phone=phone).order_by("-created_at", "-pk").first()
    if last is not None:
        if last.failures >= codes.MAX_FAILURES and last.created_at > at - dt.timedelta(minutes=LOCK_MINUTES):
            raise AccessDenied(_("验证码错误次数过多，请 %(m)d 分钟后再获取。") % {"m": LOCK_MINUTES})
        if last.created_at > at - dt.timedelta(seconds=RESEND_SECONDS):
            raise limits.TooManyRequests(_("验证码已发送，请 1 分钟后再重新获取。"))
    if not _known_phone(phone):
        return
    code = codes.new_sms_code()
    with transaction.atomic():
        row = PhoneCode.objects.create(
            phone=phone,
            code_hash=codes.digest("sms", code),
            created_at=at,
            expires_at=at + dt.timedelta(minutes=SMS_CODE_MINUTES),
            ip=ip or None,
        )
        notify(
            event="portal_code",
            recipients=[recipients.sms(phone)],
            context={"code": code, "minutes": SMS_CODE_MINUTES},
            key=f"portal:code:{row.pk}",
        )


def open_by_phone(*, phone: str, code: str, ip: str | None) -> Grant:
    """手机号 + 短信验证码 → every submission and case of that phone."""
    phone = _phone(phone)
    limits.hit("verify_ip", ip)
    if not codes.normalize(code):
        raise InvalidInput(fields={"code": [_("请填写短信验证码。")]})
    at = now()
    row = PhoneCode.objects.filter(phone=phone).order_by("-created_at", "-pk").first()
    if row is None or row.used_at is not None or row.expires_at <= at:
        raise AccessDenied(_("验证码已过期或已使用，请重新获取。"))
    if row.failures >= codes.MAX_FAILURES:
        raise AccessDenied(_("验证码错误次数过多，请 %(m)d 分钟后重新获取。") % {"m": LOCK_MINUTES})
    if not codes.matches("sms", code, row.code_hash):
        PhoneCode.objects.filter(pk=row.pk).update(failures=F("failures") + 1)
        left = codes.MAX_FAILURES - row.failures - 1
        if left <= 0:
            raise AccessDenied(_("验证码错误次数过多，请 %(m)d 分钟后重新获取。") % {"m": LOCK_MINUTES})
        raise AccessDenied(_("验证码不正确，还可以再试 %(n)d 次。") % {"n": left})
    if not PhoneCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=at):
        raise AccessDenied(_("验证码已过期或已使用，请重新获取。"))
    submissions = list(Submission.objects.filter(phone=phone).values_list("pk", flat=True))
    cases = set(Case.objects.filter(worker__phone=phone).values_list("pk", flat=True))
    cases |= set(Submission.objects.filter(phone=phone, case__isnull=False).values_list("case_id", flat=True))
    return Grant(submissions, sorted(cases), "phone")


def query_code_reissue(*, submission: Submission) -> str:
    """A new query code for ``submission`` (the old one stops working); sent by SMS. The
    demo uses it to print a working code on every ``seed_demo``."""
    code = codes.new_query_code()
    with transaction.atomic():
        Submission.objects.filter(pk=submission.pk).update(
            code_hash=codes.digest("query", code), code_failures=0, code_locked_until=None
        )
        notify(
            event="portal_submitted",
            recipients=[recipients.sms(submission.phone)],
            context={"reference": submission.reference, "code": codes.display(code)},
            key=f"portal:k{submission.county_id}:{submission.reference}:code:{now().timestamp():.0f}",
        )
    return code
