"""``python manage.py benchmark --cases N [--json PATH]``: a province at scale, measured.

Run by hand on PostgreSQL, in a database whose name contains ``bench`` (never in
``make test``)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench8 python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench8 python manage.py benchmark --cases 1000000

Generation: the demo world plus hundreds of enterprises (with their unions) and thousands
of officers (bulk inserts), then ``casework.management.bench_data.generate_cases``: copies
of a case registered through the service — workers, cases spread over two years (~10 %
open), stages, two history rows each (simple_history's ``bulk_history_create``, with their
audit links), open clocks, viewflow's process and tasks — written through the ORM's and the
libraries' bulk APIs in chunks of one transaction each, by ``--processes`` forked processes
(resumed at the missing chunks). Then every figure is the median and p95 of repeated runs
in this one process: register (service call) and cases/s with 2 processes; one level
transition (``case_escalate``); officer inbox, red list and case page through the API and
the HTML pages (ms and queries); the dashboard; the year report; the sweep with nothing due
and with ``--due`` due clocks; peak RSS (this process, and the largest forked one).
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from casework import services
from casework.clock import now
from casework.demo import build_world
from casework.management.bench_data import case_input, generate_cases
from casework.models import Case, OrgUnit, StaffProfile
from casework.models.org import Role, UnitKind
from casework.services.org import unit_ensure

PASSWORD = "bench-pass-123"  # noqa: S105 - the generated officers of a scratch database
EXTRA_ENTERPRISES = 400
EXTRA_OFFICERS = 3000
PARTS = ("register", "transition", "pages", "search", "reports", "sweep")


def _stats(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": round(statistics.median(ordered), 2), "p95_ms": round(p95, 2), "runs": len(ordered)}


def _timed(fn: Callable[[], object], runs: int) -> dict:
    fn()  # warm
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return _stats(samples)


def _register_worker(args: tuple[int, int]) -> int:
    """In a forked process: ``count`` registrations through the service."""
    start, count = args
    connections.close_all()
    desk = get_user_model().objects.get(username="desk")
    for i in range(count):
        services.case_register(actor=desk, data=case_input(start + i), accept=True)
    connections.close_all()
    return count


class Command(BaseCommand):
    help = "Generate a province of N cases (PostgreSQL, *bench* database) and measure the hot paths."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=1_000_000)
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument("--due", type=int, default=10_000, help="due clocks for the loaded sweep")
        parser.add_argument("--processes", type=int, default=2, help="processes generating the cases")
        parser.add_argument("--json", dest="json_path", default=None)
        parser.add_argument(
            "--only",
            default="",
            help="comma-separated parts to measure (register,transition,pages,search,reports,sweep); default all",
        )

    def handle(self, *args, cases: int, runs: int, due: int, json_path: str | None, only: str = "", **options):
        db = settings.DATABASES["default"]
        if connection.vendor != "postgresql" or "bench" not in db["NAME"]:
            raise CommandError("Run on PostgreSQL, in a database whose name contains 'bench' (it writes many rows).")
        self.figures: dict = {"cases_requested": cases, "date": now().isoformat(timespec="seconds")}
        self._world()
        self._generate(cases, options.get("processes", 2))
        # The report rollup's triggers logged the generated rows as deltas: fold them, as the
        # scheduler does every five minutes in production, so the reports read the steady state.
        call_command("report_rollup", "--compact", stdout=self.stdout)
        # VACUUM, not only ANALYZE: it sets the visibility map that index-only scans (the
        # dashboard's covering index) rely on, as autovacuum does on a live database.
        # CHECKPOINT: the vacuum leaves gigabytes of dirtied pages that the checkpointer would
        # otherwise write out during the measurements (read by them as minutes of I/O wait).
        with connection.cursor() as cur:
            cur.execute("VACUUM (ANALYZE)")
            cur.execute("CHECKPOINT")
        self.figures["cases_in_database"] = Case.objects.count()
        parts = {p.strip() for p in only.split(",") if p.strip()} or set(PARTS)
        if "register" in parts:
            self._register(runs)
        if "transition" in parts:
            self._transition(runs)
        if "pages" in parts:
            self._pages(runs)
        if "search" in parts:
            self._search(cases, runs)
        if "reports" in parts:
            self._reports(max(3, runs // 5))
        if "sweep" in parts:
            self._sweep(runs, due)
        self.figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        # The forked processes (generation, the two registering): the largest of them.
        self.figures["peak_rss_child_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
        self._print()
        if json_path:
            Path(json_path).write_text(json.dumps(self.figures, indent=2, ensure_ascii=False))

    # -- the province -------------------------------------------------------------------

    def _world(self) -> None:
        t0 = time.perf_counter()
        world = build_world(PASSWORD)
        counties = list(world["counties"].values())
        have = OrgUnit.objects.filter(code__startswith="BENCH-E").count() // 2
        for i in range(have, EXTRA_ENTERPRISES):
            county = counties[i % len(counties)]
            ent = unit_ensure(code=f"BENCH-E{i}", name=f"基准企业{i}", kind=UnitKind.ENTERPRISE, parent=county)
            unit_ensure(code=f"BENCH-E{i}-U", name=f"基准企业{i}工会", kind=UnitKind.ENTERPRISE_UNION, parent=ent)
        User = get_user_model()
        have = User.objects.filter(username__startswith="bench_officer_").count()
        if have < EXTRA_OFFICERS:
            unions = list(OrgUnit.objects.filter(code__startswith="BENCH-E", kind=UnitKind.ENTERPRISE_UNION))
            hashed = make_password(PASSWORD)
            users = User.objects.bulk_create(
                [User(username=f"bench_officer_{i}", password=hashed) for i in range(have, EXTRA_OFFICERS)]
            )
            StaffProfile.objects.bulk_create(
                [StaffProfile(user=u, unit=unions[i % len(unions)], role=Role.OFFICER) for i, u in enumerate(users)]
            )
            group = Group.objects.get(name=Role.OFFICER.value)
            through = User.groups.through
            through.objects.bulk_create([through(user_id=u.pk, group_id=group.pk) for u in users])
        self.figures["units"] = OrgUnit.objects.count()
        self.figures["officers"] = StaffProfile.objects.count()
        self.figures["world_s"] = round(time.perf_counter() - t0, 1)

    def _generate(self, n: int, processes: int) -> None:
        """``n`` generated cases (``casework.management.bench_data``), resumed after the last chunk."""
        t0 = time.perf_counter()
        generated = generate_cases(
            n,
            actor=get_user_model().objects.get(username="desk"),
            processes=processes,
            progress=lambda done: self.stdout.write(f"  {done:,} cases ({time.perf_counter() - t0:.0f} s)"),
        )
        seconds = time.perf_counter() - t0
        self.figures["generated"] = generated
        if generated:
            self.figures["generation_s"] = round(seconds, 1)
            self.figures["generation_cases_per_s"] = round(generated / seconds)
            self.figures["generation_processes"] = processes
            self.stdout.write(f"generated {generated:,} cases in {seconds:.1f} s")

    # -- writes -------------------------------------------------------------------------

    def _register(self, runs: int) -> None:
        desk = get_user_model().objects.get(username="desk")
        counter = iter(range(10_000_000, 20_000_000))
        self.figures["register"] = _timed(
            lambda: services.case_register(actor=desk, data=case_input(next(counter)), accept=True), runs
        )
        with CaptureQueriesContext(connection) as ctx:
            services.case_register(actor=desk, data=case_input(next(counter)), accept=True)
        self.figures["register"]["queries"] = len(ctx.captured_queries)
        per_process = max(runs, 50)
        connections.close_all()
        ctx_fork = multiprocessing.get_context("fork")
        t0 = time.perf_counter()
        with ctx_fork.Pool(2) as pool:
            done = sum(pool.map(_register_worker, [(30_000_000, per_process), (40_000_000, per_process)]))
        self.figures["register_2_processes_cases_per_s"] = round(done / (time.perf_counter() - t0), 1)

    def _transition(self, runs: int) -> None:
        """``case_escalate`` enterprise → union by the sweep's actor (an unclaimed task)."""
        desk = get_user_model().objects.get(username="desk")
        from escalation.system import system_actor

        system = system_actor()  # the sweep's actor: may escalate whoever holds the task
        fresh = [
            services.case_register(actor=desk, data=case_input(50_000_000 + i), accept=True).pk for i in range(runs + 2)
        ]
        samples = []
        for pk in fresh[:-1]:  # timed as in production: no debug cursor recording the SQL
            t0 = time.perf_counter()
            services.case_escalate(case=pk, actor=system, reason="基准测试：上报。")
            samples.append((time.perf_counter() - t0) * 1000)
        with CaptureQueriesContext(connection) as ctx:
            services.case_escalate(case=fresh[-1], actor=system, reason="基准测试：上报。")
        self.figures["transition"] = {**_stats(samples[1:]), "queries": len(ctx.captured_queries)}

    # -- reads ----------------------------------------------------------------------------

    def _page(self, client: Client, url: str, runs: int) -> dict:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        figures = _timed(lambda: client.get(url), runs)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        figures["queries"] = len(ctx.captured_queries)
        return figures

    def _pages(self, runs: int) -> None:
        User = get_user_model()
        officer, supervisor = Client(), Client()
        officer.force_login(User.objects.get(username="officer_enterprise"))
        supervisor.force_login(User.objects.get(username="supervisor"))
        handled = Case.objects.filter(handling_unit__code="DEMO-E1-U").order_by("-pk")
        sample = handled.filter(status="enterprise").first() or handled.first()
        self.figures["api_officer_inbox"] = self._page(officer, "/api/v1/tasks/", runs)
        tasks = officer.get("/api/v1/tasks/").json()
        self.figures["api_officer_inbox"]["queue_count"] = tasks["queue_count"]
        self.figures["api_officer_inbox"]["inbox_count"] = tasks["inbox_count"]
        self.figures["api_red_list"] = self._page(supervisor, "/api/v1/cases/?overdue=true&ordering=due_at", runs)
        self.figures["api_case"] = self._page(officer, f"/api/v1/cases/{sample.number}/", runs)
        self.figures["html_officer_inbox"] = self._page(officer, "/cases/queue/", runs)
        self.figures["html_red_list"] = self._page(supervisor, "/cases/all/?overdue=1&sort=due", runs)
        self.figures["html_case"] = self._page(officer, f"/cases/{sample.number}/", runs)
        self.figures["html_supervisor_dashboard"] = self._page(supervisor, "/reports/", runs)

    def _search(self, cases: int, runs: int) -> None:
        """The search box of the supervisor (a third of the province's cases in sight), API and
        HTML list: a generated case's number, its worker's name and whole phone (one case each,
        taken from the middle of the supervisor's cases), a complaint word every generated case
        contains (the broad path) and one no case contains."""
        from casework.selectors import visible_cases

        user = get_user_model().objects.get(username="supervisor")
        supervisor = Client()
        supervisor.force_login(user)
        number, name, phone = (
            visible_cases(user)
            .filter(number__gte=f"BN-{cases // 2:08d}", number__startswith="BN-")
            .order_by("number")
            .values_list("number", "worker__name", "worker__phone")
            .first()
        )
        terms = {
            "number": number,
            "worker_name": name,
            "phone": phone,
            "text_in_every_case": "工资",
            "text_in_no_case": "加班费",
        }
        for label, q in terms.items():
            api = self._page(supervisor, f"/api/v1/cases/?q={quote(q)}", runs)
            api["found"] = supervisor.get(f"/api/v1/cases/?q={quote(q)}").json()["count"]
            self.figures[f"search_api_{label}"] = api
            self.figures[f"search_html_{label}"] = self._page(supervisor, f"/cases/all/?q={quote(q)}", runs)

    def _reports(self, runs: int) -> None:
        from reports.selectors.outcomes import outcome_report
        from reports.selectors.scope import parse_scope

        year = now().year - 1
        scope = parse_scope(date_from=f"{year}-01-01", date_to=f"{year}-12-31", unit="DEMO-P", everything=True)
        at = now()
        self.figures["year_report_province"] = _timed(lambda: outcome_report(scope, at=at), runs)

    # -- the sweep ------------------------------------------------------------------------

    @staticmethod
    def _backend_cpu() -> float | None:
        """CPU seconds of this connection's PostgreSQL backend so far (server on this machine)."""
        import os

        try:
            with connection.cursor() as cur:
                cur.execute("SELECT pg_backend_pid()")
                pid = cur.fetchone()[0]
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return None

    def _sweep(self, runs: int, due: int) -> None:
        """The empty sweep (and whether its plan is the partial index's range scan), then one
        sweep over ``due`` clocks made due. Besides wall time, the CPU the sweep used in this
        process and in its PostgreSQL backend (when the server runs on this machine): on a
        shared machine the wall time follows the load, the CPU seconds much less."""
        from escalation.models import DeadlineClock
        from escalation.sweep import BATCH, due_for_breach, sweep

        at = now()
        self.figures["sweep_empty"] = _timed(lambda: sweep(at), runs)
        page = due_for_breach(at).order_by("due_at", "pk").values_list("due_at", "pk", "case_id")[:BATCH]
        sql, params = page.query.sql_with_params()
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            self.figures["sweep_empty"]["plan_uses_clock_due_open"] = "clock_due_open" in json.dumps(cur.fetchone()[0])
        open_clocks = DeadlineClock.objects.filter(
            stopped_at__isnull=True, breached_at__isnull=True, case__number__startswith="BN-"
        )
        ids = list(open_clocks.values_list("pk", flat=True)[:due])
        # Policy ``flag``: a history row and its notifications per clock (no level transition).
        with connection.cursor() as cur:
            cur.execute(
                "UPDATE escalation_deadlineclock SET due_at = %s, "
                "policy_snapshot = policy_snapshot || '{\"breach_action\": \"flag\"}'::jsonb WHERE id = ANY(%s)",
                [at - dt.timedelta(minutes=1), ids],
            )
        backend = self._backend_cpu()
        cpu0, t0 = time.process_time(), time.perf_counter()
        result = sweep(now())
        seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        self.figures["sweep_due"] = {
            "clocks": len(ids),
            "ms": round(seconds * 1000, 1),
            "ms_per_clock": round(seconds * 1000 / max(len(ids), 1), 2),
            "cpu_ms_per_clock": round(cpu * 1000 / max(len(ids), 1), 3),
            "result": result.line(),
        }
        if backend is not None:
            self.figures["sweep_due"]["db_cpu_ms_per_clock"] = round(
                (self._backend_cpu() - backend) * 1000 / max(len(ids), 1), 3
            )
        self.figures["sweep_due"]["open_bn_clocks_left"] = open_clocks.count()

    def _print(self) -> None:
        self.stdout.write(json.dumps(self.figures, indent=2, ensure_ascii=False))
