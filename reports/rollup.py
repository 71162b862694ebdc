# ruff: noqa: E501, S608  (SQL text; every interpolated name is a constant of this module)
"""The report's rollup on PostgreSQL: summary rows kept true by triggers, in the writers' transaction.

Why: the period report over a province's year (10⁶ cases) read 0.8–2 million rows three times,
so its time grew with the table. The same figures as sums over a few thousand summary rows do
not (figures in docs/performance.md).

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


def _vec(cols: list[tuple[str, str]], sign: str = "") -> str:
    return ", ".join(f"{sign}({e})" for _, e in cols)


def _diff(cols_new: list[tuple[str, str]], cols_old: list[tuple[str, str]]) -> list[str]:
    return [f"({n}) - ({o})" for (_, n), (_, o) in zip(cols_new, cols_old, strict=True)]


def _insert_change(table: str, keys: list[str], names: list[str], new_key: str, old_key: str, new_vec, old_vec) -> str:
    """A row's change as deltas: one row of differences when the key stays (nothing when they
    are all zero), else minus the old part at the old key and plus the new at the new key."""
    diffs = _diff(new_vec, old_vec)
    cols = ", ".join(names)
    return f"""IF ({new_key}) IS NOT DISTINCT FROM ({old_key}) THEN
      INSERT INTO {table} ({", ".join(keys)}, {cols}) SELECT {new_key}, {", ".join(diffs)}
        WHERE {" OR ".join(f"({d}) <> 0" for d in diffs)};
    ELSE
      INSERT INTO {table} ({", ".join(keys)}, {cols}) VALUES ({old_key}, {_vec(old_vec, "-")}), ({new_key}, {_vec(new_vec)});
    END IF;"""


def _names(cols) -> list[str]:
    return [n for n, _ in cols]


def _move_function(tz: str) -> str:
    """``reports_rollup_move_case(id, old county, old day, new county, new day)``: a case's
    clocks' and stays' parts leave the old key (if any) for the new one (if any). Called when
    a case with clocks or stays is inserted, deleted, moved to another county or re-dated."""
    k_cols = clock_columns("k")
    t_cols = stay_columns("t")
    due_day = f"CASE WHEN {_running_due('k')} THEN {_day('k.due_at', tz)} END"
    return f"""CREATE OR REPLACE FUNCTION reports_rollup_move_case(cid bigint, oc bigint, od date, nc bigint, nd date)
RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  IF oc IS NOT NULL THEN
    INSERT INTO reports_clock_rollup (county_id, day, stage, due_day, {", ".join(_names(k_cols))})
      SELECT oc, od, k.stage, {due_day}, {_vec(k_cols, "-")} FROM {CLOCK} k WHERE k.case_id = cid AND k.kind = 'stage';
    INSERT INTO reports_stay_rollup (county_id, day, level, finished, seconds)
      SELECT oc, od, t.level, {_vec(t_cols, "-")} FROM {STAGE} t WHERE t.case_id = cid AND t.ended_at IS NOT NULL;
    DELETE FROM reports_stay_fact WHERE case_id = cid;
  END IF;
  IF nc IS NOT NULL THEN
    INSERT INTO reports_clock_rollup (county_id, day, stage, due_day, {", ".join(_names(k_cols))})
      SELECT nc, nd, k.stage, {due_day}, {_vec(k_cols)} FROM {CLOCK} k WHERE k.case_id = cid AND k.kind = 'stage';
    INSERT INTO reports_stay_rollup (county_id, day, level, finished, seconds)
      SELECT nc, nd, t.level, {_vec(t_cols)} FROM {STAGE} t WHERE t.case_id = cid AND t.ended_at IS NOT NULL;
    INSERT INTO reports_stay_fact (stage_id, case_id, county_id, day, level, seconds)
      SELECT t.id, cid, nc, nd, t.level, date_part('epoch', t.ended_at - t.started_at)
      FROM {STAGE} t WHERE t.case_id = cid AND t.ended_at IS NOT NULL;
  END IF;
END
$fn$;
"""


def _has_parts(rec: str) -> str:
    return f"EXISTS (SELECT 1 FROM {CLOCK} WHERE case_id = {rec}.id) OR EXISTS (SELECT 1 FROM {STAGE} WHERE case_id = {rec}.id)"


def _case_row(op: str, tz: str) -> str:
    names = _names(case_columns())
    new, old = case_columns("NEW"), case_columns("OLD")
    table = f"reports_case_rollup (county_id, day, {', '.join(names)})"
    keys = "reports_key_rollup (county_id, day, dim, key_id, n)"
    if op == "INSERT":
        return f"""nd := {_day("NEW.received_at", tz)};
    INSERT INTO {table} VALUES (NEW.county_id, nd, {_vec(new)});
    INSERT INTO {keys} VALUES (NEW.county_id, nd, {CHANNEL}, NEW.channel_id, 1), (NEW.county_id, nd, {CATEGORY}, NEW.category_id, 1);
    IF {_has_parts("NEW")} THEN PERFORM reports_rollup_move_case(NEW.id, NULL, NULL, NEW.county_id, nd); END IF;"""
    if op == "DELETE":
        return f"""od := {_day("OLD.received_at", tz)};
    INSERT INTO {table} VALUES (OLD.county_id, od, {_vec(old, "-")});
    INSERT INTO {keys} VALUES (OLD.county_id, od, {CHANNEL}, OLD.channel_id, -1), (OLD.county_id, od, {CATEGORY}, OLD.category_id, -1);
    IF {_has_parts("OLD")} THEN PERFORM reports_rollup_move_case(OLD.id, OLD.county_id, od, NULL, NULL); END IF;"""
    change = _insert_change(
        "reports_case_rollup", ["county_id", "day"], names, "NEW.county_id, nd", "OLD.county_id, od", new, old
    )
    return f"""nd := {_day("NEW.received_at", tz)};
    od := {_day("OLD.received_at", tz)};
    {change}
    IF (NEW.county_id, nd, NEW.channel_id) IS DISTINCT FROM (OLD.county_id, od, OLD.channel_id) THEN
      INSERT INTO {keys} VALUES (OLD.county_id, od, {CHANNEL}, OLD.channel_id, -1), (NEW.county_id, nd, {CHANNEL}, NEW.channel_id, 1);
    END IF;
    IF (NEW.county_id, nd, NEW.category_id) IS DISTINCT FROM (OLD.county_id, od, OLD.category_id) THEN
      INSERT INTO {keys} VALUES (OLD.county_id, od, {CATEGORY}, OLD.category_id, -1), (NEW.county_id, nd, {CATEGORY}, NEW.category_id, 1);
    END IF;
    IF (NEW.county_id, nd) IS DISTINCT FROM (OLD.county_id, od) THEN
      PERFORM reports_rollup_move_case(NEW.id, OLD.county_id, od, NEW.county_id, nd);
    END IF;"""


def _lookup(rec: str, var: str, tz: str) -> str:
    """The case's county and day into ``{var}c`` / ``{var}d`` (NULL when the case is gone)."""
    return (
        f"{var}c := NULL; {var}d := NULL;\n    "
        f"SELECT c.county_id, {_day('c.received_at', tz)} INTO {var}c, {var}d FROM {CASE} c WHERE c.id = {rec}.case_id;"
    )


def _clock_row(op: str, tz: str) -> str:
    names = _names(clock_columns())
    keys = ["county_id", "day", "stage", "due_day"]

    def due(rec: str) -> str:
        return f"CASE WHEN {_running_due(rec)} THEN {_day(f'{rec}.due_at', tz)} END"

    def part(rec: str, var: str, sign: str) -> str:
        return (
            f"IF {var}c IS NOT NULL AND {rec}.kind = 'stage' THEN\n"
            f"      INSERT INTO reports_clock_rollup ({', '.join(keys)}, {', '.join(names)}) "
            f"VALUES ({var}c, {var}d, {rec}.stage, {due(rec)}, {_vec(clock_columns(rec), sign)});\n    END IF;"
        )

    if op == "INSERT":
        return f"{_lookup('NEW', 'n', tz)}\n    {part('NEW', 'n', '')}"
    if op == "DELETE":
        return f"{_lookup('OLD', 'o', tz)}\n    {part('OLD', 'o', '-')}"
    same = _insert_change(
        "reports_clock_rollup",
        keys,
        names,
        f"nc, nd, NEW.stage, {due('NEW')}",
        f"nc, nd, OLD.stage, {due('OLD')}",
        clock_columns("NEW"),
        clock_columns("OLD"),
    )
    return f"""{_lookup("NEW", "n", tz)}
    IF NEW.case_id = OLD.case_id AND NEW.kind = 'stage' AND OLD.kind = 'stage' THEN
      IF nc IS NOT NULL THEN
        {same}
      END IF;
    ELSE
      {_lookup("OLD", "o", tz)}
      {part("OLD", "o", "-")}
      {part("NEW", "n", "")}
    END IF;"""


def _stage_row(op: str, tz: str) -> str:
    t_names = _names(stay_columns())
    head = f"INSERT INTO reports_stay_rollup (county_id, day, level, {', '.join(t_names)})"

    def part(rec: str, var: str, sign: str) -> str:
        return (
            f"IF {var}c IS NOT NULL AND {rec}.ended_at IS NOT NULL THEN\n"
            f"      {head} VALUES ({var}c, {var}d, {rec}.level, {_vec(stay_columns(rec), sign)});\n"
            + (
                f"      INSERT INTO reports_stay_fact (stage_id, case_id, county_id, day, level, seconds) VALUES "
                f"({rec}.id, {rec}.case_id, {var}c, {var}d, {rec}.level, date_part('epoch', {rec}.ended_at - {rec}.started_at));\n"
                if sign == ""
                else f"      DELETE FROM reports_stay_fact WHERE stage_id = {rec}.id;\n"
            )
            + "    END IF;"
        )

    if op == "INSERT":
        return f"{_lookup('NEW', 'n', tz)}\n    {part('NEW', 'n', '')}"
    if op == "DELETE":
        return f"{_lookup('OLD', 'o', tz)}\n    {part('OLD', 'o', '-')}"
    return f"""{_lookup("OLD", "o", tz)}
    {part("OLD", "o", "-")}
    {_lookup("NEW", "n", tz)}
    {part("NEW", "n", "")}"""


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
    """Row triggers made of plain ``INSERT … VALUES`` of the row's signed part: cheap to plan in
    a new connection (set-based statements over transition tables are planned again per
    statement in each new session, a cost the write path cannot afford). An UPDATE calls its
    trigger only when a column the figures read changes (``GUARDS``)."""
    out = [_move_function(tz)]
    declare = "DECLARE nc bigint; nd date; oc bigint; od date;"
    for table, body in ((CASE, _case_row), (CLOCK, _clock_row), (STAGE, _stage_row)):
        for op in ("INSERT", "UPDATE", "DELETE"):
            name = f"reports_rollup_{table}_{op.lower()}"
            when = f" WHEN ({_guard(table)})" if op == "UPDATE" else ""
            out.append(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $fn$\n{declare}\nBEGIN\n"
                f"    {body(op, tz)}\n    RETURN NULL;\nEND\n$fn$;\n"
                f"DROP TRIGGER IF EXISTS {name} ON {table};\n"
                f"CREATE TRIGGER {name} AFTER {op} ON {table} FOR EACH ROW{when} EXECUTE FUNCTION {name}();\n"
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
    out.append("DROP FUNCTION IF EXISTS reports_rollup_move_case(bigint, bigint, date, bigint, date);")
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
