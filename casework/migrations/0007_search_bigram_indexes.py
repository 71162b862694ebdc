"""Bigram GIN indexes for two-character searches, on PostgreSQL only.

Trigram indexes (0006) cannot narrow a two-character term, and most Chinese names are two or
three characters. ``casework_bigrams(text)`` is the set of a text's upper-cased two-character
substrings; a two-character term occurs in a text exactly when it is one of them, so
``casework_bigrams(name) @> ARRAY[UPPER(term)]`` is the same test as ``icontains`` and can use
a GIN index. ``selectors.search_filter`` uses it for two-character terms.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION casework_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT substr(upper(t), i, 2)), '{}')
  FROM generate_series(1, greatest(char_length(t) - 1, 0)) AS i
$$
"""

INDEXES = [
    ("case_number_bigram", "casework_case", "number"),
    ("worker_name_bigram", "casework_worker", "name"),
    ("orgunit_name_bigram", "casework_orgunit", "name"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for name, table, column in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (casework_bigrams({column}))")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS casework_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [("casework", "0006_search_trigram_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
