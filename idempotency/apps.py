from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdempotencyConfig(AppConfig):
    name = "idempotency"
    verbose_name = _("幂等键")

    def ready(self) -> None:
        from config import scheduler

        from .services import idempotency_keys_purge

        # Keys live API_IDEMPOTENCY_TTL_HOURS (24); Celery beat runs the same job in production.
        scheduler.register("purge_idempotency_keys", idempotency_keys_purge, every=3600)
