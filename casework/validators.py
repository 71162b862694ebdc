"""Validation of personal identifiers: resident ID numbers and mainland phone numbers."""

import datetime as dt
import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")


def id_number_check_digit(first17: str) -> str:
    """GB 11643-1999 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def normalize_id_number(value: str) -> str:
    return (value or "").strip().upper()


def validate_id_number(value: str) -> None:
    """A valid 18-character resident ID: format, birth date and check character."""
    value = normalize_id_number(value)
    if not _ID_RE.match(value):
        raise ValidationError(_("身份证号码应为18位，前17位为数字，末位为数字或X。"), code="id_format")
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(_("身份证号码中的出生日期无效。"), code="id_birth") from None
    if id_number_check_digit(value[:17]) != value[17]:
        raise ValidationError(_("身份证号码校验位不正确，请核对。"), code="id_checksum")


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


def mask_phone(value: str) -> str:
    if not value:
        return ""
    if len(value) <= 7:
        return value[:2] + "*" * (len(value) - 2)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


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
