"""Celery tasks of casework: thin wrappers (``config/celery.py`` schedules them)."""

from celery import shared_task

from .digest import send_supervisor_digest as _send_supervisor_digest


@shared_task(name="casework.send_supervisor_digest", ignore_result=True)
def send_supervisor_digest() -> int:
    return _send_supervisor_digest()
