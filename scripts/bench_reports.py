# ruff: noqa: E501  (SQL kept on one line per column group)
"""Benchmark of the supervisors' side on PostgreSQL (run by hand, not in ``make test``).

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_reports_bench \
        .venv/bin/python scripts/bench_reports.py --cases 1000000

Creates (or reuses) the database, migrates it, builds the demo org tree, bulk-inserts
``--cases`` cases spread over 2025 (statuses, outcomes, satisfaction mixed), one CaseStage and
two stage clocks per case, all with ``INSERT … SELECT generate_series`` (minutes, not hours;
the report rollup's triggers fill the rollup as the rows go in, then it is compacted), then times: the year report for the province, the supervisor dashboard selectors, and the
peak memory of an .xlsx ledger export of ``--export-rows`` rows (in a child process).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CASE_SQL = """
INSERT INTO casework_case (number, status, level, place, summary, request, workers_involved, urgent, consent,
  outcome, result, answered_level, guidance, reply_method, reply_content, replied_at, satisfaction,
  satisfaction_comment, systemic, reopen_count, received_at, due_at, warn_at, paused_at, answered_at, closed_at,
  updated_at, version, last_action, prev_status, owner_id, category_id, channel_id, county_id, enterprise_id,
  receiving_unit_id, handling_unit_id, worker_id)
SELECT 'B-' || i,
  (ARRAY['closed','closed','closed','closed','closed','answered','enterprise','union','government','not_accepted'])[i %% 10 + 1],
  CASE WHEN i %% 10 = 9 THEN '' ELSE (ARRAY['enterprise','union','government'])[i %% 3 + 1] END,
  '', '拖欠工资', '支付工资', 1 + i %% 5, false, true,
  CASE WHEN i %% 10 IN (6,7,8) THEN '' WHEN i %% 10 = 9 THEN 'not_accepted'
       ELSE (ARRAY['resolved','partly_resolved','explained','resolved','withdrawn','merged'])[i %% 6 + 1] END,
  '', '', '', '', '', NULL,
  CASE WHEN i %% 10 < 5 THEN (ARRAY['satisfied','basically_satisfied','dissatisfied','not_rated'])[i %% 4 + 1] ELSE '' END,
  '', i %% 50 = 0, (i %% 40 = 0)::int,
  r, r + interval '15 days', r + interval '10 days', NULL,
  CASE WHEN i %% 10 < 6 THEN r + interval '9 days' END, CASE WHEN i %% 10 < 5 THEN r + interval '12 days' END,
  r, 1, 'register', '', %(owner)s,
  (%(categories)s)[i %% %(ncat)s + 1], (%(channels)s)[i %% %(nch)s + 1],
  (%(counties)s)[i %% %(nco)s + 1], %(enterprise)s, %(receiving)s, %(handling)s, %(worker)s
FROM (SELECT i, timestamptz '2025-01-01 00:00+08' + (i %% 365) * interval '1 day' + (i %% 86400) * interval '1 second' AS r
      FROM generate_series(1, %(n)s) AS i) s
"""
STAGE_SQL = """
INSERT INTO casework_casestage (case_id, level, unit_id, started_at, ended_at, result)
SELECT id, 'enterprise', %(handling)s, received_at,
  CASE WHEN status NOT IN ('enterprise','not_accepted') THEN received_at + (id %% 20) * interval '1 day' END,
  CASE WHEN status NOT IN ('enterprise','not_accepted') THEN 'answered' ELSE '' END
FROM casework_case WHERE number LIKE 'B-%%' AND status <> 'not_accepted'
"""
CLOCK_SQL = """
INSERT INTO escalation_deadlineclock (case_id, kind, stage, unit_id, policy_snapshot, instructions, started_at,
  warn_at, due_at, stopped_at, late, late_by, paused_total, extension_reason, breach_outcome, attempts, last_error,
  extension_days, extension_requested_at, extension_approved_at)
SELECT id, 'stage', st, %(handling)s, '{}'::jsonb, '', received_at, received_at + interval '10 days',
  received_at + interval '15 days',
  CASE WHEN status <> 'enterprise' OR st = 'receipt' THEN received_at + (id %% 20) * interval '1 day' END,
  CASE WHEN status <> 'enterprise' OR st = 'receipt' THEN (id %% 20) > 15 END,
  NULL, interval '0', '', '', 0, '',
  CASE WHEN id %% 30 = 0 THEN 5 END, CASE WHEN id %% 30 = 0 THEN received_at END,
  CASE WHEN id %% 60 = 0 THEN received_at END
FROM casework_case, (VALUES ('receipt'), ('enterprise')) AS v(st) WHERE number LIKE 'B-%%'
"""


def setup(n: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from casework.demo import build_world
    from casework.models import Category, Channel, OrgUnit, Worker
    from casework.models.org import UnitKind

    call_command("migrate", verbosity=0)
    world = build_world("bench-pass-123")
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM casework_case WHERE number LIKE 'B-%%'")
        have = c.fetchone()[0]
    if have >= n:
        print(f"reusing {have} bench cases")
        return
    worker = Worker.objects.create(name="基准测试", phone="13900000000")
    e1 = OrgUnit.objects.get(code="DEMO-E1")
    params = {
        "n": n,
        "owner": world["fixed"]["desk"].pk,
        "categories": list(Category.objects.values_list("pk", flat=True)),
        "channels": list(Channel.objects.values_list("pk", flat=True)),
        "counties": list(OrgUnit.objects.filter(kind=UnitKind.COUNTY_FEDERATION).values_list("pk", flat=True)),
        "enterprise": e1.pk,
        "receiving": world["counties"]["DEMO-K1"].pk,
        "handling": OrgUnit.objects.get(code="DEMO-E1-U").pk,
        "worker": worker.pk,
    }
    params.update(ncat=len(params["categories"]), nch=len(params["channels"]), nco=len(params["counties"]))
    t = time.perf_counter()
    with connection.cursor() as c:
        c.execute("DELETE FROM escalation_deadlineclock WHERE case_id IN (SELECT id FROM casework_case WHERE number LIKE 'B-%%')")
        c.execute("DELETE FROM casework_casestage WHERE case_id IN (SELECT id FROM casework_case WHERE number LIKE 'B-%%')")
        c.execute("DELETE FROM casework_case WHERE number LIKE 'B-%%'")
        c.execute(CASE_SQL, params)
        c.execute(STAGE_SQL, params)
        c.execute(CLOCK_SQL, params)
        print(f"inserted {n} cases, their stages and clocks in {time.perf_counter() - t:.1f} s")
        # The report rollup's triggers appended a delta per row; fold them (what the scheduler
        # does every five minutes), then let the stay index be read index-only.
        t = time.perf_counter()
        c.execute("SELECT reports_rollup_compact()")
        for table in ("reports_case_rollup", "reports_key_rollup", "reports_clock_rollup", "reports_stay_rollup"):
            c.execute(f"VACUUM ANALYZE {table}")  # the millions of folded deltas are dead rows now
        c.execute("VACUUM ANALYZE reports_stay_fact")
        # The case table too: the dashboard's covering index is read index-only once the
        # visibility map is set, as autovacuum keeps it on a live database.
        c.execute("VACUUM ANALYZE casework_case")
        c.execute("ANALYZE")
    print(f"rollup compacted in {time.perf_counter() - t:.1f} s")


def timed(label: str, fn, repeat: int = 5):
    fn()  # warm the cache
    runs = sorted(_once(fn) for _ in range(repeat))
    median = runs[len(runs) // 2]
    print(f"{label}: median of {repeat}: {median * 1000:.0f} ms (best {runs[0] * 1000:.0f} ms)")
    return median


def _once(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def measure() -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from reports.selectors import dashboard
    from reports.selectors.outcomes import outcome_report
    from reports.selectors.scope import jurisdiction_cases, parse_scope

    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM casework_case")
        print(f"cases in the database: {c.fetchone()[0]}")
        for table in ("reports_case_rollup", "reports_key_rollup", "reports_clock_rollup", "reports_stay_rollup"):
            c.execute(f"SELECT count(*) FROM {table}")  # noqa: S608  (constants)
            print(f"  {table}: {c.fetchone()[0]} rows")
    scope = parse_scope(date_from="2025-01-01", date_to="2025-12-31", unit="DEMO-P", everything=True)
    at = timezone.now()
    timed("year report, province (DEMO-P)", lambda: outcome_report(scope, at=at))
    supervisor = get_user_model().objects.get(username="supervisor")

    def dash():
        cases = jurisdiction_cases(supervisor)
        dashboard.state_counts(cases, at)  # by level and by unit, as the page does
        list(dashboard.red_list(cases, at))

    timed("supervisor dashboard (county DEMO-K1 selectors)", dash)


def export_memory(rows: int) -> None:
    code = f"""
import os, resource, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings"); django.setup()
from casework.models import Case
from reports import exports
cases = Case.objects.filter(number__startswith="B-").order_by("pk")
ids = list(cases.values_list("pk", flat=True)[:{rows}])
t = time.perf_counter()
f = exports.xlsx_file([("台账", exports.ledger_headers(), exports.ledger_rows(Case.objects.filter(pk__in=ids)))],
                      title="台账", period="")
size = f.seek(0, 2)
print(f"xlsx ledger export of {{len(ids)}} rows: {{time.perf_counter() - t:.1f}} s, {{size / 1e6:.1f}} MB, "
      f"peak RSS {{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}} MB")
"""
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)  # noqa: S603


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--export-rows", type=int, default=100_000)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/casework_reports_bench")
    os.environ["DATABASE_URL"] = url
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    setup(args.cases)
    measure()
    export_memory(args.export_rows)


if __name__ == "__main__":
    main()
