from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("职工诉求案件")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate
        from simple_history import register
        from viewflow.workflow.models import Task

        from . import checks  # noqa: F401  (registers system checks)
        from .history import ActingHistory
        from .roles import sync_role_groups

        post_migrate.connect(sync_role_groups, sender=self, dispatch_uid="casework.sync_role_groups")

        # API tokens die with a password change or a deactivation (casework/api/auth.py).
        from django.conf import settings
        from django.db.models.signals import pre_save

        from .api.auth import revoke_on_credential_change

        pre_save.connect(
            revoke_on_credential_change, sender=settings.AUTH_USER_MODEL, dispatch_uid="casework.revoke_api_tokens"
        )

        # Audit viewflow's task rows too: who claimed, who finished, when (the acting user
        # and reason of the service call that moved them: ``casework.history``).
        # History rows are read by task (``id``) only: the task table's other indexes are not
        # copied (each would be written with every row of every stage change).
        register(
            Task,
            app="casework",
            table_name="casework_historicaltask",
            records_class=ActingHistory,
            no_db_index=[
                "artifact_content_type", "created", "external_task_id", "owner",
                "owner_permission_content_type", "process", "scheduled", "seed_content_type", "status",
            ],
        )  # fmt: skip

        # History rows of the demo's past cases carry the travelled clock's date (casework.clock).
        from simple_history.signals import pre_create_historical_record

        from .history import date_history_row

        pre_create_historical_record.connect(date_history_row, dispatch_uid="casework.history_date")

        # A new unit's creation row carries its path (the path holds the id the insert gives it).
        from .models import OrgUnit
        from .models.org import unit_path_in_history

        pre_create_historical_record.connect(
            unit_path_in_history, sender=OrgUnit.history.model, dispatch_uid="casework.unit_path_in_history"
        )

        # Notifications: case events → outbox rows in the same transaction; the daily digest.
        from config import scheduler

        from . import signals
        from .digest import send_supervisor_digest
        from .notify import on_case_event

        signals.case_event.connect(on_case_event, dispatch_uid="casework.notify.on_case_event")

        # The webhooks' events are ``case.<action>``: named for the admin's outbox.
        from notifications import events

        from .catalog import ACTION_LABELS
        from .notify import EXTRA_LABELS

        events.add_labels(ACTION_LABELS, prefix="case.")
        events.add_labels(EXTRA_LABELS, prefix="case.")
        scheduler.register("supervisor_digest", send_supervisor_digest, every=3600)
