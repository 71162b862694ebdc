"""Trigram and bigram GIN indexes on the complaint's text, on PostgreSQL only.

The search box also finds a case by its complaint (反映问题 ``summary`` and 职工诉求
``request``). Both are indexed as one expression, ``summary || ' ' || request`` (the
text ``selectors.CASE_TEXT`` names): one index of each kind instead of two, and the search
reads one. Three or more characters use the trigram index (``LIKE``, as in 0006); two
characters the bigram index (``casework_bigrams``, 0007). SQLite keeps ``icontains``.
"""

from django.db import migrations

TEXT = "(summary || ' ' || request)"
INDEXES = [
    ("case_text_trgm", f"gin (UPPER{TEXT} gin_trgm_ops)"),
    ("case_text_bigram", f"gin (casework_bigrams{TEXT})"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, using in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON casework_case USING {using}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _using in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("casework", "0020_case_updated_at_follows_clock")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
