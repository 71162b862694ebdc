"""Overdue contacts (``campaign.overdue``) as a source of 条条有回音 (``settings.VOICE_SOURCES``).

The voices app never imports this module: it is listed in the setting, like
``reception.voices``.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.clock import now

from .overdue import overdue_within


def overdue_voices(*, unit_path, start, end, unanswered_only):
    """The overdue contacts as a source of the unanswered-voices list (``settings.VOICE_SOURCES``).

    An overdue contact is a reminder, not a voice a worker raised: it is listed only when the
    list asks for unanswered items (so the 事事有结果 figures, which count voices received, do
    not change) and it has no end of its own — it leaves the list once the point is visited or
    the family contacted. Its date is the quarter's first day (not contacted since then), so
    the list shows it once that day is ``VOICES_UNANSWERED_DAYS`` old, like any other voice.
    """
    if not unanswered_only:
        return []
    from voices.selectors import VoiceItem

    within = Q() if unit_path is None else Q(unit__path__startswith=unit_path)
    items = []
    for row in overdue_within(within, timezone.localdate(now())):
        if (start and row.since < start) or (end and row.since > end):
            continue
        summary = _("%(what)s：%(name)s（活动：%(campaign)s）") % {
            "what": row.kind_label,
            "name": row.name,
            "campaign": row.campaign,
        }
        items.append(
            VoiceItem(
                f"contact_{row.kind}",
                row.pk,
                row.kind_label,
                row.unit_id,
                row.unit,
                row.since,
                summary,
                "",
                row.link,
                reminder=True,
            )  # fmt: skip
        )
    return items
