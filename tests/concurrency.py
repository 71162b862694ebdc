"""Running one function in several threads at once (each thread its own database connection)."""

from __future__ import annotations

import threading
from collections.abc import Callable


def side_by_side(fn: Callable[[], object], n: int = 3) -> list:
    """``n`` calls of ``fn`` started together behind a barrier; their results, or the test
    fails on any error."""
    from django.db import connection

    results: list = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(n)

    def run():
        try:
            barrier.wait()
            results.append(fn())
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return results
