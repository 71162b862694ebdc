"""``python manage.py deliver_notifications``: drain the outbox once (what is due now)."""

from django.core.management.base import BaseCommand

from notifications.delivery import deliver_due


class Command(BaseCommand):
    help = "Deliver the queued notifications that are due (in-app, e-mail, SMS, webhooks), then exit."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=None, help="rows claimed per transaction")
        parser.add_argument("--max-batches", type=int, default=None, help="stop after this many batches")

    def handle(self, *args, **options):
        report = deliver_due(batch_size=options["batch_size"], max_batches=options["max_batches"])
        self.stdout.write(str(report))
