"""The outbox keeps an index only for a query that reads it (each is paid on every queued
row): no index of its own on the user or the event; the claim token and the endpoint
indexed only where set; SMS rows by time for the demo's SMS log."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0002_field_labels'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='notification',
            name='notif_claim',
        ),
        migrations.AlterField(
            model_name='notification',
            name='endpoint',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, to='notifications.webhookendpoint', verbose_name='Webhook 接收端'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='event',
            field=models.CharField(max_length=50, verbose_name='事件'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='user',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='用户'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(condition=models.Q(('claim_token', ''), _negated=True), fields=['claim_token'], name='notif_claim'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(condition=models.Q(('endpoint__isnull', False)), fields=['endpoint'], name='notif_endpoint'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(condition=models.Q(('channel', 'sms')), fields=['-created_at'], name='notif_sms_recent'),
        ),
    ]
