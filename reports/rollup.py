# ruff: noqa: E501, S608  (SQL text; every interpolated name is a constant of this module)
"""The report's rollup on PostgreSQL: summary rows kept true by triggers, in the writers' transaction.

Why: the period report over a province's year (10⁶ cases) read 0.8–2 million rows three times
(3.2–3.7 s). The same figures as sums over a few thousand summary rows cost milliseconds.

What is stored (tables created by migration ``reports.0002_report_rollup``, PostgreSQL only;
no Django models, SQLite has none of it and keeps the direct computation):

- ``reports_case_rollup`` (county, day of receipt): one counter per case figure of the report.
- ``reports_key_rollup`` (county, day, dimension, id): cases by channel (1) and by category (2).
- ``reports_clock_rollup`` (county, day, stage, due day): stage clocks: total, on time, late,
  running, extensions; running unpaused clocks also by the local day they fall due, so that
  "running past due at the report's time" is the sum over earlier due days plus a live count of
  the clocks due on the report's own day (a range scan of ``reports_clock_running_due``).
- ``reports_stay_rollup`` (county, day, level): finished stays and their exact total seconds.
- ``reports_stay_fact``: one narrow row per finished stay (county, day, level, seconds) indexed
  by (level, seconds): the exact 90th percentile walks the top tenth of that index.

"day" is the local date (``settings.TIME_ZONE``) of the case's ``received_at``; a report covers
whole local days, so its cohort is exactly the rows of its days and counties.

How it stays true: AFTER triggers on ``casework_case``, ``casework_casestage`` and
``escalation_deadlineclock`` append signed deltas (the new rows' part minus the old rows' part,
grouped): INSERT and DELETE per statement over transition tables (a bulk ``INSERT … SELECT`` is
one grouped delta), UPDATE per row and only when a column the figures read changes (``GUARDS``),
TRUNCATE empties the matching rollup. Every writer is covered: services, admin, bulk SQL. Appending never waits on another
transaction (no hot counter row, no lock order, no deadlock); ``compact()`` folds the deltas of
a key into one row (scheduler job every five minutes, ``report_rollup --compact``), and a read
sums whatever is there, compacted or not. A clock or stay counts while its case exists; when
a case is inserted, deleted, moved to another county or re-dated, its trigger moves its clocks'
and stays' parts with it.

``outcomes.outcome_report`` uses the rollup for county-level scopes (a federation's subtree, or
everything) when it is installed with the current definition (``SIGNATURE``) and time zone;
enterprise subtrees and SQLite compute directly. ``tests/reports/test_rollup.py`` checks both
give the same report, field by field.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from decimal import Decimal

from django.conf import settings

from casework.models.case import OPEN_STATUSES, Level, Outcome, Satisfaction, Status

CASE = "casework_case"
STAGE = "casework_casestage"
CLOCK = "escalation_deadlineclock"
TABLES = ("reports_case_rollup", "reports_key_rollup", "reports_clock_rollup", "reports_stay_rollup")
CHANNEL, CATEGORY = 1, 2


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _open(r: str) -> str:
    return f"{r}.status IN ({', '.join(_lit(s) for s in OPEN_STATUSES)})"


def case_columns(r: str = "r") -> list[tuple[str, str]]:
    """(column, the case row's contribution) for ``reports_case_rollup``: the report's
    ``_case_aggregates`` written per row."""
    cols = [
        ("received", "1"),
        ("open", f"({_open(r)})::int"),
        ("answered_not_replied", f"({r}.status = {_lit(Status.ANSWERED)} AND {r}.replied_at IS NULL)::int"),
        ("replied_no_follow_up", f"({r}.status = {_lit(Status.ANSWERED)} AND {r}.replied_at IS NOT NULL)::int"),
        ("reopened", f"({r}.reopen_count > 0)::int"),
        ("reopens", f"{r}.reopen_count::bigint"),
        ("systemic", f"({r}.systemic)::int"),
        ("workers_involved", f"{r}.workers_involved::bigint"),
        ("level_none", f"({r}.level = '')::int"),
    ]
    cols += [(f"outcome_{c}", f"(NOT ({_open(r)}) AND {r}.outcome = {_lit(c)})::int") for c in Outcome.values]
    cols += [(f"level_{c}", f"({r}.level = {_lit(c)})::int") for c in Level.values]
    cols += [(f"sat_{c}", f"({r}.satisfaction = {_lit(c)})::int") for c in Satisfaction.values]
    return cols


def clock_columns(k: str = "k") -> list[tuple[str, str]]:
    return [
        ("total", "1"),
        ("on_time", f"({k}.stopped_at IS NOT NULL AND {k}.late IS FALSE)::int"),
        ("late_stopped", f"({k}.stopped_at IS NOT NULL AND {k}.late IS TRUE)::int"),
        ("running", f"({k}.stopped_at IS NULL)::int"),
        ("running_due", f"({_running_due(k)})::int"),
        ("ext_requested", f"({k}.extension_requested_at IS NOT NULL)::int"),
        ("ext_approved", f"({k}.extension_approved_at IS NOT NULL)::int"),
    ]


def _running_due(k: str) -> str:
    return f"{k}.stopped_at IS NULL AND {k}.paused_at IS NULL AND {k}.due_at IS NOT NULL"


def stay_columns(t: str = "t") -> list[tuple[str, str]]:
    return [
        ("finished", f"({t}.ended_at IS NOT NULL)::int"),
        (
            "seconds",
            f"CASE WHEN {t}.ended_at IS NOT NULL THEN EXTRACT(EPOCH FROM {t}.ended_at - {t}.started_at) ELSE 0 END",
        ),
    ]


def _day(expr: str, tz: str) -> str:
    return f"(({expr}) AT TIME ZONE {_lit(tz)})::date"


def _append(table: str, keys: list[str], cols: list[tuple[str, str]], source: str) -> str:
    """INSERT the signed sums of ``source`` (rows with a sign ``s`` and the key columns)
    grouped by the keys, leaving out groups where every sum is zero."""
    sums = ", ".join(f"sum(s * ({expr})) AS {name}" for name, expr in cols)
    nonzero = " OR ".join(f"a.{name} <> 0" for name, _ in cols)
    key_list = ", ".join(keys)
    names = ", ".join(name for name, _ in cols)
    return (
        f"INSERT INTO {table} ({key_list}, {names}) SELECT {key_list}, {names} FROM "
        f"(SELECT {key_list}, {sums} FROM ({source}) src GROUP BY {key_list}) a WHERE {nonzero};"
    )


def _signed(op: str, select: str) -> str:
    """``select`` (with ``{rows}`` and ``{s}`` placeholders) over the statement's new and/or
    old rows: +1 for new rows, −1 for old ones."""
    parts = []
    if op in ("INSERT", "UPDATE"):
        parts.append(select.format(rows="new_rows", s="1"))
    if op in ("UPDATE", "DELETE"):
        parts.append(select.format(rows="old_rows", s="-1"))
    return " UNION ALL ".join(parts)


def _case_body(op: str, tz: str) -> str:
    r_cols = case_columns("r")
    day = _day("r.received_at", tz)
    src = _signed(op, "SELECT {s} AS s, r.* FROM {rows} r")
    case_sql = _append(
        "reports_case_rollup",
        ["county_id", "day"],
        [(n, n) for n, _ in r_cols],
        f"SELECT r.s, r.county_id, {day} AS day, {', '.join(f'{expr} AS {name}' for name, expr in r_cols)} FROM ({src}) r",
    )
    keys_src = (
        f"SELECT r.s, r.county_id, {day} AS day, {CHANNEL} AS dim, r.channel_id AS key_id, 1 AS n FROM ({src}) r "
        f"UNION ALL SELECT r.s, r.county_id, {day} AS day, {CATEGORY} AS dim, r.category_id AS key_id, 1 AS n FROM ({src}) r"
    )
    key_sql = _append("reports_key_rollup", ["county_id", "day", "dim", "key_id"], [("n", "n")], keys_src)
    # The case's clocks and stays move with it: (id, old county, old day, new county, new day).
    if op == "INSERT":
        moves = f"SELECT n.id, NULL::bigint AS oc, NULL::date AS od, n.county_id AS nc, {_day('n.received_at', tz)} AS nd FROM new_rows n"
    elif op == "DELETE":
        moves = f"SELECT o.id, o.county_id AS oc, {_day('o.received_at', tz)} AS od, NULL::bigint AS nc, NULL::date AS nd FROM old_rows o"
    else:
        moves = (
            f"SELECT o.id, o.county_id AS oc, {_day('o.received_at', tz)} AS od, n.county_id AS nc, {_day('n.received_at', tz)} AS nd "
            f"FROM old_rows o JOIN new_rows n ON n.id = o.id "
            f"WHERE o.county_id <> n.county_id OR {_day('o.received_at', tz)} <> {_day('n.received_at', tz)}"
        )
    k_cols = clock_columns("k")
    t_cols = stay_columns("t")
    due_day = f"CASE WHEN {_running_due('k')} THEN {_day('k.due_at', tz)} END"
    clock_src = (
        f"SELECT -1 AS s, m.oc AS county_id, m.od AS day, k.stage, {due_day} AS due_day, "
        f"{', '.join(f'{e} AS {n}' for n, e in k_cols)} FROM moved m JOIN {CLOCK} k ON k.case_id = m.id "
        f"WHERE m.oc IS NOT NULL AND k.kind = 'stage' UNION ALL "
        f"SELECT 1 AS s, m.nc, m.nd, k.stage, {due_day}, "
        f"{', '.join(e for n, e in k_cols)} FROM moved m JOIN {CLOCK} k ON k.case_id = m.id "
        f"WHERE m.nc IS NOT NULL AND k.kind = 'stage'"
    )
    stay_src = (
        f"SELECT -1 AS s, m.oc AS county_id, m.od AS day, t.level, {', '.join(f'{e} AS {n}' for n, e in t_cols)} "
        f"FROM moved m JOIN {STAGE} t ON t.case_id = m.id WHERE m.oc IS NOT NULL UNION ALL "
        f"SELECT 1 AS s, m.nc, m.nd, t.level, {', '.join(e for n, e in t_cols)} "
        f"FROM moved m JOIN {STAGE} t ON t.case_id = m.id WHERE m.nc IS NOT NULL"
    )
    with_moved = f"WITH moved AS MATERIALIZED ({moves})"
    clock_sql = _append(
        "reports_clock_rollup", ["county_id", "day", "stage", "due_day"], [(n, n) for n, _ in k_cols], clock_src
    )
    stay_sql = _append("reports_stay_rollup", ["county_id", "day", "level"], [(n, n) for n, _ in t_cols], stay_src)
    move_sql = f"""PERFORM 1 FROM ({moves}) m LIMIT 1;
    IF FOUND THEN
      {with_moved} {clock_sql}
      {with_moved} {stay_sql}
      {with_moved} DELETE FROM reports_stay_fact f USING moved m WHERE f.case_id = m.id;
      {with_moved} INSERT INTO reports_stay_fact (stage_id, case_id, county_id, day, level, seconds)
        SELECT t.id, t.case_id, m.nc, m.nd, t.level, date_part('epoch', t.ended_at - t.started_at)
        FROM moved m JOIN {STAGE} t ON t.case_id = m.id WHERE m.nc IS NOT NULL AND t.ended_at IS NOT NULL;
    END IF;"""
    return f"{case_sql}\n    {key_sql}\n    {move_sql}"


def _clock_body(op: str, tz: str) -> str:
    k_cols = clock_columns("k")
    src = _signed(op, "SELECT {s} AS s, k.* FROM {rows} k")
    due_day = f"CASE WHEN {_running_due('k')} THEN {_day('k.due_at', tz)} END"
    source = (
        f"SELECT k.s, c.county_id, {_day('c.received_at', tz)} AS day, k.stage, {due_day} AS due_day, "
        f"{', '.join(f'{e} AS {n}' for n, e in k_cols)} FROM ({src}) k JOIN {CASE} c ON c.id = k.case_id WHERE k.kind = 'stage'"
    )
    return _append(
        "reports_clock_rollup", ["county_id", "day", "stage", "due_day"], [(n, n) for n, _ in k_cols], source
    )


def _stage_body(op: str, tz: str) -> str:
    t_cols = stay_columns("t")
    src = _signed(op, "SELECT {s} AS s, t.* FROM {rows} t")
    source = (
        f"SELECT t.s, c.county_id, {_day('c.received_at', tz)} AS day, t.level, "
        f"{', '.join(f'{e} AS {n}' for n, e in t_cols)} FROM ({src}) t JOIN {CASE} c ON c.id = t.case_id"
    )
    sql = _append("reports_stay_rollup", ["county_id", "day", "level"], [(n, n) for n, _ in t_cols], source)
    if op in ("UPDATE", "DELETE"):
        sql += "\n    DELETE FROM reports_stay_fact f USING old_rows o WHERE f.stage_id = o.id;"
    if op in ("INSERT", "UPDATE"):
        sql += (
            "\n    INSERT INTO reports_stay_fact (stage_id, case_id, county_id, day, level, seconds) "
            f"SELECT t.id, t.case_id, c.county_id, {_day('c.received_at', tz)}, t.level, date_part('epoch', t.ended_at - t.started_at) "
            f"FROM new_rows t JOIN {CASE} c ON c.id = t.case_id WHERE t.ended_at IS NOT NULL;"
        )
    return sql


def _tables_sql() -> str:
    case_cols = ", ".join(f"{n} bigint NOT NULL DEFAULT 0" for n, _ in case_columns())
    clock_cols = ", ".join(f"{n} integer NOT NULL DEFAULT 0" for n, _ in clock_columns())
    return f"""
CREATE TABLE reports_rollup_state (id integer PRIMARY KEY CHECK (id = 1), signature text NOT NULL, tz text NOT NULL, built_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE reports_case_rollup (county_id bigint NOT NULL, day date NOT NULL, {case_cols});
CREATE INDEX reports_case_rollup_key ON reports_case_rollup (county_id, day);
CREATE TABLE reports_key_rollup (county_id bigint NOT NULL, day date NOT NULL, dim smallint NOT NULL, key_id bigint NOT NULL, n integer NOT NULL DEFAULT 0);
CREATE INDEX reports_key_rollup_key ON reports_key_rollup (county_id, day);
CREATE TABLE reports_clock_rollup (county_id bigint NOT NULL, day date NOT NULL, stage varchar(20) NOT NULL, due_day date, {clock_cols});
CREATE INDEX reports_clock_rollup_key ON reports_clock_rollup (county_id, day);
CREATE TABLE reports_stay_rollup (county_id bigint NOT NULL, day date NOT NULL, level varchar(20) NOT NULL, finished integer NOT NULL DEFAULT 0, seconds numeric NOT NULL DEFAULT 0);
CREATE INDEX reports_stay_rollup_key ON reports_stay_rollup (county_id, day);
CREATE TABLE reports_stay_fact (stage_id bigint PRIMARY KEY, case_id bigint NOT NULL, county_id bigint NOT NULL, day date NOT NULL, level varchar(20) NOT NULL, seconds double precision NOT NULL);
CREATE INDEX reports_stay_fact_case ON reports_stay_fact (case_id);
CREATE INDEX reports_stay_fact_p90 ON reports_stay_fact (level, seconds) INCLUDE (county_id, day);
CREATE INDEX IF NOT EXISTS reports_clock_running_due ON {CLOCK} (due_at) INCLUDE (case_id, stage)
  WHERE stopped_at IS NULL AND paused_at IS NULL AND kind = 'stage';
"""


# The columns a row's part depends on: an UPDATE that changes none of them has no trigger call.
GUARDS = {
    CASE: [
        "status",
        "outcome",
        "level",
        "satisfaction",
        "replied_at IS NULL",
        "reopen_count",
        "systemic",
        "workers_involved",
        "channel_id",
        "category_id",
        "county_id",
        "received_at",
    ],
    CLOCK: [
        "case_id",
        "kind",
        "stage",
        "stopped_at IS NULL",
        "late",
        "paused_at IS NULL",
        "due_at",
        "extension_requested_at IS NULL",
        "extension_approved_at IS NULL",
    ],
    STAGE: ["case_id", "level", "started_at", "ended_at"],
}


def _guard(table: str) -> str:
    def row(rec: str) -> str:
        return ", ".join(f"{rec}.{c}" for c in GUARDS[table])

    return f"({row('OLD')}) IS DISTINCT FROM ({row('NEW')})"


def _functions_sql(tz: str) -> str:
    """INSERT and DELETE: statement triggers over transition tables (a bulk statement is one
    grouped delta). UPDATE: a row trigger, called only when the row's part can change (most
    updates, e.g. a version bump or the sweep's bookkeeping, cost nothing)."""
    out = []
    for table, body in ((CASE, _case_body), (CLOCK, _clock_body), (STAGE, _stage_body)):
        for op in ("INSERT", "UPDATE", "DELETE"):
            name = f"reports_rollup_{table}_{op.lower()}"
            sql = body(op, tz)
            if op == "UPDATE":
                sql = sql.replace("new_rows", "(SELECT NEW.*)").replace("old_rows", "(SELECT OLD.*)")
                when = f"FOR EACH ROW WHEN ({_guard(table)})"
            else:
                refs = "NEW TABLE AS new_rows" if op == "INSERT" else "OLD TABLE AS old_rows"
                when = f"REFERENCING {refs} FOR EACH STATEMENT"
            out.append(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $fn$\nBEGIN\n    {sql}\n    RETURN NULL;\nEND\n$fn$;\n"
                f"DROP TRIGGER IF EXISTS {name} ON {table};\n"
                f"CREATE TRIGGER {name} AFTER {op} ON {table} {when} EXECUTE FUNCTION {name}();\n"
            )
    # TRUNCATE fires no row or statement triggers of DELETE (Django's test flush truncates).
    for table, targets in (
        (CASE, "reports_case_rollup, reports_key_rollup, reports_clock_rollup, reports_stay_rollup, reports_stay_fact"),
        (CLOCK, "reports_clock_rollup"),
        (STAGE, "reports_stay_rollup, reports_stay_fact"),
    ):
        name = f"reports_rollup_{table}_truncate"
        out.append(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $fn$\nBEGIN\n"
            f"    TRUNCATE {targets};\n    RETURN NULL;\nEND\n$fn$;\n"
            f"DROP TRIGGER IF EXISTS {name} ON {table};\n"
            f"CREATE TRIGGER {name} AFTER TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {name}();\n"
        )
    return "\n".join(out)


def _signature() -> str:
    return hashlib.sha256((_tables_sql() + _functions_sql("TZ")).encode()).hexdigest()[:16]


SIGNATURE = _signature()


def drop_sql() -> str:
    out = []
    for table in (CASE, CLOCK, STAGE):
        for op in ("insert", "update", "delete", "truncate"):
            name = f"reports_rollup_{table}_{op}"
            out.append(f"DROP TRIGGER IF EXISTS {name} ON {table}; DROP FUNCTION IF EXISTS {name}();")
    out.append("DROP INDEX IF EXISTS reports_clock_running_due;")
    out.append("DROP FUNCTION IF EXISTS reports_rollup_compact();")
    out.append(
        "DROP TABLE IF EXISTS reports_rollup_state, reports_case_rollup, reports_key_rollup, reports_clock_rollup, reports_stay_rollup, reports_stay_fact;"
    )
    return "\n".join(out)


def backfill_sql(tz: str) -> str:
    """Fill the empty rollup from the rows there are (the upgrade of an existing database)."""
    r_cols = case_columns("r")
    k_cols = clock_columns("k")
    t_cols = stay_columns("t")
    due_day = f"CASE WHEN {_running_due('k')} THEN {_day('k.due_at', tz)} END"
    day = _day("r.received_at", tz)
    return f"""
CREATE TEMP TABLE reports_backfill_case ON COMMIT DROP AS SELECT id, county_id, {day} AS day FROM {CASE} r;
ALTER TABLE reports_backfill_case ADD PRIMARY KEY (id);
ANALYZE reports_backfill_case;
INSERT INTO reports_case_rollup (county_id, day, {", ".join(n for n, _ in r_cols)})
  SELECT r.county_id, {day}, {", ".join(f"sum({e})" for _, e in r_cols)} FROM {CASE} r GROUP BY 1, 2;
INSERT INTO reports_key_rollup (county_id, day, dim, key_id, n)
  SELECT r.county_id, {day}, {CHANNEL}, r.channel_id, count(*) FROM {CASE} r GROUP BY 1, 2, 4
  UNION ALL SELECT r.county_id, {day}, {CATEGORY}, r.category_id, count(*) FROM {CASE} r GROUP BY 1, 2, 4;
INSERT INTO reports_clock_rollup (county_id, day, stage, due_day, {", ".join(n for n, _ in k_cols)})
  SELECT c.county_id, c.day, k.stage, {due_day}, {", ".join(f"sum({e})" for _, e in k_cols)}
  FROM {CLOCK} k JOIN reports_backfill_case c ON c.id = k.case_id WHERE k.kind = 'stage' GROUP BY 1, 2, 3, 4;
INSERT INTO reports_stay_rollup (county_id, day, level, finished, seconds)
  SELECT c.county_id, c.day, t.level, {", ".join(f"sum({e})" for _, e in t_cols)}
  FROM {STAGE} t JOIN reports_backfill_case c ON c.id = t.case_id GROUP BY 1, 2, 3;
INSERT INTO reports_stay_fact (stage_id, case_id, county_id, day, level, seconds)
  SELECT t.id, t.case_id, c.county_id, c.day, t.level, date_part('epoch', t.ended_at - t.started_at)
  FROM {STAGE} t JOIN reports_backfill_case c ON c.id = t.case_id WHERE t.ended_at IS NOT NULL;
"""


def _compact_table(table: str, keys: list[str], cols: list[str]) -> str:
    match = ", ".join(f"coalesce({k}, '-infinity')" if k == "due_day" else k for k in keys)
    key_list = ", ".join(keys)
    return f"""
    WITH gone AS (
      DELETE FROM {table} WHERE ({match}) IN (SELECT {match} FROM {table} GROUP BY {key_list} HAVING count(*) > 1)
      RETURNING *)
    INSERT INTO {table} ({key_list}, {", ".join(cols)})
      SELECT {key_list}, {", ".join(cols)} FROM (SELECT {key_list}, {", ".join(f"sum({c}) AS {c}" for c in cols)} FROM gone GROUP BY {key_list}) a
      WHERE {" OR ".join(f"a.{c} <> 0" for c in cols)};"""


def compact_sql() -> str:
    parts = [
        _compact_table("reports_case_rollup", ["county_id", "day"], [n for n, _ in case_columns()]),
        _compact_table("reports_key_rollup", ["county_id", "day", "dim", "key_id"], ["n"]),
        _compact_table(
            "reports_clock_rollup", ["county_id", "day", "stage", "due_day"], [n for n, _ in clock_columns()]
        ),
        _compact_table("reports_stay_rollup", ["county_id", "day", "level"], ["finished", "seconds"]),
    ]
    return (
        "CREATE OR REPLACE FUNCTION reports_rollup_compact() RETURNS void LANGUAGE plpgsql AS $fn$\nBEGIN"
        + "".join(parts)
        + "\nEND\n$fn$;\n"
    )


def install(cursor, *, tz: str | None = None, backfill: bool = True) -> None:
    """Create tables, functions and triggers, fill from the existing rows. Writers wait
    (``SHARE ROW EXCLUSIVE``) until the transaction commits, so no change is missed or
    counted twice; readers do not wait."""
    tz = tz or settings.TIME_ZONE
    cursor.execute(f"LOCK TABLE {CASE}, {STAGE}, {CLOCK} IN SHARE ROW EXCLUSIVE MODE")
    cursor.execute(drop_sql())
    cursor.execute(_tables_sql())
    cursor.execute(compact_sql())
    cursor.execute(_functions_sql(tz))
    if backfill:
        cursor.execute(backfill_sql(tz))
        for table in (*TABLES, "reports_stay_fact"):
            cursor.execute(f"ANALYZE {table}")
    cursor.execute("INSERT INTO reports_rollup_state (id, signature, tz) VALUES (1, %s, %s)", [SIGNATURE, tz])


def compact(cursor) -> None:
    cursor.execute("SELECT reports_rollup_compact()")


# --- reading -----------------------------------------------------------------------------


def usable(cursor) -> bool:
    """Installed, with this code's definition and time zone."""
    cursor.execute("SELECT to_regclass('reports_rollup_state') IS NOT NULL")
    if not cursor.fetchone()[0]:
        return False
    cursor.execute("SELECT signature, tz FROM reports_rollup_state WHERE id = 1")
    row = cursor.fetchone()
    return row is not None and row[0] == SIGNATURE and row[1] == settings.TIME_ZONE


def _where(counties: list[int] | None) -> tuple[str, list]:
    if counties is None:
        return "day >= %s AND day <= %s", []
    return "county_id = ANY(%s) AND day >= %s AND day <= %s", [counties]


def case_figures(cursor, counties, date_from: dt.date, date_to: dt.date) -> dict:
    where, params = _where(counties)
    names = [n for n, _ in case_columns()]
    cursor.execute(
        f"SELECT {', '.join(f'sum({n})' for n in names)} FROM reports_case_rollup WHERE {where}",
        [*params, date_from, date_to],
    )
    row = cursor.fetchone()
    return {n: int(v or 0) for n, v in zip(names, row, strict=True)}


def key_counts(cursor, counties, date_from: dt.date, date_to: dt.date) -> tuple[dict, dict]:
    """{(code, name): count} by channel and by category."""
    where, params = _where(counties)
    out: tuple[dict, dict] = ({}, {})
    for i, (dim, table) in enumerate(((CHANNEL, "casework_channel"), (CATEGORY, "casework_category"))):
        cursor.execute(
            f"SELECT x.code, x.name, s.n FROM (SELECT key_id, sum(n) AS n FROM reports_key_rollup WHERE dim = {dim} AND {where} "
            f"GROUP BY key_id HAVING sum(n) <> 0) s JOIN {table} x ON x.id = s.key_id",
            [*params, date_from, date_to],
        )
        for code, name, n in cursor.fetchall():
            out[i][code, name] = out[i].get((code, name), 0) + int(n)
    return out


def clock_rows(
    cursor, counties, date_from: dt.date, date_to: dt.date, start: dt.datetime, end: dt.datetime, at: dt.datetime
) -> dict:
    """{stage: counters} as ``clock_figures``' query gives them, ``late`` including the clocks
    running past due at ``at``."""
    where, params = _where(counties)
    at_day = at.astimezone(_tz()).date()
    cursor.execute(
        "SELECT stage, sum(total), sum(on_time), sum(late_stopped), sum(running), "
        "coalesce(sum(running_due) FILTER (WHERE due_day < %s), 0), sum(ext_requested), sum(ext_approved) "
        f"FROM reports_clock_rollup WHERE {where} GROUP BY stage HAVING sum(total) <> 0",
        [at_day, *params, date_from, date_to],
    )
    rows = {}
    for stage, total, on_time, late, running, late_running, req, appr in cursor.fetchall():
        rows[stage] = {
            "stage": stage,
            "total": int(total),
            "on_time": int(on_time),
            "late": int(late) + int(late_running),
            "running": int(running),
            "extensions_requested": int(req),
            "extensions_approved": int(appr),
        }
    # Running clocks due on the report's own local day, up to its time: a live count.
    day_start = dt.datetime.combine(at_day, dt.time.min, tzinfo=_tz())
    county_filter = "" if counties is None else "AND c.county_id = ANY(%s)"
    cursor.execute(
        f"SELECT k.stage, count(*) FROM {CLOCK} k JOIN {CASE} c ON c.id = k.case_id "
        "WHERE k.kind = 'stage' AND k.stopped_at IS NULL AND k.paused_at IS NULL AND k.due_at >= %s AND k.due_at <= %s "
        f"AND c.received_at >= %s AND c.received_at < %s {county_filter} GROUP BY k.stage",
        [day_start, at, start, end, *params],
    )
    for stage, n in cursor.fetchall():
        rows[stage]["late"] += int(n)
    return rows


def _tz():
    from zoneinfo import ZoneInfo

    return ZoneInfo(settings.TIME_ZONE)


def stay_rows(cursor, counties, date_from: dt.date, date_to: dt.date, levels: list[str]) -> dict:
    """{level: (finished, total seconds as Decimal, p90 seconds)}: the 90th percentile exactly as
    ``percentile_cont(0.9)``, from the two values around its rank, read from the top of the
    (level, seconds) index — about a tenth of the level's stays."""
    where, params = _where(counties)
    cursor.execute(
        f"SELECT level, sum(finished), sum(seconds) FROM reports_stay_rollup WHERE {where} GROUP BY level HAVING sum(finished) <> 0",
        [*params, date_from, date_to],
    )
    out = {}
    for level, n, seconds in cursor.fetchall():
        n = int(n)
        if level not in levels:
            continue
        pos = 0.9 * (n - 1)
        lo, hi = math.floor(pos), math.ceil(pos)
        cursor.execute(
            f"SELECT seconds FROM reports_stay_fact WHERE level = %s AND {where} ORDER BY seconds DESC OFFSET %s LIMIT %s",
            [level, *params, date_from, date_to, n - 1 - hi, hi - lo + 1],
        )
        values = [v for (v,) in cursor.fetchall()]
        out[level] = (n, Decimal(seconds), lerp(values[-1], values[0], pos - lo))
    return out


def lerp(low: float, high: float, fraction: float) -> float:
    """PostgreSQL's ``percentile_cont`` interpolation, operation for operation."""
    if fraction == 0:
        return float(low)
    return float(low) + fraction * (float(high) - float(low))


def scheduled_compact() -> None:
    """Fold the rollup's deltas (scheduler, Celery): one short transaction; nothing on SQLite
    or before the migration. Safe beside writers and beside another compaction (a delta
    row is deleted, and so summed, by exactly one of them)."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT to_regprocedure('reports_rollup_compact()') IS NOT NULL")
        if cursor.fetchone()[0]:
            compact(cursor)
