"""PostgreSQL restarted mid-load: requests fail cleanly (503 + reference id, retry-able) and
the app recovers without a restart.

Never touches the shared server on 5432: a throwaway cluster (initdb into a temporary
directory, owned by the postgres user) on a free port, and the app as a ``runserver``
process against it. Skips when initdb or the postgres user is missing.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INITDB = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(*cmd, check=True):
    runuser = shutil.which("runuser")
    return subprocess.run([runuser, "-u", "postgres", "--", *cmd], check=check, capture_output=True, text=True)  # noqa: S603


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:  # noqa: S310 - local test server
            return r.status, r.read().decode(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), dict(e.headers)


@pytest.fixture
def cluster():
    if not INITDB or shutil.which("runuser") is None or os.geteuid() != 0:
        pytest.skip("needs root, runuser and PostgreSQL's initdb (/usr/lib/postgresql/*/bin/initdb)")
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("no postgres system user")
    bindir = Path(INITDB[-1]).parent
    # /tmp itself, not pytest's root-only tmp tree: the postgres user must reach it
    base = Path(tempfile.mkdtemp(prefix="casework-pgcluster-"))
    data = base / "data"
    shutil.chown(base, "postgres")
    port = _free_port()
    _as_postgres(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync")
    pg_ctl = [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w"]
    opts = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
    _as_postgres(*pg_ctl, "-o", opts, "start")
    try:
        yield {
            "url": f"postgres://postgres@127.0.0.1:{port}/postgres",
            "stop": lambda: _as_postgres(*pg_ctl, "-m", "fast", "stop"),
            "start": lambda: _as_postgres(*pg_ctl, "-o", opts, "start"),
        }
    finally:
        _as_postgres(*pg_ctl, "-m", "immediate", "stop", check=False)
        shutil.rmtree(base, ignore_errors=True)


def test_requests_fail_cleanly_and_recover_after_a_database_restart(cluster):
    env = {**os.environ, "DATABASE_URL": cluster["url"], "DEBUG": "False", "DJANGO_SETTINGS_MODULE": "config.settings"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(os.environ.get("TRUST_SERVER_LOG", os.devnull), "w"),  # noqa: SIM115
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):  # wait until it listens (bounded)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        pages = ["/reports/public/", "/api/v1/schema/"]
        before = [_get(base + p)[0] for p in pages * 3]
        assert set(before) == {200}

        cluster["stop"]()
        for path in ["/reports/public/", "/api/v1/categories/"] * 3:
            status, body, headers = _get(base + path)
            if path.startswith("/api/") and status in (401, 403):
                continue  # refused before the database is asked: fine
            assert status == 503, (path, status, body[:300])
            assert "Traceback" not in body and "psycopg" not in body
            reference = headers.get("X-Error-Reference")
            assert reference and reference in body
            assert headers.get("Retry-After")

        cluster["start"]()
        after = [_get(base + p)[0] for p in pages * 3]
        assert set(after) == {200}, after  # the same process, no restart
    finally:
        server.terminate()
        server.wait(timeout=20)
