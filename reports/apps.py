from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("督导与事事有结果报表")

    def ready(self) -> None:
        from .actions import register_actions
        from .receivers import connect

        connect()
        register_actions()
