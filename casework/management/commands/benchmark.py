"""``python manage.py benchmark --cases N [--json PATH]``: a province at scale, measured.

Run by hand on PostgreSQL, in a database whose name contains ``bench`` (never in
``make test``)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench8 python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench8 python manage.py benchmark --cases 1000000

Generation: the demo world plus hundreds of enterprises (with their unions) and thousands
of officers (bulk inserts), then a few real cases registered through the service as
templates, cloned server-side (``INSERT … SELECT generate_series``, explicit ids, one
statement per table) into workers, cases spread over two years (~10 % open), stages,
history rows (registration + outcome) and open clocks. Then every figure is the median
and p95 of repeated runs in this one process: register (service call) and cases/s with 2
processes; one level transition (``case_escalate``); officer inbox, red list
and case page through the API and the HTML pages (ms and queries); the dashboard; the
year report; the sweep with nothing due and with ``--due`` due clocks; peak RSS.
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
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from casework import services
from casework.clock import now
from casework.demo import build_world
from casework.models import Case, OrgUnit, StaffProfile
from casework.models.org import Role, UnitKind
from casework.services.org import unit_ensure

PASSWORD = "bench-pass-123"  # noqa: S105 - the generated officers of a scratch database
EXTRA_ENTERPRISES = 400
EXTRA_OFFICERS = 3000
PARTS = ("register", "transition", "pages", "search", "reports", "sweep")
TPL_WORKER = "SELECT * FROM casework_worker WHERE id = (SELECT worker_id FROM casework_case WHERE id = %(t)s)"
SERIAL_TABLES = (
    "casework_worker", "casework_case", "casework_casestage", "escalation_deadlineclock", "viewflow_process",
    "viewflow_task",
)
TPL_PROCESS = (
    "SELECT * FROM viewflow_process WHERE id = (SELECT process_ptr_id FROM casework_caseprocess WHERE case_id = %(t)s)"
)
TPL_TASK = (
    "SELECT * FROM viewflow_task WHERE process_id = (SELECT process_ptr_id FROM casework_caseprocess "
    "WHERE case_id = %(t)s) AND flow_task LIKE '%%.NODE' ORDER BY id LIMIT 1"
)
TPL_CLOCK = "SELECT * FROM escalation_deadlineclock WHERE case_id = %(t)s AND stopped_at IS NULL LIMIT 1"


def _input(i: int) -> services.CaseInput:
    return services.CaseInput(
        worker={"name": f"基准职工{i}", "gender": "male", "phone": f"139{i % 100_000_000:08d}"},
        # Not DEMO-E1, whose union's officer the page figures read: the cases this command
        # registers would otherwise pile up in the queue it measures, run after run.
        enterprise="DEMO-E2",
        category="wages",
        channel="reception_day",
        summary="企业拖欠工资三个月。",
        request="要求足额支付工资。",
        consent=True,
    )


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
        services.case_register(actor=desk, data=_input(start + i), accept=True)
    connections.close_all()
    return count


class Command(BaseCommand):
    help = "Generate a province of N cases (PostgreSQL, *bench* database) and measure the hot paths."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=1_000_000)
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument("--due", type=int, default=10_000, help="due clocks for the loaded sweep")
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
        self._generate(cases)
        # The report rollup's triggers logged the generated rows as deltas: fold them, as the
        # scheduler does every five minutes in production, so the reports read the steady state.
        call_command("report_rollup", "--compact", stdout=self.stdout)
        # VACUUM, not only ANALYZE: it sets the visibility map that index-only scans (the
        # dashboard's covering index) rely on, as autovacuum does on a live database.
        with connection.cursor() as cur:
            cur.execute("VACUUM (ANALYZE)")
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

    def _generate(self, n: int) -> None:
        have = Case.objects.filter(number__startswith="BN-").count()
        if have >= n:
            self.figures["generated"] = 0
            return
        desk = get_user_model().objects.get(username="desk")
        # Templates: a real registered case (worker, case, stage, history, clock rows to clone).
        template = services.case_register(actor=desk, data=_input(0), accept=True)
        unions = list(OrgUnit.objects.filter(kind=UnitKind.ENTERPRISE_UNION).values_list("pk", "parent_id"))
        county = dict(OrgUnit.objects.filter(kind=UnitKind.ENTERPRISE).values_list("pk", "parent_id"))
        params = {
            "have": have,
            "n": n,
            "handling": [u for u, _e in unions],
            "enterprise": [e for _u, e in unions],
            "county": [county[e] for _u, e in unions],
            "nu": len(unions),
            "t": template.pk,
        }
        t0 = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SELECT setseed(0.2026)")
            for table in SERIAL_TABLES:
                cur.execute(f"SELECT coalesce(max(id), 0) FROM {table}")  # noqa: S608 - fixed names
                params[f"{table}_base"] = cur.fetchone()[0] + 1
            cur.execute(
                "CREATE TEMP TABLE bench_gen ON COMMIT DROP AS SELECT g, floor(random() * %(nu)s)::int + 1 AS u, "
                "now() - random() * interval '730 days' AS received, random() AS r "
                "FROM generate_series(%(have)s, %(n)s - 1) AS g",
                params,
            )
            self._clone(cur, "casework_worker", TPL_WORKER, {
                "id": "%(casework_worker_base)s + g",
                "name": "'职工' || g",
                "phone": "'139' || lpad((g %% 100000000)::text, 8, '0')",
            }, params)
            open_ = "r < 0.1"
            status = (
                f"CASE WHEN {open_} THEN (ARRAY['enterprise','enterprise','union','government'])"
                "[1 + floor(r * 40)::int] WHEN r < 0.13 THEN 'answered' ELSE 'closed' END"
            )
            level = f"CASE WHEN {open_} THEN {status} ELSE 'enterprise' END"
            self._clone(cur, "casework_case", "SELECT * FROM casework_case WHERE id = %(t)s", {
                "id": "%(casework_case_base)s + g",
                "number": "'BN-' || lpad(g::text, 8, '0')",
                "worker_id": "%(casework_worker_base)s + g",
                "status": status,
                "level": level,
                "handling_unit_id": "(%(handling)s::bigint[])[u]",
                "enterprise_id": "(%(enterprise)s::bigint[])[u]",
                "county_id": "(%(county)s::bigint[])[u]",
                "received_at": "received",
                "created_at": "received",
                "updated_at": "received",
                "due_at": f"CASE WHEN {open_} THEN now() + (r * 150) * interval '1 day' END",
                "warn_at": f"CASE WHEN {open_} THEN now() + (r * 100) * interval '1 day' END",
                "closed_at": f"CASE WHEN NOT {open_} THEN received + (r * 40) * interval '1 day' END",
            }, params)
            self._clone(cur, "casework_casestage", "SELECT * FROM casework_casestage WHERE case_id = %(t)s LIMIT 1", {
                "id": "%(casework_casestage_base)s + g",
                "case_id": "%(casework_case_base)s + g",
                "unit_id": "(%(handling)s::bigint[])[u]",
                "started_at": "received",
                "ended_at": f"CASE WHEN NOT {open_} THEN received + (r * 30) * interval '1 day' END",
            }, params)
            hist = "SELECT * FROM casework_historicalcase WHERE id = %(t)s ORDER BY history_id DESC LIMIT 1"
            for k, action in enumerate(("register", "close")):
                self._clone(cur, "casework_historicalcase", hist, {
                    "history_id": None,
                    "id": "%(casework_case_base)s + g",
                    "number": "'BN-' || lpad(g::text, 8, '0')",
                    "worker_id": "%(casework_worker_base)s + g",
                    "history_date": f"received + interval '{k} day'",
                    "last_action": f"'{action}'",
                    "status": "'enterprise'" if k == 0 else status,
                    "handling_unit_id": "(%(handling)s::bigint[])[u]",
                    "enterprise_id": "(%(enterprise)s::bigint[])[u]",
                    "received_at": "received",
                }, params)
            self._clone(cur, "escalation_deadlineclock", TPL_CLOCK, {
                "id": "%(escalation_deadlineclock_base)s + g",
                "case_id": "%(casework_case_base)s + g",
                "started_at": "received",
                "due_at": "now() + (r * 150) * interval '1 day'",
                "warn_at": "now() + (r * 100) * interval '1 day'",
            }, params, only=open_)
            # The workflow: a process per case, its start task (done) and its handle task
            # (waiting in the unit's queue while the case is open), as the service leaves them.
            self._clone(cur, "viewflow_process", TPL_PROCESS, {
                "id": "%(viewflow_process_base)s + g",
                "created": "received",
                "status": f"CASE WHEN {open_} THEN 'NEW' ELSE 'DONE' END",
                "finished": f"CASE WHEN NOT {open_} THEN received + (r * 40) * interval '1 day' END",
            }, params)
            self._clone(cur, "casework_caseprocess", "SELECT * FROM casework_caseprocess WHERE case_id = %(t)s", {
                "process_ptr_id": "%(viewflow_process_base)s + g",
                "case_id": "%(casework_case_base)s + g",
            }, params)
            for k, node in enumerate(("start", "handle")):
                self._clone(cur, "viewflow_task", TPL_TASK.replace("NODE", node), {
                    "id": f"%(viewflow_task_base)s + 2 * g + {k}",
                    "process_id": "%(viewflow_process_base)s + g",
                    "created": "received",
                    "status": "'DONE'" if k == 0 else f"CASE WHEN {open_} THEN 'NEW' ELSE 'DONE' END",
                    "finished": "received" if k == 0 else f"CASE WHEN NOT {open_} THEN received END",
                }, params)
            for table in SERIAL_TABLES:
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")  # noqa: S608
        seconds = time.perf_counter() - t0
        self.figures["generated"] = n - have
        self.figures["generation_s"] = round(seconds, 1)
        self.figures["generation_cases_per_s"] = round((n - have) / seconds)
        self.stdout.write(f"generated {n - have:,} cases in {seconds:.1f} s")

    def _clone(self, cur, table: str, source: str, overrides: dict, params: dict, only: str = "TRUE") -> None:
        """One INSERT … SELECT: every column from the template row ``source`` unless overridden
        (an expression over ``bench_gen``: g, u, received, r); ``None`` leaves the column to its default."""
        cur.execute(f"SELECT * FROM {table} LIMIT 0")  # noqa: S608 - fixed names
        columns = [c.name for c in cur.description if not (c.name in overrides and overrides[c.name] is None)]
        exprs = [overrides.get(c) or f"tpl.{c}" for c in columns]
        cur.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(exprs)} "  # noqa: S608
            f"FROM bench_gen, ({source}) AS tpl WHERE {only}",
            params,
        )

    # -- writes -------------------------------------------------------------------------

    def _register(self, runs: int) -> None:
        desk = get_user_model().objects.get(username="desk")
        counter = iter(range(10_000_000, 20_000_000))
        self.figures["register"] = _timed(
            lambda: services.case_register(actor=desk, data=_input(next(counter)), accept=True), runs
        )
        with CaptureQueriesContext(connection) as ctx:
            services.case_register(actor=desk, data=_input(next(counter)), accept=True)
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
            services.case_register(actor=desk, data=_input(50_000_000 + i), accept=True).pk for i in range(runs + 2)
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
