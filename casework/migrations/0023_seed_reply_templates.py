"""The 常用答复语 every installation starts with (``casework.reference.REPLY_TEMPLATES``)."""

from django.db import migrations


def seed(apps, schema_editor):
    from casework.reference import ensure_reply_templates

    ensure_reply_templates(apps.get_model("casework", "ReplyTemplate"), apps.get_model("casework", "Category"))


class Migration(migrations.Migration):
    dependencies = [("casework", "0022_reply_templates")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
