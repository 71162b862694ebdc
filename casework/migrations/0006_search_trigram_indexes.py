"""Trigram (pg_trgm) GIN indexes for the case list's search box, on PostgreSQL only.

The search matches a part of the case number, the worker's name or the enterprise's name
(``icontains``); these indexes let each of the three branches use an index instead of a
sequential scan. They are not declared on the models: SQLite keeps plain ``icontains``.
"""

from django.db import migrations

INDEXES = [
    ("case_number_trgm", "casework_case", "number"),
    ("worker_name_trgm", "casework_worker", "name"),
    ("orgunit_name_trgm", "casework_orgunit", "name"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER({column}) gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("casework", "0005_dashboard_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
