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
    """Opted-in cases still closed whose worker agreed to 公示 (``portal.PublicationConsent``,
    recorded who/when/how), newest first, as dicts of public fields only (no model instances
    reach the template, so nothing personal can leak through an attribute)."""
    return (
        Publication.objects.filter(case__status=Status.CLOSED, case__publication_consent__agreed=True)
        .order_by("-published_at", "-pk")
        .values(*PUBLIC_FIELDS)
    )
