# One worker record per case (0012 split the shared ones; a separate migration, since
# PostgreSQL cannot alter a table with row changes of the same transaction pending).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("casework", "0012_split_shared_workers")]

    operations = [
        migrations.AlterField(
            model_name="case",
            name="worker",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="case",
                to="casework.worker",
                verbose_name="职工",
            ),
        ),
    ]
