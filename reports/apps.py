from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("督导与事事有结果报表")

    def ready(self) -> None:
        from config import scheduler

        from .actions import register_actions
        from .receivers import connect
        from .rollup import scheduled_compact

        connect()
        register_actions()
        scheduler.register("compact_report_rollup", scheduled_compact, every=300)
