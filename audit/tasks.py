"""Celery tasks of audit: thin wrappers (``config/celery.py`` schedules them)."""

from celery import shared_task

from .ledger import scheduled_anchor


@shared_task(name="audit.anchor", ignore_result=True)
def anchor() -> None:
    """The same job the embedded scheduler runs every hour (``AuditConfig.ready``)."""
    scheduled_anchor()
