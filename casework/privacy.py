"""个人信息: the one rule for a worker's phone and ID number in a response.

Personal data leaves the server masked unless the request is a logged unmask: a ``GET``
(or ``HEAD``) that asks for it with ``?unmask=1``, by a user the caller's rule allows, and
the access-log row is written before the page is built. Pages, printable views, the API and
the admin ask ``reveal`` (or ``reveal_case``) and show the full value only when it answers
``True``: nothing else decides. A form re-rendered after a failed ``POST`` is always masked
(a ``POST`` is not a view of the data, and would not be logged as one).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.template_utils import HistoricalRecordContextHelper

from . import rules, signals
from .validators import mask_id_number, mask_phone

UNMASK_PARAM = "unmask"


def unmask_requested(request) -> bool:
    """The request asks to see personal data in full: ``GET``/``HEAD`` with ``?unmask=1``."""
    return request.method in ("GET", "HEAD") and request.GET.get(UNMASK_PARAM) == "1"


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def reveal(request, *, allowed: bool, record: Callable[[], object]) -> bool:
    """Whether this response may carry personal data unmasked; when it may, ``record()``
    has written the access-log row. ``allowed`` is the caller's own rule for this user."""
    if not (allowed and unmask_requested(request)):
        return False
    record()
    return True


def reveal_case(request, case, *, kind: str = "case_page") -> bool:
    """``reveal`` for a case's worker: allowed by ``rules.can_see_personal_data``, logged
    through ``signals.personal_data_viewed`` (the reports app's access log)."""
    return reveal(
        request,
        allowed=rules.can_see_personal_data(case, request.user),
        record=lambda: signals.personal_data_viewed.send(
            sender=type(case), case=case, user=request.user, kind=kind, ip=client_ip(request)
        ),
    )


# --- the admin ------------------------------------------------------------------------------

MASKERS: dict[str, Callable[[str], str]] = {"phone": mask_phone, "id_number": mask_id_number}


def mask_field(name: str, value) -> str:
    return MASKERS.get(name, mask_phone)(str(value or ""))


class MaskedHistoryContext(HistoricalRecordContextHelper):
    """simple_history's change list (its documented helper hook) with the personal fields masked."""

    personal_fields: tuple[str, ...] = ()

    def prepare_delta_change_value(self, change, value):
        if change.field in self.personal_fields:
            return mask_field(change.field, value)
        return super().prepare_delta_change_value(change, value)


class PersonalDataAdmin:
    """A ``ModelAdmin`` mixin: ``personal_fields`` never leave the admin in full — not on the
    change page, its read-only view, the history list or a history version. They are left
    out of the form and shown masked; the full value is seen on the case page, as a logged
    unmask. (Editing them is the services' job, not the admin's.)"""

    personal_fields: tuple[str, ...] = ()

    def get_exclude(self, request, obj=None):
        return (*(super().get_exclude(request, obj) or ()), *self.personal_fields)

    def get_readonly_fields(self, request, obj=None):
        kept = [f for f in super().get_readonly_fields(request, obj) if f not in self.personal_fields]
        return (*kept, "masked_personal_data")

    @admin.display(description=_("个人信息（已脱敏）"))
    def masked_personal_data(self, obj) -> str:
        if obj is None:
            return ""
        return "；".join(
            f"{obj._meta.get_field(name).verbose_name}：{mask_field(name, getattr(obj, name, '')) or '—'}"
            for name in self.personal_fields
        )

    def get_historical_record_context_helper(self, request, historical_record):
        helper = MaskedHistoryContext(self.model, historical_record)
        helper.personal_fields = self.personal_fields
        return helper
