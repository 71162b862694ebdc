"""The worker's lookup hashes (``Worker.phone_hash``, ``id_hash``: keyed hashes of the phone
and ID number, ``casework.models.worker.lookup_hash``) that the search box finds a worker by,
filled for the existing workers in batches; indexed after the fill, so a large table builds
each index once rather than updating it row by row. Also 案件流程, ``CaseProcess``'s name.

Backwards the columns go; the fill has nothing to undo.
"""

from django.db import migrations, models

from casework.models.worker import refill_lookup_hashes


def fill(apps, schema_editor):
    refill_lookup_hashes(apps.get_model("casework", "Worker"), batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("casework", "0024_bigram_function_cost")]

    operations = [
        migrations.AlterModelOptions(
            name="caseprocess",
            options={"verbose_name": "案件流程", "verbose_name_plural": "案件流程"},
        ),
        migrations.AddField(
            model_name="worker",
            name="phone_hash",
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name="联系电话查找码"),
        ),
        migrations.AddField(
            model_name="worker",
            name="id_hash",
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name="身份证号码查找码"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.AddIndex(model_name="worker", index=models.Index(fields=["phone_hash"], name="worker_phone_hash")),
        migrations.AddIndex(model_name="worker", index=models.Index(fields=["id_hash"], name="worker_id_hash")),
    ]
