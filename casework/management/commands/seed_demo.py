"""``python manage.py seed_demo``: a demo province, made through the services."""

from django.core.management.base import BaseCommand

from casework.demo import seed_demo


class Command(BaseCommand):
    help = "Build the demo world (idempotent): units, staff and about 200 cases in every status."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=200)

    def handle(self, *args, **options):
        created = seed_demo(cases=options["cases"])
        if created:
            from escalation.demo import seed_holiday_demo  # the working-day clock of the demo (暂定期限)

            seed_holiday_demo()
            self.stdout.write(f"demo world created: {created} cases")
        else:
            self.stdout.write("demo world already present: nothing changed")
        from portal.demo import seed_portal_demo  # the worker portal's demo case and its query code

        self.stdout.write(seed_portal_demo())
