from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from reporting.deadlines import sweep


class Command(BaseCommand):
    help = "Warn and notify on due 定期上报 deadlines once (safe to run in parallel)."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="judge deadlines as at this ISO-8601 moment (default: now)")

    def handle(self, *args, **options):
        at = None
        if options["now"]:
            at = parse_datetime(options["now"])
            if at is None:
                raise CommandError(f"--now: not an ISO-8601 datetime: {options['now']!r}")
            if timezone.is_naive(at):
                at = timezone.make_aware(at)
        self.stdout.write(sweep(at).line())
