from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EscalationConfig(AppConfig):
    name = "escalation"
    verbose_name = _("限时办结")

    def ready(self) -> None:
        from config import scheduler

        from . import checks  # noqa: F401  (registers the holiday-calendar check)
        from .actions import register_actions
        from .receivers import connect
        from .sweep import scheduled_sweep

        connect()
        register_actions()
        scheduler.register("sweep_deadlines", scheduled_sweep, every=60)
