"""问责 and 公示 as case actions, registered into casework's registry (pages and API)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from casework.actions import ActionSpec, register
from casework.models import Case
from casework.models.case import Status

from . import forms, services
from .models import Publication

LABELS = {
    "accountability": _("问责"),
    "publish": _("结果公示"),
    "unpublish": _("撤销公示"),
}


def _published(case: Case) -> bool:
    if "_reports_published" not in case.__dict__:
        case.__dict__["_reports_published"] = bool(case.pk) and Publication.objects.filter(case=case).exists()
    return case.__dict__["_reports_published"]


def may_hold_accountable(case: Case, user) -> bool:
    return services.can_hold_accountable(case, user)


def may_publish(case: Case, user) -> bool:
    return case.status == Status.CLOSED and services.can_publish(case, user) and not _published(case)


def may_unpublish(case: Case, user) -> bool:
    return services.can_publish(case, user) and _published(case)


SPECS = [
    (
        ActionSpec(
            "accountability",
            LABELS["accountability"],
            forms.AccountabilityForm,
            lambda c, u, d, v: services.case_hold_accountable(
                case=c, actor=u, note=d["note"], unit=d.get("unit", ""), person=d.get("person", ""), expected_version=v
            ),
            danger=True,
        ),
        may_hold_accountable,
    ),
    (
        ActionSpec(
            "publish",
            LABELS["publish"],
            forms.PublishForm,
            lambda c, u, d, v: services.case_publish(case=c, actor=u, expected_version=v),
        ),
        may_publish,
    ),
    (
        ActionSpec(
            "unpublish",
            LABELS["unpublish"],
            forms.UnpublishForm,
            lambda c, u, d, v: services.case_unpublish(case=c, actor=u, reason=d["reason"], expected_version=v),
        ),
        may_unpublish,
    ),
]


def register_actions() -> None:
    from casework import selectors

    for spec, allowed in SPECS:
        register(spec, allowed=allowed)
    for code, label in LABELS.items():
        selectors.ACTION_LABELS.setdefault(code, label)
