"""``python manage.py rehash_workers [--batch-size N]``: recompute the workers' lookup hashes.

Run it after changing ``SEARCH_HASH_KEY`` (or ``SECRET_KEY`` while that is unset), and after
loading workers by raw SQL: until then the search box does not find a worker by a whole
phone or ID number whose hash was made under another key (or is missing).
"""

from django.core.management.base import BaseCommand

from casework.models.worker import refill_lookup_hashes


class Command(BaseCommand):
    help = "Recompute every worker's phone and ID number lookup hashes under the current SEARCH_HASH_KEY."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000, help="workers per transaction")

    def handle(self, *args, **options):
        changed = refill_lookup_hashes(batch_size=options["batch_size"])
        self.stdout.write(f"rehashed {changed}")
