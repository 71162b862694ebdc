#!/usr/bin/env bash
# Backup and restore drill (docs/operations.md "Backup and restore drill").
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework scripts/backup_drill.sh [FROM TO]
#
# 1. pg_dump -Fc of the live database (consistent snapshot, no downtime);
# 2. restore into a fresh database <name>_drill_<timestamp>;
# 3. manage.py verify_audit on the restored copy (same AUDIT_CHAIN_KEY / SECRET_KEY);
# 4. the 事事有结果 figures (outcome_report --format json, period FROM..TO, default this
#    year) from the live and the restored database must be identical;
# 5. drop the drill database (KEEP_DRILL_DB=1 keeps it). Exit status 0 only if all passed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to drill}"
FROM=${1:-$(date +%Y)-01-01}
TO=${2:-$(date +%Y-%m-%d)}
base=${DATABASE_URL%/*}
name=${DATABASE_URL##*/}
name=${name%%\?*}
drill="${name}_drill_$(date +%Y%m%d%H%M%S)"
work=$(mktemp -d)
cleanup() {
  if [ "${KEEP_DRILL_DB:-0}" != 1 ]; then dropdb --if-exists -d "$DATABASE_URL" "$drill" 2>/dev/null || psql "$base/postgres" -qc "DROP DATABASE IF EXISTS \"$drill\"" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "1/4 pg_dump $name"
pg_dump -Fc --no-owner -f "$work/backup.dump" "$DATABASE_URL"
ls -l "$work/backup.dump"
echo "2/4 restore into $drill"
psql "$base/postgres" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE \"$drill\""
pg_restore --no-owner --exit-on-error -d "$base/$drill" "$work/backup.dump"
echo "3/4 verify_audit on the restored copy"
DATABASE_URL="$base/$drill" "$PY" manage.py verify_audit
echo "4/4 report figures $FROM..$TO: live vs restored"
"$PY" manage.py outcome_report --from "$FROM" --to "$TO" --format json --output "$work/live.json"
DATABASE_URL="$base/$drill" "$PY" manage.py outcome_report --from "$FROM" --to "$TO" --format json --output "$work/restored.json"
# identical except the time each report was generated
if ! "$PY" - "$work/live.json" "$work/restored.json" <<'PYEOF'
import json, sys

def load(path):
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "generated_at"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    with open(path, encoding="utf-8") as f:
        return strip(json.load(f))

live, restored = load(sys.argv[1]), load(sys.argv[2])
sys.exit(0 if live == restored else 1)
PYEOF
then
  diff "$work/live.json" "$work/restored.json" | head -40
  echo "DRILL FAILED: report figures differ" >&2
  exit 1
fi
echo "DRILL PASSED: backup restored into $drill, audit chains intact, report figures identical"
