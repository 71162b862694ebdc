"""Benchmark the deadline sweep on PostgreSQL (run by hand, never in ``make test``).

    DATABASE_URL=postgres://…/casework_bench python manage.py migrate
    DATABASE_URL=postgres://…/casework_bench python manage.py bench_sweep --clocks 1000000 --due 10000

Clones one real case into ``--clocks`` cases with one open clock each (server-side
``INSERT … SELECT generate_series``), times sweeps with nothing due, then makes ``--due``
clocks due (policy ``flag``: a history row and the notification outbox rows each) and
times the sweep that handles them. Refuses to run on a database whose name lacks "bench".
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from casework.clock import now
from casework.demo import build_world
from casework.models import Case
from escalation.models import DeadlineClock
from escalation.sweep import sweep


class Command(BaseCommand):
    help = "Time the deadline sweep with many clocks (PostgreSQL, a database named *bench*)."

    def add_arguments(self, parser):
        parser.add_argument("--clocks", type=int, default=1_000_000)
        parser.add_argument("--due", type=int, default=10_000)
        parser.add_argument("--runs", type=int, default=20, help="empty sweeps to time")

    def handle(self, *args, clocks: int, due: int, runs: int, **options):
        db = settings.DATABASES["default"]
        if connection.vendor != "postgresql" or "bench" not in db["NAME"]:
            raise CommandError("Run on PostgreSQL, in a database whose name contains 'bench' (it writes many rows).")
        if due > clocks:
            raise CommandError("--due cannot exceed --clocks")
        self._populate(clocks)
        at = now()
        empty = []
        for _ in range(runs):
            start = time.perf_counter()
            result = sweep(at)
            empty.append((time.perf_counter() - start) * 1000)
            assert result.breached == result.warned == 0, result
        self.stdout.write(
            f"empty sweep over {DeadlineClock.objects.count():,} clocks: "
            f"median {statistics.median(empty):.1f} ms, max {max(empty):.1f} ms ({runs} runs)"
        )
        with connection.cursor() as cur:
            cur.execute(
                "EXPLAIN (FORMAT JSON) SELECT due_at, id, case_id FROM escalation_deadlineclock "
                "WHERE stopped_at IS NULL AND paused_at IS NULL AND breached_at IS NULL AND due_at IS NOT NULL "
                "AND due_at <= %s ORDER BY due_at, id LIMIT 500",
                [at],
            )
            plan = json.dumps(cur.fetchone()[0])
        self.stdout.write("plan uses clock_due_open: " + str("clock_due_open" in plan))
        with connection.cursor() as cur:
            cur.execute(
                "UPDATE escalation_deadlineclock SET due_at = %s, warn_at = %s WHERE id IN "
                "(SELECT id FROM escalation_deadlineclock WHERE stopped_at IS NULL AND breached_at IS NULL "
                "ORDER BY id DESC LIMIT %s)",
                [at - dt.timedelta(hours=1), at - dt.timedelta(days=2), due],
            )
            cur.execute("ANALYZE escalation_deadlineclock")
        start = time.perf_counter()
        result = sweep(at)
        took = time.perf_counter() - start
        self.stdout.write(f"sweep with {due:,} due clocks: {took:.1f} s ({result.line()})")

    def _populate(self, wanted: int) -> None:
        have = DeadlineClock.objects.filter(stopped_at__isnull=True, breached_at__isnull=True).count()
        if have >= wanted:
            return
        from django.contrib.auth import get_user_model

        from casework import services

        if not get_user_model().objects.filter(username="desk").exists():
            build_world("bench-password-1")
        data = services.CaseInput(
            worker={"name": "王建国", "gender": "male", "phone": "13912345678"},
            enterprise="DEMO-E1",
            category="wages",
            channel="reception_day",
            summary="企业拖欠工资三个月。",
            request="要求足额支付工资。",
            consent=True,
        )
        template = services.case_register(actor=get_user_model().objects.get(username="desk"), data=data)
        clock = DeadlineClock.objects.get(case=template, stopped_at__isnull=True)
        snapshot = dict(clock.policy_snapshot, breach_action="flag")
        columns = [f.column for f in Case._meta.concrete_fields if f.column not in ("id", "number")]
        cols = ", ".join(columns)
        missing = wanted - have
        self.stdout.write(f"inserting {missing:,} cases and clocks …")
        started = time.perf_counter()
        far = now() + dt.timedelta(days=3650)
        with connection.cursor() as cur:
            cur.execute(
                f"INSERT INTO casework_case (number, {cols}) "  # noqa: S608 - column names from the model
                f"SELECT 'BENCH-' || %s || '-' || g, {cols} FROM casework_case, generate_series(1, %s) g "
                f"WHERE casework_case.id = %s",
                [int(time.time()), missing, template.pk],
            )
            cur.execute(
                "INSERT INTO escalation_deadlineclock (case_id, kind, stage, unit_id, policy_snapshot, instructions, "
                "started_at, warn_at, due_at, paused_total, extension_reason, breach_outcome, attempts, last_error) "
                "SELECT c.id, 'stage', 'enterprise', c.handling_unit_id, %s::jsonb, '', %s, "
                "%s + (c.id %% 1000) * interval '1 minute', %s + (c.id %% 1000) * interval '1 minute', "
                "interval '0', '', '', 0, '' "
                "FROM casework_case c WHERE c.number LIKE 'BENCH-%%' "
                "AND NOT EXISTS (SELECT 1 FROM escalation_deadlineclock d WHERE d.case_id = c.id)",
                [json.dumps(snapshot), now(), far - dt.timedelta(days=5), far],
            )
            cur.execute("ANALYZE casework_case")
            cur.execute("ANALYZE escalation_deadlineclock")
        self.stdout.write(f"… done in {time.perf_counter() - started:.0f} s")
