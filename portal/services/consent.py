"""公示: the worker's consent to (or refusal of) publishing their case's result on the board."""

from __future__ import annotations

from django.utils.translation import gettext as _

from casework.clock import now
from casework.exceptions import InvalidInput
from casework.models import Case
from casework.services import locked_case, record_change

from ..models import ConsentMethod, PublicationConsent


def publication_consent_set(
    *, case: Case | str, agreed: bool, actor, method: str, expected_version: int | None = None
) -> PublicationConsent:
    """Record the worker's word (who recorded it, when, how); one case history row. The board
    (``reports.selectors.board``) shows the case only while it says ``agreed``; changing
    one's mind later is a new version of the same row (its history keeps the earlier one)."""
    if method not in ConsentMethod.values:
        raise InvalidInput(fields={"method": [_("请选择确认方式。")]})
    if not isinstance(agreed, bool):
        raise InvalidInput(fields={"agreed": [_("请选择同意或不同意公示。")]})
    with locked_case(case, expected_version=expected_version) as c:
        consent = PublicationConsent.objects.filter(case=c).first() or PublicationConsent(case=c)
        consent.agreed, consent.decided_at, consent.method, consent.recorded_by = agreed, now(), method, actor
        consent._history_user = actor
        consent.full_clean(exclude=["case", "recorded_by"])
        consent.save()
        label = ConsentMethod(method).label
        text = _("职工同意公示办理结果（%(how)s）") if agreed else _("职工不同意公示办理结果（%(how)s）")
        record_change(c, actor=actor, action="publication_consent", reason=text % {"how": label})
        return consent
