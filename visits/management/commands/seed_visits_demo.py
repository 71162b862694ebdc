"""``python manage.py seed_visits_demo``: the visits demo, made through the services."""

from django.core.management.base import BaseCommand

from visits.demo import seed_visits_demo


class Command(BaseCommand):
    help = "Add a demo work group with targets, visits and interviews in county A (idempotent)."

    def handle(self, *args, **options):
        if seed_visits_demo():
            self.stdout.write("visits demo created")
        else:
            self.stdout.write("visits demo already present: nothing changed")
