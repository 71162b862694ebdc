"""Reads of 条条有回音: every source of voices, merged; the unanswered list; the figures.

Sources are a registry (``settings.VOICE_SOURCES``: dotted paths of functions), so an app
added later (the campaign's overdue contacts, say) lists its own unanswered items by adding
one function, with no change here. A source is called as
``source(unit_path=..., start=..., end=..., unanswered_only=...)`` and returns ``VoiceItem``s:
the voices raised in ``[start, end]`` (dates, inclusive; ``None`` is open) by units whose path
starts with ``unit_path`` (``None``: every unit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from casework import rules as case_rules
from casework.clock import now

from .models import Voice, VoiceOutcome, VoiceSource

DEFAULT_SOURCES = (
    "voices.selectors.recorded_voices",
    "voices.selectors.interview_voices",
    "reception.voices.reception_voices",
)
LISTED = 500  # items per unanswered list page


@dataclass(frozen=True)
class VoiceItem:
    kind: str  # which source: "voice", "interview", "reception", …
    pk: int
    source: str  # the label shown
    unit_id: int
    unit_name: str
    raised_on: dt.date
    summary: str
    status: str  # "" (unanswered), "case", "answered", "no_action"
    url: str
    # A reminder a source lists beside the voices (the campaign's overdue contacts): shown in
    # the unanswered list, not counted as a worker's voice in the digest line.
    reminder: bool = False


def unanswered_days() -> int:
    return int(getattr(settings, "VOICES_UNANSWERED_DAYS", 7))


def sources() -> list:
    return [import_string(path) for path in getattr(settings, "VOICE_SOURCES", DEFAULT_SOURCES)]


def local_bounds(start: dt.date | None, end: dt.date | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz) if start else None
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz) if end else None
    return lo, hi


def recorded_voices(*, unit_path, start, end, unanswered_only) -> Iterable[VoiceItem]:
    """Voices recorded here (座谈会, visit opinions, other) — interviews are their own source."""
    qs = Voice.objects.filter(interview__isnull=True).select_related("unit")
    if unit_path is not None:
        qs = qs.filter(unit__path__startswith=unit_path)
    if start:
        qs = qs.filter(raised_on__gte=start)
    if end:
        qs = qs.filter(raised_on__lte=end)
    if unanswered_only:
        qs = qs.filter(outcome="")
    for v in qs.order_by("raised_on", "pk"):
        yield VoiceItem("voice", v.pk, str(v.get_source_display()), v.unit_id, v.unit.name, v.raised_on,
                        v.summary, v.outcome, reverse("voices:voice", args=[v.pk]))  # fmt: skip


def interview_voices(*, unit_path, start, end, unanswered_only) -> Iterable[VoiceItem]:
    """个案访谈 with a 诉求: answered by its case, or by the voice recorded for it."""
    from visits.models import Interview

    qs = Interview.objects.exclude(request="").select_related("group__unit", "voice")
    if unit_path is not None:
        qs = qs.filter(group__unit__path__startswith=unit_path)
    lo, hi = local_bounds(start, end)
    if lo:
        qs = qs.filter(interviewed_at__gte=lo)
    if hi:
        qs = qs.filter(interviewed_at__lt=hi)
    if unanswered_only:
        qs = qs.filter(case__isnull=True).filter(Q(voice__isnull=True) | Q(voice__outcome=""))
    label = str(VoiceSource.INTERVIEW.label)
    for i in qs.order_by("interviewed_at", "pk"):
        voice = getattr(i, "voice", None)
        status = VoiceOutcome.CASE if i.case_id else (voice.outcome if voice else "")
        yield VoiceItem("interview", i.pk, label, i.group.unit_id, i.group.unit.name,
                        timezone.localtime(i.interviewed_at).date(), i.request, status,
                        reverse("visits:interview", args=[i.pk]))  # fmt: skip


def voice_items(*, unit_path: str | None, start=None, end=None, unanswered_only: bool = False) -> list[VoiceItem]:
    items: list[VoiceItem] = []
    for source in sources():
        items.extend(source(unit_path=unit_path, start=start, end=end, unanswered_only=unanswered_only))
    return sorted(items, key=lambda i: (i.raised_on, i.kind, i.pk))


def scope_path(user) -> str | None:
    """The subtree a user's lists cover; ``None`` for superusers (everything)."""
    if user.is_superuser:
        return None
    p = case_rules.profile(user)
    if p is None:
        return "\x00no-unit"
    return p.unit.path


def unanswered(*, unit_path: str | None, at: dt.datetime | None = None, days: int | None = None) -> list[VoiceItem]:
    """Voices with no answer raised more than ``days`` (default ``VOICES_UNANSWERED_DAYS``) days ago."""
    at = at or now()
    days = unanswered_days() if days is None else days
    cutoff = timezone.localtime(at).date() - dt.timedelta(days=days)
    return voice_items(unit_path=unit_path, end=cutoff, unanswered_only=True)


def figures(*, unit_path: str | None, start: dt.date | None, end: dt.date | None, at=None) -> dict:
    """事事有结果 counts: received, answered on the spot, filed as cases, no action, still unanswered."""
    items = voice_items(unit_path=unit_path, start=start, end=end)
    counts = {"received": len(items), "answered": 0, "case": 0, "no_action": 0, "unanswered": 0}
    for item in items:
        counts[item.status or "unanswered"] = counts.get(item.status or "unanswered", 0) + 1
    overdue = {(i.kind, i.pk) for i in unanswered(unit_path=unit_path, at=at)}
    counts["overdue"] = sum((i.kind, i.pk) in overdue for i in items)
    return counts


def digest_notice(unit, at: dt.datetime) -> str:
    """The supervisors' digest line: how many voices of the unit's subtree are unanswered."""
    n = sum(not i.reminder for i in unanswered(unit_path=unit.path, at=at))
    if not n:
        return ""
    return _("超过%(days)s天未回音的职工诉求：%(n)s 条。") % {"days": unanswered_days(), "n": n}


def visible_voices(user):
    path = scope_path(user)
    qs = Voice.objects.all()
    return qs if path is None else qs.filter(unit__path__startswith=path)
