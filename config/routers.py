"""Reports read from a replica when ``REPORTS_DATABASE_URL`` is set (production settings).

The report pages are long reads over many rows; they can run on a streaming replica of
the primary and leave its CPU to the officers. Which reads go there is decided by the
request, not by the model (the reports read casework's and escalation's tables):
``ReportsReplicaMiddleware`` marks GET/HEAD requests under ``/reports/`` (and
``/api/v1/reports/``), and for the rest of that request every read goes to the
``reports`` alias. Writes always go to ``default`` (the reports' access log, exports
bookkeeping), and so do reads anywhere else: a replica lags by up to a few seconds, which
a report tolerates and an officer's next page would not.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

_on_replica: ContextVar[bool] = ContextVar("casework_reports_replica", default=False)

REPLICA_PATH_PREFIXES = ("/reports/", "/api/v1/reports/")


@contextmanager
def reading_reports() -> Iterator[None]:
    """Send the reads in this block to the ``reports`` replica (when one is configured)."""
    token = _on_replica.set(True)
    try:
        yield
    finally:
        _on_replica.reset(token)


class ReportsReplicaRouter:
    def db_for_read(self, model, **hints):
        if _on_replica.get() and "reports" in settings.DATABASES:
            return "reports"
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReportsReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and request.path.startswith(REPLICA_PATH_PREFIXES):
            with reading_reports():
                return self.get_response(request)
        return self.get_response(request)
