"""``python manage.py seed_reception_demo``: the reception-day demo, made through the services."""

from django.core.management.base import BaseCommand

from reception.demo import seed_reception_demo


class Command(BaseCommand):
    help = "Add reception days, an unanswered voice and the period reports of the demo (idempotent)."

    def handle(self, *args, **options):
        from reporting.demo import seed_reporting_demo

        if seed_reception_demo():
            self.stdout.write("reception demo created")
        else:
            self.stdout.write("reception demo already present: nothing changed")
        if seed_reporting_demo():
            self.stdout.write("reporting demo created (one report submitted, one period late)")
