#!/bin/sh
# The load test of docs/operations.md ("Load test"), in one command, from the repository root:
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_load deploy/loadtest.sh
#
# Starts gunicorn with the production settings on 127.0.0.1:$PORT, runs locust headless
# (deploy/locustfile.py) for $RUN_TIME with $USERS users, prints the table of the run
# (deploy/locust_table.py: as locust measured it, then the time gunicorn itself logged per
# request) and the CPU the web workers used, and stops gunicorn.
# Needs: the database migrated and seeded (manage.py seed_demo), Redis, and locust in
# $LOCUST (default /tmp/locust/bin/locust; see docs/operations.md for its install).
set -eu

: "${DATABASE_URL:?set DATABASE_URL to the load-test database}"
PORT=${PORT:-8010}
# 3 processes x 4 threads on 2 cores: with sync workers, a request waiting on PostgreSQL
# held up the ones queued behind it (locust's median 3x gunicorn's own on a loaded box).
WORKERS=${WORKERS:-3}
THREADS=${THREADS:-4}
USERS=${USERS:-50}
SPAWN_RATE=${SPAWN_RATE:-10}
RUN_TIME=${RUN_TIME:-2m}
OUT=${OUT:-/tmp/casework-loadtest}
LOCUST=${LOCUST:-/tmp/locust/bin/locust}
PYTHON=${PYTHON:-.venv/bin/python}
GUNICORN=${GUNICORN:-.venv/bin/gunicorn}

# Production settings: DEBUG off, Redis cache (throttles), persistent database connections,
# every security middleware on. Only what a laptop lacks is set here: a key, the host, and
# a Redis database of its own. The auth throttle (20 logins a minute per address) is raised
# because every simulated user logs in from 127.0.0.1 at test start.
export DJANGO_SETTINGS_MODULE=config.settings_production
export SECRET_KEY=${SECRET_KEY:-load-test-only-not-a-secret-0123456789abcdefghijklmnop}
export ALLOWED_HOSTS=127.0.0.1
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/11}
export API_THROTTLE_AUTH=${API_THROTTLE_AUTH:-100/min}
# The demo's supervisors have no authenticator: production asks them for a TOTP code
# (TOTP_REQUIRED_ROLES), which a simulated user cannot type. Off for the run only.
export TOTP_REQUIRED_ROLES=${TOTP_REQUIRED_ROLES-}

mkdir -p "$OUT"
: >"$OUT/access.log"  # gunicorn appends: the server-side table is this run's only
"$GUNICORN" config.wsgi --workers "$WORKERS" --threads "$THREADS" --bind "127.0.0.1:$PORT" --pid "$OUT/gunicorn.pid" \
    --access-logfile "$OUT/access.log" --access-logformat '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(D)s' \
    >"$OUT/gunicorn.log" 2>&1 &
trap 'kill "$(cat "$OUT/gunicorn.pid")"' EXIT
sleep 5

worker_cpu() {
    total=0
    for pid in $(pgrep -P "$(cat "$OUT/gunicorn.pid")"); do
        # utime + stime, in clock ticks (fields 14 and 15 of /proc/PID/stat)
        ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
        total=$((total + ticks))
    done
    echo "$total"
}

echo "gunicorn: $WORKERS workers x $THREADS threads; locust: $USERS users, $RUN_TIME"
echo "code: $(git log -1 --format='%h %s' | cut -c1-80); uncommitted: $(git status --short -uno | wc -l) files"
echo "start: $(date -u '+%Y-%m-%d %H:%M UTC'); $(uptime)"
before=$(worker_cpu)
status=0  # locust exits 1 when a request failed: print the tables all the same
"$LOCUST" -f deploy/locustfile.py --headless -u "$USERS" -r "$SPAWN_RATE" --run-time "$RUN_TIME" \
    --host "http://127.0.0.1:$PORT" --csv "$OUT/run" --only-summary || status=$?
after=$(worker_cpu)
echo "end: $(date -u '+%Y-%m-%d %H:%M UTC'); $(uptime)"
echo "web workers' CPU during the run (logins included): $(((after - before) / $(getconf CLK_TCK))) s"
"$PYTHON" deploy/locust_table.py "$OUT/run" "$OUT/access.log"
exit "$status"
