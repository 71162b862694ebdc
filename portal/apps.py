from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("职工网上诉求（网上职工心声）")

    def ready(self) -> None:
        from .wiring import connect

        connect()
