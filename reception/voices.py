"""The reception day's register as a source of 条条有回音 (``settings.VOICE_SOURCES``).

An entry ends as a case, an answer on the spot (当场解答; 不属于受理范围 with its guidance is
also an answer given there) or no further action of ours (转交, with the body it went to).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import EntryOutcome, ReceptionEntry

STATUS = {
    EntryOutcome.CASE: "case",
    EntryOutcome.ANSWERED: "answered",
    EntryOutcome.OUT_OF_SCOPE: "answered",
    EntryOutcome.REFERRED: "no_action",
    "": "",
}


def reception_voices(*, unit_path, start, end, unanswered_only):
    from voices.selectors import VoiceItem, local_bounds

    qs = ReceptionEntry.objects.select_related("session__unit")
    if unit_path is not None:
        qs = qs.filter(session__unit__path__startswith=unit_path)
    lo, hi = local_bounds(start, end)
    if lo:
        qs = qs.filter(created_at__gte=lo)
    if hi:
        qs = qs.filter(created_at__lt=hi)
    if unanswered_only:
        qs = qs.filter(outcome="")
    label = _("主席接待日")
    for e in qs.order_by("created_at", "pk"):
        unit = e.session.unit
        yield VoiceItem("reception", e.pk, label, unit.pk, unit.name, timezone.localtime(e.created_at).date(),
                        e.raised, STATUS[e.outcome], reverse("reception:session", args=[e.session_id]))  # fmt: skip
