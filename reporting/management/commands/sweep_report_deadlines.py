from django.core.management.base import BaseCommand, CommandError

from casework.clock import parse_moment
from reporting.deadlines import sweep


class Command(BaseCommand):
    help = "Warn and notify on due 定期上报 deadlines once (safe to run in parallel)."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="judge deadlines as at this ISO-8601 moment (default: now)")

    def handle(self, *args, **options):
        try:
            at = parse_moment(options["now"]) if options["now"] else None
        except ValueError as exc:
            raise CommandError(f"--now: {exc}") from None
        self.stdout.write(sweep(at).line())
