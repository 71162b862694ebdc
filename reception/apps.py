from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionConfig(AppConfig):
    """主席接待日: reception days planned per unit, the day's register, the closing summary."""

    name = "reception"
    verbose_name = _("主席接待日")
    default_auto_field = "django.db.models.BigAutoField"
