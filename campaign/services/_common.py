"""Helpers the campaign services share (one transaction per service, ``full_clean`` first)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.clock import now
from casework.dates import format_day
from casework.exceptions import InvalidInput


def clean(instance, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise InvalidInput(fields=exc.message_dict) from None


def save(instance, actor, reason: str = "") -> None:
    instance._history_user = actor
    if reason:
        instance._change_reason = reason
    instance.save()


def text(value) -> str:
    return str(value if value is not None else "").strip()


def require(value, field: str, label: str) -> str:
    value = text(value)
    if not value:
        raise InvalidInput(fields={field: [_("请填写%(label)s。") % {"label": label}]})
    return value


def require_date(value, field: str, label: str) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise InvalidInput(fields={field: [_("请填写%(label)s（YYYY-MM-DD）。") % {"label": label}]})
    return value


def not_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate(now()):
        raise InvalidInput(fields={field: [_("日期不能晚于今天。")]})


def in_period(campaign, day: dt.date, field: str) -> None:
    """No day outside the campaign period (活动期间)."""
    if not campaign.covers_day(day):
        raise InvalidInput(
            fields={
                field: [
                    _("%(day)s 不在活动期间（%(start)s 至 %(end)s）内。")
                    % {
                        "day": format_day(day),
                        "start": format_day(campaign.period_start),
                        "end": format_day(campaign.period_end),
                    }
                ]
            }
        )
