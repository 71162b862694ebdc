"""Seed the default time limits (escalation/defaults.py)."""

from django.db import migrations


def seed(apps, schema_editor):
    from escalation.defaults import ensure_default_policies

    ensure_default_policies(
        apps.get_model("escalation", "TimePolicy"), apps.get_model("escalation", "HistoricalTimePolicy")
    )


class Migration(migrations.Migration):
    dependencies = [("escalation", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
