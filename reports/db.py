"""Database expressions the reports need on both PostgreSQL and SQLite."""

from __future__ import annotations

import math

from django.db import connection
from django.db.models import Aggregate, F, FloatField, Func, QuerySet


class SecondsBetween(Func):
    """``end - start`` in seconds, as a float (NULL when either is NULL)."""

    output_field = FloatField()

    def __init__(self, end, start, **extra):
        super().__init__(
            F(end) if isinstance(end, str) else end, F(start) if isinstance(start, str) else start, **extra
        )

    def as_sql(self, compiler, connection, **extra):  # pragma: no cover - other backends
        raise NotImplementedError("SecondsBetween supports PostgreSQL and SQLite")

    def as_postgresql(self, compiler, connection, **extra):
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        # date_part is double precision throughout; EXTRACT goes through numeric (PostgreSQL
        # 14+), several times slower over hundreds of thousands of rows.
        return f"date_part('epoch', {end} - {start})", [*end_params, *start_params]

    def as_sqlite(self, compiler, connection, **extra):
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        return f"((julianday({end}) - julianday({start})) * 86400.0)", [*end_params, *start_params]


class ExactSeconds(SecondsBetween):
    """``end - start`` in seconds, exact on PostgreSQL (numeric, to the microsecond), so that a
    sum does not depend on the order of its terms; SQLite: as ``SecondsBetween``."""

    def as_postgresql(self, compiler, connection, **extra):
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        return f"EXTRACT(EPOCH FROM {end} - {start})", [*end_params, *start_params]


class PercentileCont(Aggregate):
    """PostgreSQL's ``percentile_cont(p) WITHIN GROUP (ORDER BY expr)``: linear interpolation."""

    function = "percentile_cont"
    template = "%(function)s(%(percentile)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, percentile: float, **extra):
        super().__init__(expression, percentile=float(percentile), **extra)


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


def percentile_fallback(queryset: QuerySet, expression, fraction: float) -> float | None:
    """``percentile_cont`` on databases without it, still in the database: count the rows,
    then read the two rows around the rank (ORDER BY … LIMIT 2 OFFSET k) and interpolate."""
    annotated = queryset.annotate(_v=expression).filter(_v__isnull=False)
    n = annotated.count()
    if n == 0:
        return None
    pos = fraction * (n - 1)
    low = math.floor(pos)
    values = list(annotated.order_by("_v").values_list("_v", flat=True)[low : low + 2])
    if len(values) == 1 or pos == low:
        return float(values[0])
    return float(values[0]) + (float(values[1]) - float(values[0])) * (pos - low)
