"""Celery tasks of reporting: thin wrappers (``config/celery.py`` schedules them)."""

from celery import shared_task

from .deadlines import scheduled_sweep


@shared_task(name="reporting.sweep_report_deadlines", ignore_result=True)
def sweep_report_deadlines() -> None:
    """The same job the embedded scheduler runs every minute (``ReportingConfig.ready``)."""
    scheduled_sweep()
