"""Writes of the supervisors' side (house rule 1): 问责, 公示, the personal-data access log.

问责 and 公示 are case actions: one transaction with the case row locked and one case
history row (``record_change``), so the timeline shows them and notifications hear of them
through ``casework.signals.case_event`` (action codes ``accountability``, ``publish``,
``unpublish``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from casework import rules
from casework.clock import now
from casework.exceptions import InvalidInput, TransitionRefused
from casework.models import Case, OrgUnit
from casework.models.case import Status
from casework.services import locked_case, record_change, require, require_text

from .models import AccessKind, AccessLog, AccountabilityNote, Publication


def can_hold_accountable(case: Case, user) -> bool:
    """问责 is the supervision group's (督导检查组) within its jurisdiction."""
    return rules.can_supervise(case, user)


def can_publish(case: Case, user) -> bool:
    """公示 is decided by a supervisor or a leader of the jurisdiction, once the case is closed."""
    return rules.can_supervise(case, user) or rules.can_lead(case, user)


def _unit_in_jurisdiction(actor, code: str) -> OrgUnit:
    target = OrgUnit.objects.filter(code=code.strip()).first()
    profile = rules.profile(actor)
    inside = target is not None and (
        actor.is_superuser or (profile is not None and target.path.startswith(profile.unit.path))
    )
    if not inside:
        raise InvalidInput(fields={"unit": [_("被问责单位不存在或不在本辖区。")]})
    return target


def case_hold_accountable(
    *,
    case: Case | str,
    actor,
    note: str,
    unit: str = "",
    person: str = "",
    expected_version: int | None = None,
) -> AccountabilityNote:
    """问责: record an accountability note naming the unit (default: the handling unit) and person."""
    note = require_text(note, "note", _("问责意见"))
    person = (person or "").strip()[:100]
    with locked_case(case, expected_version=expected_version) as c:
        require(can_hold_accountable(c, actor))
        target = _unit_in_jurisdiction(actor, unit) if (unit or "").strip() else c.handling_unit
        record = AccountabilityNote.objects.create(
            case=c, author=actor, unit=target, person=person, note=note, created_at=now()
        )
        who = "、".join(x for x in [target.name if target else "", person] if x)
        text = _("问责（%(who)s）：%(note)s") % {"who": who, "note": note}
        record_change(c, actor=actor, action="accountability", reason=text)
        return record


def case_publish(*, case: Case | str, actor, expected_version: int | None = None) -> Publication:
    """公示: put a closed case on the public results board (no personal data is shown there)."""
    with locked_case(case, expected_version=expected_version) as c:
        require(can_publish(c, actor))
        if c.status != Status.CLOSED:
            raise TransitionRefused(_("只有已办结的案件可以公示。"))
        if Publication.objects.filter(case=c).exists():
            raise TransitionRefused(_("该案件已公示。"))
        consent = getattr(c, "publication_consent", None)  # portal.PublicationConsent: the worker's word
        if consent is None or not consent.agreed:
            raise TransitionRefused(_("职工未同意公示，不能公示。请先记录职工的公示意见。"))
        publication = Publication.objects.create(case=c, published_by=actor, published_at=now())
        record_change(c, actor=actor, action="publish", reason=_("办理结果公示（不含个人信息）"))
        return publication


def case_unpublish(*, case: Case | str, actor, reason: str, expected_version: int | None = None) -> Case:
    """撤销公示."""
    reason = require_text(reason, "reason", _("撤销理由"))
    with locked_case(case, expected_version=expected_version) as c:
        require(can_publish(c, actor))
        deleted, _rows = Publication.objects.filter(case=c).delete()
        if not deleted:
            raise TransitionRefused(_("该案件未公示。"))
        record_change(c, actor=actor, action="unpublish", reason=reason)
        return c


def access_log_record(*, case: Case, user, kind: str = AccessKind.CASE_PAGE, ip: str | None = None) -> AccessLog:
    """Who saw a worker's unmasked personal data, and when (append-only)."""
    return AccessLog.objects.create(case=case, user=user, at=now(), kind=kind, ip=ip or None)
