"""The Celery app for production: ``celery -A config worker`` and ``celery -A config beat``.

The embedded default (``make run``) needs none of this: ``config.scheduler`` runs the
same functions in-process. Tasks stay thin wrappers around those functions.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("casework")
app.config_from_object("django.conf:settings", namespace="CELERY")
if not app.conf.broker_url:
    app.conf.broker_url = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
app.autodiscover_tasks()

# Beat runs exactly once per deployment (see docs/operations.md); the same periods as the
# embedded scheduler's registrations in the apps' ready(). ``expires`` drops a run that
# waited in the queue past its next one: the next run does the same work.
# CASEWORK_SWEEP_EVERY / CASEWORK_DELIVER_EVERY (seconds) exist for the worker test.
_sweep_every = float(os.environ.get("CASEWORK_SWEEP_EVERY", 60))
_deliver_every = float(os.environ.get("CASEWORK_DELIVER_EVERY", 10))
app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "sweep-deadlines": {
        "task": "escalation.sweep_deadlines",
        "schedule": _sweep_every,
        "options": {"expires": max(_sweep_every - 5, 1)},
    },
    # 定期上报 deadlines: a warning before the due date, the breach after it (reporting.deadlines).
    "sweep-report-deadlines": {
        "task": "reporting.sweep_report_deadlines",
        "schedule": _sweep_every,
        "options": {"expires": max(_sweep_every - 5, 1)},
    },
    # A confirmed holiday schedule recomputes the clocks it moves; this finishes an interrupted run.
    "recompute-deadlines": {"task": "escalation.recompute_deadlines", "schedule": 60.0, "options": {"expires": 55}},
    "deliver-notifications": {
        "task": "notifications.deliver_notifications",
        "schedule": _deliver_every,
        "options": {"expires": max(_deliver_every - 1, 1)},
    },
    # Hourly; each supervisor gets one digest a day (idempotency key per day), after the digest hour.
    "supervisor-digest": {"task": "casework.send_supervisor_digest", "schedule": 3600.0},
    # Folds the report rollup's change rows into its counters (PostgreSQL; a no-op elsewhere).
    "compact-report-rollup": {"task": "reports.compact_rollup", "schedule": 300.0, "options": {"expires": 295}},
    # The audit chains' periodic anchor (audit.ledger).
    "audit-anchor": {"task": "audit.anchor", "schedule": 3600.0, "options": {"expires": 3500}},
    # Idempotency keys older than API_IDEMPOTENCY_TTL_HOURS (idempotency/).
    "purge-idempotency-keys": {"task": "idempotency.purge_keys", "schedule": 3600.0, "options": {"expires": 3500}},
}
app.conf.broker_connection_retry_on_startup = True
# One Redis may serve several deployments (or test runs): each keeps its own queue.
app.conf.task_default_queue = os.environ.get("CELERY_QUEUE", "casework")
app.conf.task_ignore_result = True
app.conf.worker_prefetch_multiplier = 1  # a long sweep must not hold the deliveries queued behind it
