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

app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "deliver-notifications": {"task": "notifications.deliver_notifications", "schedule": 10.0},
    # Hourly; each supervisor gets one digest a day (idempotency key per day), after the digest hour.
    "supervisor-digest": {"task": "casework.send_supervisor_digest", "schedule": 3600.0},
}
