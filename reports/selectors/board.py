"""The public board's rows: only what may be public (category, enterprise, outcome, level, dates)."""

from __future__ import annotations

from casework.models.case import Status

from ..models import Publication

PUBLIC_FIELDS = (
    "pk",
    "published_at",
    "case__category__code",
    "case__category__name",
    "case__enterprise__name",
    "case__outcome",
    "case__answered_level",
    "case__closed_at",
)


def published():
    """Opted-in cases still closed, newest first, as dicts of public fields only (no model
    instances reach the template, so nothing personal can leak through an attribute)."""
    return (
        Publication.objects.filter(case__status=Status.CLOSED).order_by("-published_at", "-pk").values(*PUBLIC_FIELDS)
    )
