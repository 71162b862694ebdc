"""``python manage.py seed_reception_demo``: the reception-day demo, made through the services."""

from django.core.management.base import BaseCommand

from reception.demo import seed_reception_demo


class Command(BaseCommand):
    help = "Add past and planned reception days in the demo counties (idempotent)."

    def handle(self, *args, **options):
        if seed_reception_demo():
            self.stdout.write("reception demo created")
        else:
            self.stdout.write("reception demo already present: nothing changed")
