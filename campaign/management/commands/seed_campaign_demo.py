"""``python manage.py seed_campaign_demo``: the campaign demo, made through the services."""

from django.core.management.base import BaseCommand

from campaign.demo import seed_campaign_demo


class Command(BaseCommand):
    help = "Add a demo 双走双促 campaign in county A: cadres' days, logs, a report, contact points (idempotent)."

    def handle(self, *args, **options):
        if seed_campaign_demo():
            self.stdout.write("campaign demo created")
        else:
            self.stdout.write("campaign demo already present: nothing changed")
