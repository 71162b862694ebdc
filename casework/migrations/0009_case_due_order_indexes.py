"""Indexes in the case lists' due-date orders, so a page is read off an index (PostgreSQL only).

``casework_case_due_at`` (ascending, nulls last) serves "due date, earliest first". The
other two orders had no index and sorted every visible case, a cost that grows with the table:

* the pages' "latest first" — ``due_at DESC NULLS LAST, id`` (``views.lists._sorted``);
* the API's ``ordering=-due_at`` — ``due_at DESC, received_at DESC, id DESC`` (PostgreSQL puts
  nulls first in a descending order), read backwards along ``(due_at, received_at, id)``.

Not declared on the model, like 0006/0007: SQLite's small databases sort quickly enough.
"""

from django.db import migrations

INDEXES = [
    ("case_due_desc", "casework_case (due_at DESC NULLS LAST, id)"),
    ("case_due_received", "casework_case (due_at, received_at, id)"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _definition in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("casework", "0008_casestage_no_due_copy")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
