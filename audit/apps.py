from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("审计链")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, post_save
        from simple_history.signals import post_create_historical_record

        from config import scheduler

        from . import chain, guard, ledger

        post_create_historical_record.connect(chain.on_history_row, dispatch_uid="audit.chain")
        post_save.connect(ledger.on_access_logged, sender="reports.AccessLog", dispatch_uid="audit.access_log")
        post_migrate.connect(guard.ensure_append_only, dispatch_uid="audit.append_only")
        scheduler.register("audit_anchor", ledger.scheduled_anchor, every=3600)

        from django.contrib.auth.signals import user_logged_in

        from config.security import mark_seen_on_login

        user_logged_in.connect(mark_seen_on_login, dispatch_uid="config.security.mark_seen_on_login")
