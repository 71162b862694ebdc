"""``python manage.py serve [ADDR:PORT]``: the one-machine server with the scheduler running."""

import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand

from config import scheduler


class Command(BaseCommand):
    help = "Serve the site on one machine, with the periodic jobs (deadline sweep, notifications) in-process."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, **options):
        stop = threading.Event()
        scheduler.start(stop)
        names = ", ".join(job.name for job in scheduler.jobs()) or "none"
        self.stdout.write(f"scheduler running: {names}")
        try:
            call_command("runserver", options["addrport"], use_reloader=False, insecure_serving=True)
        finally:
            stop.set()
