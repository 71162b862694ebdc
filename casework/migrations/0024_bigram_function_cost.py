"""The planner's price of ``casework_bigrams`` (0007), on PostgreSQL only.

PostgreSQL prices a SQL function it cannot inline at ``COST 100`` (a quarter of a page read).
Building a complaint's bigram array costs far more, so with that price the planner read a
county's few thousand cases by a sequential scan, computing every row's bigrams, instead of
asking the GIN index, many times cheaper. ``COST 1000`` is the measured price (figures in
docs/performance.md). ``PARALLEL RESTRICTED`` keeps the broad search's probe (a scan that stops at 2,000
matches) in one process: with the higher price the planner started parallel workers for it,
whose start-up cost more than the scan.
"""

from django.db import migrations


def priced(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER FUNCTION casework_bigrams(text) COST 1000 PARALLEL RESTRICTED")


def default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER FUNCTION casework_bigrams(text) COST 100 PARALLEL SAFE")


class Migration(migrations.Migration):
    dependencies = [("casework", "0023_seed_reply_templates")]

    operations = [migrations.RunPython(priced, default, elidable=False)]
