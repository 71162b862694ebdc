"""Celery task of the idempotency keys (``config/celery.py`` schedules it hourly)."""

from celery import shared_task

from .services import idempotency_keys_purge


@shared_task(name="idempotency.purge_keys", ignore_result=True)
def purge_keys() -> int:
    return idempotency_keys_purge()
