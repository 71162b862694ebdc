"""Celery task of reports: the rollup compaction (``config/celery.py`` may schedule it)."""

from __future__ import annotations

from celery import shared_task

from .rollup import scheduled_compact


@shared_task(name="reports.compact_rollup")
def compact_rollup() -> None:
    """The same job the embedded scheduler runs every five minutes (``ReportsConfig.ready``)."""
    scheduled_compact()
