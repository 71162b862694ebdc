"""Hot-path statements written once per process.

The ORM rebuilds a query on every call (``select_related``, ``select_for_update``,
annotations): for the write paths that costs more Python than the database takes to run
the statement (~2.5 ms to build the case lock query, ~1 ms per lookup). These helpers
keep the models as the source of the names and build instances the way the ORM does
(``Model.from_db`` with the backend's converters, related rows cached on the instance).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection


def qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _converters(field, alias: str) -> list:
    col = field.get_col(alias)
    return connection.ops.get_db_converters(col) + col.get_db_converters(connection)


@dataclass(frozen=True)
class Reader:
    """The columns of a model and of some of its foreign keys (left joins), and how to turn
    a row of them back into instances."""

    columns: str  # the select list
    joins: str  # the LEFT JOINs of the related tables
    parts: tuple  # (relation field or None for the model, model, attnames, converters)

    def build(self, row, start: int = 0):
        pos, instance = start, None
        for field, model, attnames, converters in self.parts:
            values = list(row[pos : pos + len(attnames)])
            pos += len(attnames)
            for i, convs in enumerate(converters):
                for conv in convs:
                    values[i] = conv(values[i], None, connection)
            if field is None:
                instance = model.from_db(connection.alias, attnames, values)
            elif getattr(instance, field.attname) is None:
                field.set_cached_value(instance, None)
            else:
                field.set_cached_value(instance, model.from_db(connection.alias, attnames, values))
        return instance

    @property
    def width(self) -> int:
        return sum(len(part[2]) for part in self.parts)


def reader(model, alias: str, related: tuple[str, ...] = ()) -> Reader:
    columns, joins, parts = [], [], []
    fields = model._meta.concrete_fields
    columns += [f"{alias}.{qn(f.column)}" for f in fields]
    parts.append((None, model, [f.attname for f in fields], [_converters(f, alias) for f in fields]))
    for i, name in enumerate(related):
        field = model._meta.get_field(name)
        target, join_alias = field.related_model, f"{alias}_r{i}"
        target_fields = target._meta.concrete_fields
        columns += [f"{join_alias}.{qn(f.column)}" for f in target_fields]
        joins.append(
            f"LEFT JOIN {qn(target._meta.db_table)} {join_alias} "
            f"ON {join_alias}.{qn(field.target_field.column)} = {alias}.{qn(field.column)}"
        )
        parts.append(
            (field, target, [f.attname for f in target_fields], [_converters(f, join_alias) for f in target_fields])
        )
    return Reader(", ".join(columns), " ".join(joins), tuple(parts))


def fetchone(sql: str, params: list):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def fetchall(sql: str, params: list) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def execute(sql: str, params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
