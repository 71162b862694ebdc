"""Measure the server time of the staff pages with many cases (run by hand, not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench \\
        python manage.py migrate && python manage.py seed_demo && \\
        python manage.py bench_pages --cases 1000000

Cases are added with bulk inserts (no history rows, no workflow tasks: the task lists are
measured with the demo's tasks among the many cases), spread over the demo's enterprises,
categories, channels, statuses and the last two years. Each page is requested ``--runs``
times through Django's test client with a logged-in user; the median and the slowest are
printed, with the number of queries.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.clock import now
from casework.models import Case, CaseStage, Category, Channel, OrgUnit, Worker
from casework.models.case import Level, Status
from casework.models.org import UnitKind

BATCH = 5000
STATUSES = [Status.ENTERPRISE, Status.UNION, Status.GOVERNMENT, Status.ANSWERED, Status.CLOSED, Status.CLOSED]


class Command(BaseCommand):
    help = "Bulk-insert cases and measure the server time of the staff pages."

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
        rng = random.Random(20261122)  # noqa: S311 - test data
        enterprises = list(OrgUnit.objects.filter(kind=UnitKind.ENTERPRISE))
        handling = {e.pk: e.enterprise_union() for e in enterprises}
        county = {e.pk: e.county for e in enterprises}
        categories = list(Category.objects.all())
        channels = list(Channel.objects.all())
        owner = get_user_model().objects.get(username="desk")
        receiving = owner.staff.unit
        at = now()
        prefix = f"BENCH-{int(time.time())}"
        done = 0
        while done < n:
            size = min(BATCH, n - done)
            workers = Worker.objects.bulk_create(
                [Worker(name=f"职工{done + i}", phone=f"139{(done + i) % 100_000_000:08d}") for i in range(size)]
            )
            rows = []
            for i, worker in enumerate(workers):
                e = rng.choice(enterprises)
                status = rng.choice(STATUSES)
                received = at - dt.timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60))
                level = status if status in Level.values else Level.ENTERPRISE
                open_ = status in Level.values
                rows.append(
                    Case(
                        number=f"{prefix}-{done + i:07d}",
                        status=status,
                        level=level,
                        handling_unit=handling[e.pk],
                        receiving_unit=receiving,
                        enterprise=e,
                        county=county[e.pk],
                        worker=worker,
                        category=rng.choice(categories),
                        channel=rng.choice(channels),
                        summary="批量生成的测试案件。",
                        request="测试。",
                        consent=True,
                        owner=owner,
                        received_at=received,
                        due_at=received + dt.timedelta(days=15) if open_ else None,
                        warn_at=received + dt.timedelta(days=10) if open_ else None,
                    )
                )
            created = Case.objects.bulk_create(rows)
            CaseStage.objects.bulk_create(
                [
                    CaseStage(case=c, level=Level.ENTERPRISE, unit=c.handling_unit, started_at=c.received_at)
                    for c in created
                ]
            )
            done += size
            if done % 100_000 < BATCH:
                self.stdout.write(f"  {done} / {n}")

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
