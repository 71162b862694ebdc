"""会员评家: once a year a member rates their enterprise union and the federation that handled
their case. Who rated is kept only as a keyed hash (one rating per union and year)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.clock import now
from casework.exceptions import InvalidInput, TransitionRefused
from casework.models import Case, OrgUnit

from .. import codes
from ..models import RatingQuestion, UnionRating
from ..selectors import ratable_unions


def union_rating_submit(*, case: Case, union: OrgUnit | int | str, scores: dict, comment: str = "") -> UnionRating:
    """Rate ``union`` (one of ``ratable_unions(case)``) 1–5 on every ``RatingQuestion``."""
    unions = {u.pk: u for u in ratable_unions(case)}
    try:
        union_id = int(union.pk if isinstance(union, OrgUnit) else union)
    except (TypeError, ValueError):
        union_id = 0
    if union_id not in unions:
        raise InvalidInput(fields={"union": [_("请选择为您办理本案的工会。")]})
    errors, values = {}, {}
    for question in RatingQuestion:
        raw = scores.get(question.value)
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 5 or (isinstance(raw, float) and raw != value) or isinstance(raw, bool):
            errors[question.value] = [_("请为“%(q)s”打 1 至 5 分。") % {"q": question.label}]
        values[question.value] = value
    comment = str(comment or "").strip()
    if "\x00" in comment or len(comment) > 1000:
        errors["comment"] = [_("意见建议不能超过 1000 个字。")]
    if errors:
        raise InvalidInput(fields=errors)
    year = timezone.localdate().year
    rater = codes.rater_key(case.worker_id)
    rating = UnionRating(year=year, union=unions[union_id], rater=rater, comment=comment, created_at=now(), **values)
    if UnionRating.objects.filter(year=year, union_id=union_id, rater=rater).exists():
        raise TransitionRefused(_("您今年已经评价过该工会，每年可评价一次。"))
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError:
        raise TransitionRefused(_("您今年已经评价过该工会，每年可评价一次。")) from None
    return rating
