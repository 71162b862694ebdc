"""Maintain the report's rollup (PostgreSQL): fold deltas, rebuild, or check it against the cases.

python manage.py report_rollup --compact     # what the scheduler does every five minutes
python manage.py report_rollup --rebuild     # after a change of TIME_ZONE or of the definition
python manage.py report_rollup --check --from 2025-01-01 --to 2025-12-31 [--unit CODE]
"""

from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from reports import rollup
from reports.selectors.outcomes import outcome_report
from reports.selectors.scope import parse_scope


class Command(BaseCommand):
    help = "Maintain the period report's rollup on PostgreSQL (compact, rebuild, check)."

    def add_arguments(self, parser):
        parser.add_argument("--compact", action="store_true")
        parser.add_argument("--rebuild", action="store_true")
        parser.add_argument("--check", action="store_true")
        parser.add_argument("--from", dest="date_from")
        parser.add_argument("--to", dest="date_to")
        parser.add_argument("--unit")

    def handle(self, *args, **opts):
        if connection.vendor != "postgresql":
            raise CommandError("The report rollup exists on PostgreSQL only.")
        if opts["rebuild"]:
            t = time.perf_counter()
            with transaction.atomic(), connection.cursor() as cursor:
                rollup.install(cursor)
            self.stdout.write(f"rebuilt in {time.perf_counter() - t:.1f} s")
            with connection.cursor() as cursor:  # outside the transaction: sets the visibility map
                cursor.execute("VACUUM ANALYZE reports_stay_fact")
        if opts["compact"]:
            t = time.perf_counter()
            with transaction.atomic(), connection.cursor() as cursor:
                rollup.compact(cursor)
            with connection.cursor() as cursor:  # after a bulk load most rows are dead deltas now
                for table in rollup.TABLES:
                    cursor.execute(f"VACUUM ANALYZE {table}")
            self.stdout.write(f"compacted in {time.perf_counter() - t:.1f} s")
        if opts["check"]:
            scope = parse_scope(
                date_from=opts["date_from"], date_to=opts["date_to"], unit=opts["unit"], everything=True
            )
            at = timezone.now()
            fast = outcome_report(scope, at=at, method="rollup")
            slow = outcome_report(scope, at=at, method="direct")
            if fast != slow:
                diff = {k: (fast[k], slow[k]) for k in fast if fast[k] != slow.get(k)}
                raise CommandError("rollup and direct computation differ: " + json.dumps(diff, ensure_ascii=False))
            self.stdout.write("rollup equals the direct computation")
