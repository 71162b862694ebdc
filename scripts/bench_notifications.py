"""Benchmark (run by hand, not in ``make test``): drain queued in-app + webhook notifications.

    .venv/bin/python scripts/bench_notifications.py --total 100000 --workers 2 \
        --database-url postgres://postgres@127.0.0.1:5432/casework_bench

Creates (or resets) the given database, queues ``total`` rows (half in-app, half webhooks
to a local HTTP receiver in its own process), runs ``workers`` delivery processes
(``manage.py deliver_notifications``) and prints the throughput. Do not point it at a
database you care about: it deletes every notification in it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RECEIVER = r"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
s = ThreadingHTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--total", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    args = parser.parse_args()
    if not args.database_url:
        sys.exit("give --database-url (a scratch database)")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    _ensure_database(args.database_url)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from notifications.models import DeliveryAttempt, Notification, WebhookEndpoint

    call_command("migrate", verbosity=0)
    receiver = subprocess.Popen([sys.executable, "-c", RECEIVER], stdout=subprocess.PIPE, text=True)  # noqa: S603
    port = int(receiver.stdout.readline())
    try:
        DeliveryAttempt.objects.all().delete()
        Notification.objects.all().delete()
        WebhookEndpoint.objects.all().delete()
        endpoint = WebhookEndpoint.objects.create(name="bench", url=f"http://127.0.0.1:{port}/hook", secret="bench")  # noqa: S106
        user, _ = get_user_model().objects.get_or_create(username="bench-user")
        now = timezone.now()
        rows = []
        for i in range(args.total):
            common = dict(key=f"bench-{i}", event="case_claimed", created_at=now, next_attempt_at=now)
            if i % 2:
                rows.append(
                    Notification(
                        recipient=f"webhook:{endpoint.pk}",
                        channel="webhook",
                        endpoint=endpoint,
                        payload={"case": f"GH-2026-{i:06d}", "action": "claim"},
                        **common,
                    )
                )
            else:
                rows.append(
                    Notification(recipient=f"user:{user.pk}", channel="inapp", user=user, subject="案件", **common)
                )
        Notification.objects.bulk_create(rows, batch_size=5000)
        print(f"queued {args.total} ({args.total // 2} in-app, {args.total - args.total // 2} webhook)")

        started = time.monotonic()
        workers = [
            subprocess.Popen(  # noqa: S603
                [sys.executable, "manage.py", "deliver_notifications", "--batch-size", str(args.batch_size)], cwd=ROOT
            )
            for _ in range(args.workers)
        ]
        for w in workers:
            w.wait()
        elapsed = time.monotonic() - started
        sent = Notification.objects.filter(status="sent").count()
        print(f"sent {sent}/{args.total} in {elapsed:.1f} s with {args.workers} worker(s): {sent / elapsed:.0f} /s")
    finally:
        receiver.kill()


def _ensure_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main()
