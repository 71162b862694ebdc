from django.db import migrations


def seed(apps, schema_editor):
    from casework.reference import ensure_reference_data

    ensure_reference_data(apps.get_model("casework", "Category"), apps.get_model("casework", "Channel"))


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
