"""Hot-path statements written once per process.

The ORM rebuilds a query on every call (``select_related``, ``select_for_update``,
annotations): for the write paths that costs more Python than the database takes to run
the statement (~2.5 ms to build the case lock query, ~1 ms per lookup). These helpers
keep the models as the source of the names and build instances the way the ORM does
(``Model.from_db`` with the backend's converters, related rows cached on the instance).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from weakref import WeakKeyDictionary

from django.db import connection
from django.db.models import DateField, Field


def qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _converters(field, alias: str) -> list:
    """The backend's converters of a column, each with the expression it expects (SQLite's
    decimal converter reads the field from it)."""
    col = field.get_col(alias)
    return [(conv, col) for conv in connection.ops.get_db_converters(col) + col.get_db_converters(connection)]


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
                for conv, col in convs:
                    values[i] = conv(values[i], col, connection)
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


def fetch_sets(statements: list[tuple]) -> list[list]:
    """The rows of each ``(sql, params)`` or ``(sql, params, prepare key)`` query; on
    PostgreSQL all in one round trip."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            out = []
            for sql, params, *_key in statements:
                cursor.execute(sql, params)
                out.append(cursor.fetchall())
            return out
        plans = [(_prepared(sql, params, key[0] if key else None), params) for sql, params, *key in statements]
        cursor.execute("; ".join(text for (text, _s, _d), _p in plans), [p for _plan, ps in plans for p in ps])
        out = []
        for i, ((_text, skip, _done), _params) in enumerate(plans):
            for _ in range(skip + (1 if i else 0)):
                cursor.nextset()
            out.append(cursor.fetchall())
        for (_text, _skip, done), _params in plans:
            if done is not None:
                done()
        return out


def execute(sql: str, params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


# --- a model's INSERT and UPDATE, written once -------------------------------------------


@cache
def _insert_statement(model, with_pk: bool) -> tuple[str, tuple]:
    fields = tuple(
        f for f in model._meta.local_concrete_fields if (with_pk or not f.primary_key) and not f.generated
    )
    values = ", ".join(["%s"] * len(fields))
    columns = ", ".join(qn(f.column) for f in fields)
    return f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({values})", fields  # noqa: S608


@cache
def _update_statement(model) -> tuple[str, tuple]:
    meta = model._meta
    fields = tuple(f for f in meta.local_concrete_fields if not f.primary_key and not f.generated)
    sets = ", ".join(f"{qn(f.column)} = %s" for f in fields)
    return f"UPDATE {qn(meta.db_table)} SET {sets} WHERE {qn(meta.pk.column)} = %s", fields  # noqa: S608


# Internal types whose ``get_db_prep_save`` hands these exact types (and ``None``) to the
# database unchanged: ``field_values`` skips the field's call for them.
_UNCHANGED = {
    "CharField": str, "TextField": str, "SlugField": str,
    "IntegerField": int, "BigIntegerField": int, "SmallIntegerField": int, "PositiveIntegerField": int,
    "PositiveSmallIntegerField": int, "PositiveBigIntegerField": int, "AutoField": int, "BigAutoField": int,
    "BooleanField": bool, "DateTimeField": dt.datetime,
}  # fmt: skip


@cache
def _value_plan(model, fields: tuple) -> tuple:
    """Per field: its attname and the type whose values pass unchanged (or ``None``: call
    the field), when ``pre_save`` only reads the attribute (no ``auto_now``)."""
    plan = []
    for f in fields:
        target = f.target_field if f.is_relation else f
        kind = _UNCHANGED.get(target.get_internal_type())
        plain = type(f).pre_save is Field.pre_save or (
            isinstance(f, DateField) and not f.auto_now and not f.auto_now_add
        )
        if type(target).__module__.split(".")[:3] != ["django", "db", "models"] or (
            type(f).get_db_prep_save is not Field.get_db_prep_save and not f.is_relation
        ):
            kind = None  # a field class of its own, or one that prepares values itself (JSON, …)
        plan.append((f, f.attname, kind if plain else None))
    return tuple(plan)


def field_values(instance, fields: tuple, add: bool) -> list:
    """``[f.get_db_prep_save(f.pre_save(instance, add), connection) for f in fields]``,
    without the two calls per field where the value is ``None`` or already what the
    database takes (a plain ``str``, ``int``, ``bool``, aware ``datetime``): ~3 µs a field,
    and a history row has ~40."""
    out = []
    for f, attname, kind in _value_plan(type(instance), fields):
        if kind is not None:
            value = getattr(instance, attname)
            if value is None or (type(value) is kind and (kind is not dt.datetime or value.tzinfo is not None)):
                out.append(value)
                continue
        out.append(f.get_db_prep_save(f.pre_save(instance, add), connection))
    return out


def insert_deferred(instance) -> None:
    """The ``INSERT`` of a new ``instance`` (every column, its primary key too when it is
    set: drawn ahead, ``next_ids``) written once and sent with the next statement
    (``defer``): the ORM builds it per save and reads the new id back, a round trip of its
    own. No signals: the caller sends what ``save()`` would."""
    instance._prepare_related_fields_for_save(operation_name="save")
    sql, fields = _insert_statement(type(instance), instance.pk is not None)
    defer(sql, field_values(instance, fields, True))
    instance._state.adding = False
    instance._state.db = connection.alias


def update_deferred(instance) -> None:
    """``UPDATE`` of every column of a row this transaction locked or inserted (so it is
    there), written once and deferred. No signals."""
    sql, fields = _update_statement(type(instance))
    defer(sql, [*field_values(instance, fields, False), instance.pk])
    instance._state.db = connection.alias


def next_ids_sql(*columns: tuple[type, str]) -> str:
    """A select list drawing the next value of each ``(model, column)``'s sequence
    (PostgreSQL): ids written ahead of their rows, so the rows need not be read back."""
    return ", ".join(
        f"nextval(pg_get_serial_sequence('{model._meta.db_table}', '{column}'))" for model, column in columns
    )


# Ids drawn ahead for the rows a service call will insert: ``{model: [ids]}`` on the
# instance the call works on (the locked case: ``_core.locked_case``; registration's case
# and worker), filled by ``give_ids``, used by ``take_ids``.
AHEAD = "_casework_ids_ahead"
# {model: the highest id written here on this connection}: an id drawn before a row of the
# same table written since (a nested service call on the same case) would sort before
# that row (``audit.chain.verify`` reads a case's history in id order, viewflow its tasks),
# so it is not used.
_WRITTEN = "_casework_ids_written"


def give_ids(holder, model, ids) -> None:
    holder.__dict__.setdefault(AHEAD, {}).setdefault(model, []).extend(ids)


def draw_ids(holder, wanted: list[tuple[type, int]], row) -> int:
    """``give_ids`` from ``row``, the values ``next_ids_sql`` drew for ``wanted`` (model,
    how many), in that order; returns how many values of ``row`` it took."""
    pos = 0
    for model, count in wanted:
        give_ids(holder, model, row[pos : pos + count])
        pos += count
    return pos


def id_columns(wanted: list[tuple[type, int]]) -> list[tuple[type, str]]:
    return [(model, model._meta.pk.column) for model, count in wanted for _ in range(count)]


def _written() -> dict:
    written = getattr(connection, _WRITTEN, None)
    if written is None:
        written = {}
        setattr(connection, _WRITTEN, written)
    return written


def take_ids(holder, model, count: int) -> list[int] | None:
    """``count`` ids for new rows of ``model`` drawn ahead for ``holder``, newer than any row
    of the table written here since they were drawn; ``None`` when there are not enough
    (the caller lets the database assign them)."""
    written = _written()
    ahead = holder.__dict__.get(AHEAD, {}).get(model) or []
    floor = written.get(model, 0)
    while ahead and ahead[0] <= floor:
        ahead.pop(0)
    if len(ahead) < count:
        return None
    ids = ahead[:count]
    del ahead[:count]
    written[model] = ids[-1]
    return ids


def note_written(model, pk: int) -> None:
    """A row of ``model`` got ``pk`` from the database (not drawn ahead)."""
    written = _written()
    written[model] = max(written.get(model, 0), pk)


# --- several statements in one round trip (PostgreSQL) -------------------------------------
#
# A service call writes a dozen rows whose results nobody reads (a stage ended, clocks
# stopped, the previous task completed, …). Inside ``carrying()`` such a write is queued
# with ``defer`` and travels in front of the next statement the connection sends, as one
# multi-statement string (psycopg's client-side binding sends it in one round trip); what
# is still queued when the block ends goes in one last round trip. Order is kept: any
# statement the ORM or a library sends inside the block carries the queue first.

_PENDING = "_casework_deferred"
_SENDING = "_casework_sending_deferred"  # set while the queue goes on its own
_RECORDERS: list = []  # ``recording()``: see every statement, deferred or not


def defer(sql: str, params: list, *, check: Callable[[int], None] | None = None) -> None:
    """Run ``sql`` now, or — inside ``carrying()`` on PostgreSQL — with the next statement.
    Only for writes whose result (rows, errors aside) is not read; ``check`` is called with
    the statement's row count once it ran (after the rest of its round trip)."""
    for record in _RECORDERS:
        record(sql, params)
    pending = getattr(connection, _PENDING, None)
    if pending is None:
        rowcount = execute(sql, params)
        if check is not None:
            check(rowcount)
    else:
        pending.append((sql, list(params), check))


def flush() -> None:
    """Send what ``defer`` queued (before work that bypasses the cursor, e.g. ``COPY``)."""
    pending = getattr(connection, _PENDING, None)
    if pending:
        _send(connection, pending)


def _send(db, pending: list) -> None:
    """The queue in one round trip of its own (through Django's cursor: counted, logged)."""
    queued, values, checks = _take(pending)
    setattr(db, _SENDING, True)
    try:
        with db.cursor() as cursor:
            cursor.execute(queued, values)
            done = _results(cursor.cursor, checks, last=True)
    finally:
        setattr(db, _SENDING, False)
    _run_checks(done)


def _take(pending: list) -> tuple[str, list, list]:
    sql = "; ".join(s for s, _p, _c in pending)
    params = [p for _s, ps, _c in pending for p in ps]
    checks = [check for _s, _p, check in pending]
    pending.clear()
    return sql, params, checks


def _results(cursor, checks: list, *, last: bool) -> list[tuple[Callable[[int], None], int]]:
    """Step over the queued statements' results (to the carrier's, unless ``last``),
    keeping the row counts that a ``check`` waits for."""
    done = []
    for i, check in enumerate(checks):
        if check is not None:
            done.append((check, cursor.rowcount))
        if i < len(checks) - 1 or not last:
            cursor.nextset()
    return done


def _run_checks(done: list) -> None:
    for check, rowcount in done:
        check(rowcount)


def _carry(execute_, sql, params, many, context):
    pending = getattr(context["connection"], _PENDING, None)
    if not pending:
        return execute_(sql, params, many, context)
    if isinstance(sql, str) and sql.lstrip()[:8].upper() == "ROLLBACK":
        pending.clear()  # what was queued is undone anyway (and an aborted transaction refuses it)
        return execute_(sql, params, many, context)
    cursor = context["cursor"].cursor
    if many or not isinstance(params, list | tuple) or getattr(cursor, "name", None):
        # executemany, a statement without parameters (its % signs are literal) or a
        # server-side cursor: the queue goes first, on its own cursor.
        _send(context["connection"], pending)
        return execute_(sql, params, many, context)
    queued, values, checks = _take(pending)
    result = execute_(f"{queued}; {sql}", [*values, *params], many, context)
    # The checks run once the carrier's own results are in (they may send statements of
    # their own, on other cursors).
    _run_checks(_results(cursor, checks, last=False))
    return result


@contextmanager
def carrying() -> Iterator[None]:
    """The block's ``defer``-red writes ride along with its other statements (PostgreSQL;
    elsewhere ``defer`` runs at once). Use inside the transaction: the queue is sent when
    the block ends normally and dropped with the transaction when it raises."""
    if connection.vendor != "postgresql" or getattr(connection, _PENDING, None) is not None:
        yield
        return
    setattr(connection, _PENDING, [])
    try:
        with connection.execute_wrapper(_carry):
            yield
            flush()
    finally:
        setattr(connection, _PENDING, None)


# --- statements prepared once per connection (PostgreSQL) ----------------------------------

# psycopg connection → {key: name of its prepared statement}
_PREPARED: WeakKeyDictionary = WeakKeyDictionary()
_NAMES = itertools.count()


def _prepared(sql: str, params: list, prepare: str | None) -> tuple[str, int, Callable[[], None] | None]:
    """How to send ``sql``: with ``prepare`` (a key) on PostgreSQL as the connection's
    prepared statement — planning a query with joins takes ~0.1–0.7 ms, the prepared
    statement's generic plan ~0.02 ms. Returns the text, how many results come before the
    query's own, and what to call once it ran. Prepared in the round trip of its first
    ``EXECUTE``; an attempt that fails leaves its name behind (statements are not
    transactional), so each attempt takes a new name. Needs a session per connection (no
    transaction-pooling bouncer)."""
    if prepare is None or connection.vendor != "postgresql":
        return sql, 0, None
    connection.ensure_connection()
    names = _PREPARED.setdefault(connection.connection, {})
    name = names.get(prepare)
    args = f"({', '.join(['%s'] * len(params))})" if params else ""
    if name is not None:
        return f"EXECUTE {name}{args}", 0, None
    name = f"casework_{prepare}_{next(_NAMES)}"
    numbered = iter(range(1, len(params) + 1))
    body = re.sub(r"%s", lambda _m: f"${next(numbered)}", sql).replace("%%", "%")
    return f"PREPARE {name} AS {body}; EXECUTE {name}{args}", 1, lambda: names.__setitem__(prepare, name)


def _run(cursor, sql: str, params: list, prepare: str | None) -> None:
    text, skip, done = _prepared(sql, params, prepare)
    cursor.execute(text, params)
    for _ in range(skip):
        cursor.nextset()
    if done is not None:
        done()


def fetchone_prepared(key: str, sql: str, params: list):
    with connection.cursor() as cursor:
        _run(cursor, sql, params, key)
        return cursor.fetchone()


def fetchall_prepared(key: str, sql: str, params: list) -> list:
    with connection.cursor() as cursor:
        _run(cursor, sql, params, key)
        return cursor.fetchall()


@contextmanager
def recording() -> Iterator[list[tuple[str, list]]]:
    """Every statement the block sends, one by one as written, with its parameters (the
    benchmark's bare-SQL floor); ``CaptureQueriesContext`` shows the round trips instead."""
    statements: list[tuple[str, list]] = []

    def record(sql, params):
        statements.append((sql, list(params or [])))

    def outer(execute_, sql, params, many, context):
        # Installed before the service's ``carrying()``: sees each statement before the queue
        # joins it; the queue sent on its own was recorded statement by statement already.
        if not getattr(context["connection"], _SENDING, False):
            record(sql, params)
        return execute_(sql, params, many, context)

    _RECORDERS.append(record)
    try:
        with connection.execute_wrapper(outer):
            yield statements
    finally:
        _RECORDERS.remove(record)
