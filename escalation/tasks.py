"""Celery tasks of escalation: thin wrappers (``config/celery.py`` schedules them)."""

from celery import shared_task

from .sweep import scheduled_sweep


@shared_task(name="escalation.sweep_deadlines", ignore_result=True)
def sweep_deadlines() -> None:
    """The same job the embedded scheduler runs every minute (``EscalationConfig.ready``)."""
    scheduled_sweep()
