"""The Markdown table of a locust ``--csv`` run: ``python deploy/locust_table.py PREFIX``.

Reads ``PREFIX_stats.csv`` and prints, per request name and for all, the count, failures,
median, p95 and max (ms), as docs/operations.md shows them.
"""

from __future__ import annotations

import csv
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


if __name__ == "__main__":
    main(sys.argv[1])
