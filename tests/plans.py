"""PostgreSQL plans in tests: whether a query can read an index at all."""

from __future__ import annotations


def index_plan(sql: str, params) -> str:
    """``EXPLAIN`` of ``sql`` with sequential scans priced out. A test table of a few rows is
    read fastest by a sequential scan; the question is whether the condition can use the
    index (a partial index only when the query implies its condition)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())
