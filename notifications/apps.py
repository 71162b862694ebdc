from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        from config import scheduler

        from .delivery import deliver_notifications

        # Embedded default: the serve process drains the outbox every 10 s (Celery beat in production).
        scheduler.register("deliver_notifications", deliver_notifications, every=10)
