"""CPU and queries of one API request of each kind the load test makes (by hand, not a test).

Runs in one process through Django's test client with the settings of the environment
(``DJANGO_SETTINGS_MODULE=config.settings_production`` for the production middleware and
cache), against a database with the demo (``manage.py seed_demo``)::

    DJANGO_SETTINGS_MODULE=config.settings_production SECRET_KEY=x ALLOWED_HOSTS=testserver \\
      SECURE_SSL_REDIRECT=0 REDIS_URL=redis://127.0.0.1:6379/15 \\
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_load \\
      python deploy/profile_requests.py [--runs 20] [--profile "case list"]

Prints, per request: median CPU ms of this process (the app's share; the database's own
work is in the wall time), median wall ms and the number of SQL queries. ``--profile NAME``
prints the cProfile of that request's runs (cumulative, top 40).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--profile", default="")
    parser.add_argument("--login", action="store_true", help="also time the token login (PBKDF2)")
    args = parser.parse_args()

    password = settings.DEMO_PASSWORD
    client = Client(HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="127.0.0.1")

    def stored_token(username: str) -> str:  # no login: the auth throttle stays out of it
        from django.contrib.auth import get_user_model
        from rest_framework.authtoken.models import Token

        return Token.objects.get_or_create(user=get_user_model().objects.get(username=username))[0].key

    desk = {"HTTP_AUTHORIZATION": f"Token {stored_token('desk')}"}
    officer = {"HTTP_AUTHORIZATION": f"Token {stored_token('officer_enterprise')}"}
    counter = iter(range(10**9))

    def register():
        i = next(counter) + int(time.time()) % 10**6 * 1000
        body = {
            "worker": {"name": f"剖析职工{i}", "phone": f"137{i % 10**8:08d}"},
            "enterprise": "DEMO-E1",
            "category": "wages",
            "channel": "reception_day",
            "summary": "企业拖欠工资。",
            "request": "要求支付工资。",
            "consent": True,
        }
        r = client.post("/api/v1/cases/", body, content_type="application/json", **desk)
        assert r.status_code == 201, r.content
        return r

    number = register().json()["number"]
    queued = client.get("/api/v1/cases/?status=enterprise&page_size=100", **officer).json()["results"]

    def claim():
        # A freshly registered case waits in DEMO-E1's queue: claim it.
        n = register().json()["number"]
        t0 = time.process_time()
        w0 = time.perf_counter()
        with CaptureQueriesContext(connection) as q:
            r = client.post(f"/api/v1/cases/{n}/actions/claim/", {}, content_type="application/json", **officer)
        assert r.status_code == 200, r.content
        return time.process_time() - t0, time.perf_counter() - w0, len(q)

    requests = {
        "case list": lambda: client.get("/api/v1/cases/?page_size=20", **desk),
        "list (officer, enterprise)": lambda: client.get("/api/v1/cases/?status=enterprise&page_size=20", **officer),
        "red list": lambda: client.get("/api/v1/cases/?overdue=true&ordering=due_at", **officer),
        "tasks": lambda: client.get("/api/v1/tasks/", **officer),
        "open case": lambda: client.get(f"/api/v1/cases/{number}/", **desk),
        "open case (officer)": lambda: (
            client.get(f"/api/v1/cases/{queued[0]['number']}/", **officer)
            if queued
            else client.get(f"/api/v1/cases/{number}/", **desk)
        ),
        "register": register,
        "me": lambda: client.get("/api/v1/me/", **officer),
    }
    if args.login:
        requests["token (login)"] = lambda: client.post(
            "/api/v1/auth/token/",
            {"username": "officer_enterprise", "password": password},
            content_type="application/json",
        )

    print(f"{'request':<28} {'cpu ms':>8} {'wall ms':>8} {'queries':>8}")
    for name, call in [*requests.items(), ("act: claim", None)]:
        cpu, wall, queries = [], [], []
        profiler = cProfile.Profile() if args.profile == name else None
        for _ in range(2):  # warm up
            claim() if call is None else call()
        for _ in range(args.runs):
            if profiler:
                profiler.enable()
            if call is None:
                c, w, n = claim()
            else:
                t0, w0 = time.process_time(), time.perf_counter()
                with CaptureQueriesContext(connection) as q:
                    r = call()
                c, w, n = time.process_time() - t0, time.perf_counter() - w0, len(q)
                assert r.status_code < 300, (name, r.status_code, r.content[:300])
            if profiler:
                profiler.disable()
            cpu.append(c * 1000)
            wall.append(w * 1000)
            queries.append(n)
        print(
            f"{name:<28} {statistics.median(cpu):8.1f} {statistics.median(wall):8.1f} {statistics.median(queries):8.0f}"
        )
        if profiler:
            pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(40)


if __name__ == "__main__":
    main()
