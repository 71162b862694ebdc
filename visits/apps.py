from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    """走访: work groups visit enterprises, interview workers, and file what they find as cases."""

    name = "visits"
    verbose_name = _("走访")
    default_auto_field = "django.db.models.BigAutoField"
