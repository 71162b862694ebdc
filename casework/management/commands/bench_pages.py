"""Measure the server time of the staff pages with many cases (run by hand, not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench \\
        python manage.py migrate && python manage.py seed_demo && \\
        python manage.py bench_pages --cases 1000000

Cases are added by ``benchmark``'s generator (``casework.management.bench_data``): copies of
a case registered through the service, each with its worker, stage, two history rows, open
clock and workflow process and tasks, spread over the enterprises' unions, statuses (~10 %
open) and the last two years. Each page is requested ``--runs`` times through Django's test
client with a logged-in user; the median and the slowest are printed, with the number of
queries.
"""

from __future__ import annotations

import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.management.bench_data import PREFIX, generate_cases
from casework.models import Case
from casework.models.case import Status


class Command(BaseCommand):
    help = "Generate cases and measure the server time of the staff pages."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=100_000, help="total cases wanted in the database")
        parser.add_argument("--runs", type=int, default=7)

    def handle(self, *args, cases: int, runs: int, **options):
        have = Case.objects.count()
        if have < cases:
            started = time.monotonic()
            self._generate(cases - have)
            self.stdout.write(f"generated {cases - have} cases in {time.monotonic() - started:.0f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self._measure(runs)

    def _generate(self, n: int) -> None:
        """``n`` more generated cases (``casework.management.bench_data``, as ``benchmark``)."""
        wanted = Case.objects.filter(number__startswith=PREFIX).count() + n
        generate_cases(
            wanted,
            actor=get_user_model().objects.get(username="desk"),
            # Two processes on PostgreSQL; SQLite takes one writer at a time.
            processes=2 if connection.vendor == "postgresql" else 1,
            progress=lambda done: self.stdout.write(f"  {done} / {n}"),
        )

    def _measure(self, runs: int) -> None:
        User = get_user_model()
        sample = Case.objects.filter(owner__username="desk", status=Status.ENTERPRISE).order_by("-received_at").first()
        pages = [
            ("desk", "inbox", reverse("casework:inbox"), {}),
            ("officer_enterprise", "queue", reverse("casework:queue"), {}),
            ("desk", "archive", reverse("casework:archive"), {}),
            ("supervisor", "case list", reverse("casework:list"), {}),
            ("supervisor", "case list by due date", reverse("casework:list"), {"sort": "due"}),
            ("supervisor", "case list filtered", reverse("casework:list"), {"status": "union", "category": "wages"}),
            ("supervisor", "case list overdue", reverse("casework:list"), {"overdue": "1", "sort": "due"}),
            ("supervisor", "case list search", reverse("casework:list"), {"q": "职工12345"}),
            ("desk", "case page", reverse("casework:detail", args=[sample.number]), {}),
            ("desk", "intake desk", reverse("casework:register"), {}),
            ("desk", "duplicate check", reverse("casework:duplicate_check"), {"phone": "13900012345"}),
            ("desk", "receipt", reverse("casework:receipt", args=[sample.number]), {}),
        ]
        self.stdout.write(
            f"{Case.objects.count()} cases, {connection.vendor}; {runs} runs per page (median / max, ms; queries)"
        )
        clients: dict[str, Client] = {}
        for username, label, url, params in pages:
            client = clients.get(username)
            if client is None:
                client = clients[username] = Client()
                client.force_login(User.objects.get(username=username))
            client.get(url, params)  # warm up
            times = []
            for _ in range(runs):
                reset_queries()
                with CaptureQueriesContext(connection) as ctx:
                    t0 = time.perf_counter()
                    response = client.get(url, params)
                    times.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200, (label, response.status_code)
            self.stdout.write(
                f"{label:24} {statistics.median(times):7.1f} {max(times):7.1f}   {len(ctx.captured_queries)} queries"
            )
