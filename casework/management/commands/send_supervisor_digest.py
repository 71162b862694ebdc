"""``python manage.py send_supervisor_digest [--force]``: queue today's supervisor digests."""

from django.core.management.base import BaseCommand

from casework.digest import send_supervisor_digest


class Command(BaseCommand):
    help = "Queue the daily digest (new, warning, overdue, closed cases) for every supervisor."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="send even before CASEWORK_DIGEST_HOUR")

    def handle(self, *args, **options):
        count = send_supervisor_digest(force=options["force"])
        self.stdout.write(f"queued {count}")
