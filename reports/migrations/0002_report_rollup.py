"""The period report's rollup on PostgreSQL: summary tables, their triggers, and a backfill
from the existing cases, stays and clocks (``reports/rollup.py`` says what and why).

PostgreSQL only; on SQLite this migration does nothing and the report computes directly.
Writers to the case, stage and clock tables wait while it runs (about a minute per 10⁶ cases).
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from reports import rollup

    with schema_editor.connection.cursor() as cursor:
        rollup.install(cursor)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from reports import rollup

    with schema_editor.connection.cursor() as cursor:
        cursor.execute(rollup.drop_sql())


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("casework", "0008_casestage_no_due_copy"),
        ("escalation", "0002_default_policies"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
