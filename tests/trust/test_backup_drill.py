"""``scripts/backup_drill.sh`` on a tiny seeded database: dump, restore into a fresh
database, ``verify_audit`` on the copy, report figures compared, copy dropped.

PostgreSQL only (the test database, committed: ``transaction=True``); skipped when the
PostgreSQL client tools are missing. A second run after a history row was changed by raw
SQL (triggers off, as a superuser could) must fail: the restored chain names the row.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from casework import services

from ..conftest import database_url

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("pg_dump", "pg_restore", "psql")

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]



def _drill() -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our script, fixed arguments
        [shutil.which("bash") or "/bin/bash", "scripts/backup_drill.sh"],
        cwd=ROOT,
        env=dict(os.environ, DATABASE_URL=database_url()),
        capture_output=True,
        text=True,
        timeout=300,
    )


def _drill_databases() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", [connection.settings_dict["NAME"] + "_drill_%"]
        )
        return [row[0] for row in cursor.fetchall()]


def test_backup_drill_passes_and_catches_a_tampered_history(users, make_case):
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"PostgreSQL client tools missing: {', '.join(missing)}")
    assert connection.settings_dict["NAME"].startswith("test_")
    cases = [make_case() for _ in range(3)]
    services.case_escalate(case=cases[0].number, actor=users["officer_enterprise"], reason="需工会协调")
    services.case_resolve(case=cases[1].number, actor=users["officer_enterprise"], outcome="resolved", result="已解决")

    passed = _drill()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "DRILL PASSED" in passed.stdout
    assert _drill_databases() == []  # the copy is dropped

    target = cases[2].history.order_by("history_id").first()
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(
                "UPDATE casework_historicalcase SET summary = %s WHERE history_id = %s", ["无问题", target.history_id]
            )
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")
    failed = _drill()
    assert failed.returncode != 0
    assert cases[2].number in failed.stdout + failed.stderr
    assert "DRILL PASSED" not in failed.stdout
    assert _drill_databases() == []
