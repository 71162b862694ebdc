from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoicesConfig(AppConfig):
    """条条有回音: every worker's voice ends in a case, an answer on the spot, or "no action" with a reason."""

    name = "voices"
    verbose_name = _("条条有回音")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from casework import digest

        from . import selectors

        digest.register_unit_notice(selectors.digest_notice)
