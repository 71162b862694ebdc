"""The embedded scheduler: periodic jobs in a background thread of the ``serve`` process.

Apps register their jobs in ``AppConfig.ready()``; in production Celery beat runs the
same functions instead. Each job runs in its own short transactions and must be safe to
run concurrently with another scheduler (they claim rows with row locks).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import close_old_connections

logger = logging.getLogger(__name__)


@dataclass
class Job:
    name: str
    func: Callable[[], object]
    every: float
    next_run: float = 0.0


_jobs: dict[str, Job] = {}


def register(name: str, func: Callable[[], object], every: float) -> None:
    _jobs[name] = Job(name, func, every)


def jobs() -> list[Job]:
    return list(_jobs.values())


def run_due(now: float | None = None) -> list[str]:
    """Run every job whose time has come; a failing job is logged and retried next tick."""
    now = time.monotonic() if now is None else now
    ran = []
    for job in jobs():
        if now >= job.next_run:
            job.next_run = now + job.every
            close_old_connections()
            try:
                job.func()
                ran.append(job.name)
            except Exception:
                logger.exception("scheduled job %s failed", job.name)
            finally:
                close_old_connections()
    return ran


def start(stop: threading.Event, tick: float = 1.0) -> threading.Thread:
    def loop() -> None:
        while not stop.is_set():
            run_due()
            stop.wait(tick)

    thread = threading.Thread(target=loop, name="casework-scheduler", daemon=True)
    thread.start()
    return thread
