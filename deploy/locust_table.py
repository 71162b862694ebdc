"""The Markdown table of a locust ``--csv`` run: ``python deploy/locust_table.py PREFIX [ACCESS_LOG]``.

Reads ``PREFIX_stats.csv`` and prints, per request name and for all, the count, failures,
median, p95 and max (ms), as docs/operations.md shows them. With gunicorn's access log
(format ending in ``%(D)s``, microseconds; see deploy/loadtest.sh), also the time the
server itself spent per kind of request: the difference is time spent waiting for a free
worker and in the client (locust shares the machine).
"""

from __future__ import annotations

import csv
import re
import statistics
import sys


def _ms(value: str) -> str:
    v = float(value or 0)
    return f"{v / 1000:.2f} s" if v >= 1000 else f"{v:.0f} ms"


def main(prefix: str) -> None:
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    print("| request | count | failures | median | p95 | max | req/s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        name = "**all**" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        count, failures = int(row["Request Count"]), int(row["Failure Count"])
        share = f" ({100 * failures / count:.1f} %)" if count else ""
        print(
            f"| {name} | {count:,} | {failures}{share} | {_ms(row['50%'])} | {_ms(row['95%'])} "
            f"| {_ms(row['Max Response Time'])} | {float(row['Requests/s']):.1f} |"
        )


_LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d+) \S+ (?P<us>\d+)$')
_KINDS = [
    (r"^/api/v1/auth/token/", "token (login, before the test)"),
    (r"^/api/v1/tasks/", "tasks"),
    (r"^/api/v1/cases/[^/?]+/actions/(?P<action>[a-z_]+)/", "act: {action}"),
    (r"^/api/v1/cases/[^/?]+/", "open case"),
    (r"^/api/v1/cases/\?.*overdue=true", "red list"),
    (r"^/api/v1/cases/\?.*q=", "search"),
    (r"^/api/v1/cases/", "list cases / register"),
]


def server_times(path: str) -> None:
    times: dict[str, list[float]] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = _LINE.search(line.strip())
            if not m:
                continue
            url = m["path"]
            for pattern, label in _KINDS:
                k = re.match(pattern, url)
                if k:
                    name = label.format(**k.groupdict())
                    if name == "list cases / register":
                        name = "register" if m["method"] == "POST" else "list cases"
                    times.setdefault(name, []).append(int(m["us"]) / 1000)
                    break
    print()
    print("| request (server time, gunicorn) | count | median | p95 | max |")
    print("|---|---:|---:|---:|---:|")
    everything = [t for name, ts in times.items() if not name.startswith("token") for t in ts]
    for name, ts in sorted(times.items()) + [("**all** (logins apart)", everything)]:
        if len(ts) < 2:
            continue
        p95 = statistics.quantiles(ts, n=20, method="inclusive")[-1]
        print(f"| {name} | {len(ts):,} | {statistics.median(ts):.0f} ms | {p95:.0f} ms | {max(ts):.0f} ms |")


if __name__ == "__main__":
    main(sys.argv[1])
    if len(sys.argv) > 2:
        server_times(sys.argv[2])
