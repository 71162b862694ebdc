from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """工作台账 and 定期上报: the unit's seven-column ledger, and period reports sent up the ladder."""

    name = "reporting"
    verbose_name = _("台账与上报")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from config import scheduler

        from .deadlines import scheduled_sweep

        scheduler.register("sweep_report_deadlines", scheduled_sweep, every=60)
