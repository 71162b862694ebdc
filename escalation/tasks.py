"""Celery tasks of escalation: thin wrappers (``config/celery.py`` schedules them)."""

from celery import shared_task

from .sweep import scheduled_sweep


@shared_task(name="escalation.sweep_deadlines", ignore_result=True)
def sweep_deadlines() -> None:
    """The same job the embedded scheduler runs every minute (``EscalationConfig.ready``)."""
    scheduled_sweep()


@shared_task(name="escalation.recompute_deadlines", ignore_result=True)
def recompute_deadlines() -> None:
    """Finish a recompute a confirmed holiday schedule started (``EscalationConfig.ready``)."""
    from .services.holidays import recompute_pending

    recompute_pending()
