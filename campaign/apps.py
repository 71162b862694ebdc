from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignConfig(AppConfig):
    """双走双促 / 走基层: campaigns, cadres' days at the grassroots, contact points and families."""

    name = "campaign"
    verbose_name = _("双走双促")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from casework import digest

        from .overdue import digest_notice

        digest.register_unit_notice(digest_notice)
