#!/usr/bin/env bash
# Runs the suite on SQLite, then on PostgreSQL when it can be reached.
# CASEWORK_REQUIRE_POSTGRES=1 (set by .ci/run) turns "PostgreSQL unreachable" into a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL="${CASEWORK_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/casework}"

echo "== tests on SQLite =="
env -u DATABASE_URL $PY -m pytest -q -rs "$@"

if $PY scripts/pg_ready.py "$PG_URL"; then
  echo "== tests on PostgreSQL ($PG_URL) =="
  DATABASE_URL="$PG_URL" $PY -m pytest -q -rs "$@"
else
  if [ "${CASEWORK_REQUIRE_POSTGRES:-0}" = "1" ]; then
    echo "PostgreSQL is required (CASEWORK_REQUIRE_POSTGRES=1) but cannot be reached at $PG_URL" >&2
    exit 1
  fi
  echo "PostgreSQL not reachable at $PG_URL: the PostgreSQL-only tests were skipped (ran on SQLite only)."
fi
