"""The report from the rollup (PostgreSQL triggers) equals the direct computation, field by field.

Cases of every kind are built through the services (every outcome, reopened, merged, paused,
extended, rated, escalated twice, a late stay, swept clocks), then changed the way an admin
or a script would (moved to another county, re-dated, deleted, a bulk insert); after each
step every report (three scopes and the whole database, several periods, several report
times around the deadlines) must be the same both ways.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection, transaction

from casework import services
from casework.models import Case, OrgUnit
from escalation import services as clock_services
from escalation.models import ClockKind, DeadlineClock
from escalation.sweep import sweep
from reports import rollup
from reports.selectors.outcomes import outcome_report, raw_figures
from reports.selectors.scope import parse_scope

from .builders import resolved
from .test_figures import T0, built  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

SCOPES = [
    ("DEMO-K1", "2026-01-01", "2026-03-31"),
    ("DEMO-K2", "2026-01-01", "2026-12-31"),
    ("DEMO-P", "2026-03-02", "2026-03-02"),
    ("DEMO-P", "2026-01-21", "2026-03-05"),
    (None, "2025-01-01", "2026-12-31"),
]


def _times() -> list[dt.datetime]:
    """Report times around every running clock's deadline (before, at, after it, a day later)."""
    dues = DeadlineClock.objects.filter(
        kind=ClockKind.STAGE, stopped_at__isnull=True, due_at__isnull=False
    ).values_list("due_at", flat=True)
    times = {T0 + dt.timedelta(hours=1), T0 + dt.timedelta(days=60)}
    for due in dues:
        times |= {due - dt.timedelta(seconds=1), due, due + dt.timedelta(seconds=1), due + dt.timedelta(days=1)}
    return sorted(times)


def assert_same_everywhere():
    times = _times()
    checked = 0
    for unit, date_from, date_to in SCOPES:
        scope = parse_scope(date_from=date_from, date_to=date_to, unit=unit, everything=True)
        for at in times:
            fast = outcome_report(scope, at=at, method="rollup")
            slow = outcome_report(scope, at=at, method="direct")
            for key in slow:
                assert fast[key] == slow[key], (unit, date_from, date_to, at, key)
            checked += 1
    return checked


def test_rollup_equals_direct_for_cases_of_every_kind(built, users, register):  # noqa: F811
    assert assert_same_everywhere()
    officer, leader = users["officer_enterprise"], users["leader"]
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        paused = register()
        clock_services.clock_pause(case=paused.number, actor=officer, reason="等待职工补充工资条。")
        extended = register()
        clock_services.extension_request(case=extended.number, actor=officer, days=5, reason="企业负责人出差。")
        clock_services.extension_approve(case=extended.number, actor=leader)
        asked = register()
        clock_services.extension_request(case=asked.number, actor=officer, days=3, reason="等待材料。")
        resumed = register()
        clock_services.clock_pause(case=resumed.number, actor=officer, reason="等待仲裁。")
    with time_machine.travel(T0 + dt.timedelta(days=3), tick=False):
        clock_services.clock_resume(case=resumed.number, actor=officer)
        rated = resolved(users, register, satisfaction="basically_satisfied")
        services.case_escalate(case=asked.number, actor=officer, reason="需工会协调")
    assert assert_same_everywhere()

    # The sweep acts on what is past due (breaches, flags, escalations) some weeks later.
    sweep(T0 + dt.timedelta(days=45))
    assert assert_same_everywhere()

    # What an admin or a script may do: move a case to another county, re-date it, delete one.
    county_b = OrgUnit.objects.get(code="DEMO-K2")
    Case.objects.filter(pk=rated.pk).update(county=county_b)
    Case.objects.filter(pk=built["union"].pk).update(received_at=T0 - dt.timedelta(days=50))
    Case.objects.filter(pk=paused.pk).update(received_at=T0 + dt.timedelta(days=300), county=county_b)
    assert assert_same_everywhere()
    doomed = built["government"]
    with transaction.atomic():  # rolled back below: the workflow rows still point at the case
        DeadlineClock.objects.filter(case=doomed).delete()
        doomed.stages.all().delete()
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM casework_case WHERE id = %s", [doomed.pk])
        assert assert_same_everywhere()
        transaction.set_rollback(True)
    assert assert_same_everywhere()

    # Compaction folds the deltas without changing a figure.
    before = _rollup_rows()
    with connection.cursor() as cursor:
        rollup.compact(cursor)
    assert _rollup_rows() < before
    assert assert_same_everywhere()


def test_rollup_equals_direct_after_raw_sql_with_deferred_keys(built):  # noqa: F811
    """Foreign keys are checked at commit: SQL may delete a case before its clocks and stays."""
    case = built["replied"]
    with transaction.atomic(), connection.cursor() as cursor:  # rolled back: other rows still point at it
        cursor.execute("DELETE FROM casework_case WHERE id = %s", [case.pk])
        assert assert_same_everywhere()
        cursor.execute("DELETE FROM escalation_deadlineclock WHERE case_id = %s", [case.pk])
        cursor.execute("DELETE FROM casework_casestage WHERE case_id = %s", [case.pk])
        assert assert_same_everywhere()
        transaction.set_rollback(True)
    assert assert_same_everywhere()


def test_bulk_insert_and_backfill_give_the_same_rollup(built):  # noqa: F811
    """A bulk ``INSERT … SELECT`` (scripts/bench_reports.py's) goes through the statement triggers; a rebuild
    from the rows (the migration's backfill) then gives the same sums, key by key."""
    with connection.cursor() as cursor:
        # Each case has its worker record of its own: the copies get copies of their workers.
        cursor.execute(
            """INSERT INTO casework_worker (name, gender, birth_month, phone, id_number, hukou, ethnicity,
              political_status, education, post, technical_title, migrant, dispatched, enterprise_id, province, city,
              county, created_at, phone_hash, id_hash)
            SELECT 'BULK-' || i || '-' || c.number, w.gender, w.birth_month, w.phone, w.id_number, w.hukou,
              w.ethnicity, w.political_status, w.education, w.post, w.technical_title, w.migrant, w.dispatched,
              w.enterprise_id, w.province, w.city, w.county, w.created_at, w.phone_hash, w.id_hash
            FROM casework_case c JOIN casework_worker w ON w.id = c.worker_id, generate_series(1, 3) AS i"""
        )
        cursor.execute(
            """INSERT INTO casework_case (number, status, level, place, summary, request, workers_involved, urgent,
              consent, outcome, result, answered_level, guidance, reply_method, reply_content, replied_at, satisfaction,
              satisfaction_comment, systemic, reopen_count, received_at, due_at, warn_at, paused_at, answered_at,
              closed_at, updated_at, version, last_action, prev_status, owner_id, category_id, channel_id, county_id,
              enterprise_id, receiving_unit_id, handling_unit_id, worker_id, leader_id, merged_into_id)
            SELECT 'BULK-' || i || '-' || number, status, level, place, summary, request, workers_involved, urgent,
              consent, outcome, result, answered_level, guidance, reply_method, reply_content, replied_at, satisfaction,
              satisfaction_comment, systemic, reopen_count, received_at + i * interval '7 hours', due_at, warn_at,
              paused_at, answered_at, closed_at, updated_at, version, last_action, prev_status, owner_id, category_id,
              channel_id, county_id, enterprise_id, receiving_unit_id, handling_unit_id,
              (SELECT w.id FROM casework_worker w WHERE w.name = 'BULK-' || i || '-' || number), leader_id, NULL
            FROM casework_case, generate_series(1, 3) AS i"""
        )
        cursor.execute(
            """INSERT INTO casework_casestage (case_id, level, unit_id, started_at, ended_at, result)
            SELECT b.id, s.level, s.unit_id, s.started_at, s.ended_at + (b.id % 5) * interval '1 hour', s.result
            FROM casework_case b JOIN casework_case a ON b.number LIKE 'BULK-%-' || a.number
            JOIN casework_casestage s ON s.case_id = a.id"""
        )
        cursor.execute(
            """INSERT INTO escalation_deadlineclock (case_id, kind, stage, unit_id, policy_snapshot, instructions,
              started_at, warn_at, due_at, stopped_at, late, late_by, paused_at, paused_total, extension_reason,
              breach_outcome, attempts, last_error, extension_days, extension_requested_at, extension_approved_at)
            SELECT b.id, k.kind, k.stage, k.unit_id, k.policy_snapshot, k.instructions, k.started_at, k.warn_at,
              k.due_at + (b.id % 3) * interval '1 day', k.stopped_at, k.late, k.late_by, k.paused_at, k.paused_total,
              k.extension_reason, k.breach_outcome, k.attempts, k.last_error, k.extension_days,
              k.extension_requested_at, k.extension_approved_at
            FROM casework_case b JOIN casework_case a ON b.number LIKE 'BULK-%-' || a.number
            JOIN escalation_deadlineclock k ON k.case_id = a.id"""
        )
        cursor.execute("UPDATE casework_casestage SET ended_at = ended_at + interval '1 minute' WHERE id % 2 = 0")
    assert assert_same_everywhere()
    kept = _sums()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks before CREATE INDEX
        rollup.install(cursor)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    assert _sums() == kept
    assert assert_same_everywhere()


def test_the_report_reads_the_rollup_where_it_can(built):  # noqa: F811
    at = T0 + dt.timedelta(hours=1)
    county = parse_scope(date_from="2026-01-01", date_to="2026-03-31", unit="DEMO-K1", everything=True)
    raw_figures(county, at, method="rollup")  # answers
    enterprise = parse_scope(date_from="2026-01-01", date_to="2026-03-31", unit="DEMO-E1", everything=True)
    with pytest.raises(RuntimeError):
        raw_figures(enterprise, at, method="rollup")
    assert outcome_report(enterprise, at=at)["received"] > 0  # direct
    with connection.cursor() as cursor:  # a stale definition: the report falls back, still right
        cursor.execute("UPDATE reports_rollup_state SET signature = 'old'")
    assert outcome_report(county, at=at) == outcome_report(county, at=at, method="direct")
    with pytest.raises(RuntimeError):
        raw_figures(county, at, method="rollup")


def _rollup_rows() -> int:
    with connection.cursor() as cursor:
        return sum(_count(cursor, table) for table in rollup.TABLES)


def _count(cursor, table: str) -> int:
    cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608  (a constant)
    return cursor.fetchone()[0]


def _sums() -> dict:
    """Every rollup table summed by its key (order and compaction aside), and the stay facts."""
    keys = {
        "reports_case_rollup": ["county_id", "day"],
        "reports_key_rollup": ["county_id", "day", "dim", "key_id"],
        "reports_clock_rollup": ["county_id", "day", "stage", "due_day"],
        "reports_stay_rollup": ["county_id", "day", "level"],
    }
    out = {}
    with connection.cursor() as cursor:
        for table, key in keys.items():
            cursor.execute(f"SELECT * FROM {table} LIMIT 0")  # noqa: S608
            cols = [c.name for c in cursor.description if c.name not in key]
            sums = ", ".join(f"sum({c})" for c in cols)
            cursor.execute(
                f"SELECT {', '.join(key)}, {sums} FROM {table} GROUP BY {', '.join(key)} "  # noqa: S608
                f"HAVING {' OR '.join(f'sum({c}) <> 0' for c in cols)}"
            )
            out[table] = sorted(cursor.fetchall(), key=repr)
        cursor.execute("SELECT stage_id, case_id, county_id, day, level, seconds FROM reports_stay_fact ORDER BY 1")
        out["reports_stay_fact"] = cursor.fetchall()
    return out


def test_truncate_empties_the_rollup(built):  # noqa: F811
    """Django's test flush (and an admin's reset) truncate; TRUNCATE fires no DELETE trigger."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending key checks
        cursor.execute("TRUNCATE escalation_deadlineclock, casework_casestage CASCADE")
        assert assert_same_everywhere()
        cursor.execute("TRUNCATE casework_case CASCADE")
        assert _rollup_rows() == 0
    assert assert_same_everywhere()
