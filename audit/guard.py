"""Append-only audit tables on PostgreSQL: a trigger rejects UPDATE and DELETE.

Covers every simple_history table (so a history table another app adds later is covered
at its first ``migrate``), the chain links, the anchors and the personal-data access log. TRUNCATE is
not a row operation and stays possible for the database owner (tests flush with it);
disabling the trigger needs the table owner or a superuser, which is what
``verify_audit`` is there to catch.
"""

from __future__ import annotations

from django.apps import apps
from django.db import connections
from simple_history.models import HistoricalChanges

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit table % is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

EXTRA_TABLES = ("audit_auditlink", "audit_accessloglink", "audit_anchor", "reports_accesslog")


def audit_tables(connection=None) -> list[str]:
    connection = connection or connections["default"]
    tables = {m._meta.db_table for m in apps.get_models() if issubclass(m, HistoricalChanges)}
    existing = set(connection.introspection.table_names())
    return sorted((tables | set(EXTRA_TABLES)) & existing)


def install(connection, tables: list[str] | None = None) -> None:
    if connection.vendor != "postgresql":
        return
    tables = audit_tables(connection) if tables is None else tables
    with connection.cursor() as cursor:
        cursor.execute(FUNCTION_SQL)
        for table in tables:
            qn = connection.ops.quote_name(table)
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON {qn} "  # noqa: S608
                "FOR EACH ROW EXECUTE FUNCTION audit_append_only()"
            )


def ensure_append_only(sender, using="default", **kwargs) -> None:
    if sender.name != "audit":
        return
    connection = connections[using]
    if connection.vendor == "postgresql":
        install(connection)


def uninstall(connection) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in audit_tables(connection):
            cursor.execute(f"DROP TRIGGER IF EXISTS audit_append_only ON {connection.ops.quote_name(table)}")
        cursor.execute("DROP FUNCTION IF EXISTS audit_append_only()")
