from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EscalationConfig(AppConfig):
    name = "escalation"
    verbose_name = _("限时办结")

    def ready(self) -> None:
        from casework import deadlines, digest
        from config import scheduler

        from . import (
            calendar,
            checks,  # noqa: F401  (registers the holiday-calendar check)
            provisional,
        )
        from .actions import register_actions
        from .receivers import connect
        from .services.holidays import recompute_pending
        from .sweep import scheduled_sweep

        connect()
        provisional.connect()
        register_actions()

        from django.db.models.signals import post_delete, post_save

        from casework.models import OrgUnit

        from . import policies
        from .models import TimePolicy

        for model in (TimePolicy, OrgUnit):
            uid = f"escalation.policies_{model.__name__}"
            post_save.connect(policies.forget, sender=model, dispatch_uid=f"{uid}_saved")
            post_delete.connect(policies.forget, sender=model, dispatch_uid=f"{uid}_deleted")
        digest.register_notice(provisional.schedule_missing_notice)
        deadlines.register_working_days(calendar.working_days_after)
        scheduler.register("sweep_deadlines", scheduled_sweep, every=60)
        scheduler.register("recompute_deadlines", recompute_pending, every=60)
