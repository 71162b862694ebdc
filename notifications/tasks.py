"""Celery tasks: thin wrappers around the delivery worker (``config/celery.py`` schedules them)."""

from celery import shared_task

from .delivery import deliver_notifications as _deliver_notifications


@shared_task(name="notifications.deliver_notifications", ignore_result=True)
def deliver_notifications() -> str:
    return str(_deliver_notifications())  # the embedded scheduler's job too
