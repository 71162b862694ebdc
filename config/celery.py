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
app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "sweep-deadlines": {"task": "escalation.sweep_deadlines", "schedule": 60.0, "options": {"expires": 55}},
    "deliver-notifications": {
        "task": "notifications.deliver_notifications",
        "schedule": 10.0,
        "options": {"expires": 9},
    },
    # Hourly; each supervisor gets one digest a day (idempotency key per day), after the digest hour.
    "supervisor-digest": {"task": "casework.send_supervisor_digest", "schedule": 3600.0},
}
app.conf.broker_connection_retry_on_startup = True
app.conf.task_ignore_result = True
app.conf.worker_prefetch_multiplier = 1  # a long sweep must not hold the deliveries queued behind it
