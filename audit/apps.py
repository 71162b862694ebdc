from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("审计链")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate
        from simple_history.signals import post_create_historical_record

        from . import chain, guard

        post_create_historical_record.connect(chain.on_history_row, dispatch_uid="audit.chain")
        post_migrate.connect(guard.ensure_append_only, dispatch_uid="audit.append_only")

        from django.contrib.auth.signals import user_logged_in

        from config.security import mark_seen_on_login

        user_logged_in.connect(mark_seen_on_login, dispatch_uid="config.security.mark_seen_on_login")
