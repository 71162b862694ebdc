"""What the portal adds to other apps when it starts: its notification events, its history
actions' labels, and the desk's 公示意见 action on the case page and the API."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms import ActionForm
from casework.models.case import RESULT_OUTCOMES, Status

from .models import ConsentMethod

LABELS = {
    "portal_accept": _("网上职工心声受理"),
    "publication_consent": _("公示意见"),
}

SMS_LABELS = {
    "portal_code": _("网上职工心声查询验证码"),
    "portal_submitted": _("网上职工心声已提交"),
    "portal_declined": _("网上职工心声不予受理"),
}


class ConsentForm(ActionForm):
    agreed = forms.TypedChoiceField(
        label=_("职工意见"),
        choices=[("yes", _("同意公示办理结果（不含个人信息）")), ("no", _("不同意公示"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    method = forms.ChoiceField(
        label=_("确认方式"), choices=[c for c in ConsentMethod.choices if c[0] != ConsentMethod.PORTAL]
    )


def may_record_consent(case, user) -> bool:
    from casework import rules

    return case.status == Status.CLOSED and case.outcome in RESULT_OUTCOMES and rules.is_owner(case, user)


def _record_consent(c, u, d, v):
    from .services import publication_consent_set

    return publication_consent_set(case=c, agreed=d["agreed"], actor=u, method=d["method"], expected_version=v)


def connect() -> None:
    """The portal's own texts (``portal_submitted``, ``portal_declined``, ``portal_code``) go to
    a phone number only (``notifications.recipients.sms``), so they need no entry in the
    notifications' event catalogue (which is about what staff users receive); they are only
    named for the admin's outbox."""
    from casework import selectors
    from casework.actions import ActionSpec, register
    from notifications import events

    events.add_labels(SMS_LABELS)

    for code, label in LABELS.items():
        selectors.ACTION_LABELS.setdefault(code, label)
    register(ActionSpec("publication_consent", LABELS["publication_consent"], ConsentForm, _record_consent),
             allowed=may_record_consent)  # fmt: skip
