"""``_core.record`` for many cases at once: what the deadline sweep writes per batch.

``casework.services._core.record`` saves one case (one history row through simple_history's
``post_save``, its audit link through ``post_create_historical_record``) and sends
``case_event`` (notifications): about ten round trips per case. ``record_many`` writes the
same rows for a whole batch of cases in a handful of statements:

* one ``UPDATE`` of the cases (``version + 1``, ``last_action``, ``prev_status``,
  ``updated_at``),
* one insert of the history rows (``COPY`` on PostgreSQL, ``bulk_create`` elsewhere: no
  ``post_save``, no history signals),
* one read of the cases' last audit links and one insert of the new links, each digest the
  one ``audit.chain`` computes (over every column of the row as stored),
* the outbox rows of every case in one insert (``casework.notify.on_case_events``).

Because no signal is sent, the receivers the bulk path stands in for are fixed: the audit
chain (``post_create_historical_record``) and the notifications (``case_event``; the
escalation receiver of that signal only saves a clock pending at registration, which a
sweep never has). ``tests/escalation/test_bulk.py`` fails when a receiver is added to either
signal, and checks that the rows written here equal those ``record`` writes.

The caller holds every case's row lock (``select_for_update``) and passes each case once.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from audit.chain import GENESIS, digest, history_model
from audit.models import AuditLink
from casework import notify
from casework.models import Case
from casework.services._sql import flush

# Fewer rows than this are inserted with ``bulk_create`` (not worth a ``COPY``).
COPY_MIN_ROWS = 50

# What ``record`` changes on the case besides the history row (``updated_at`` is not tracked).
_TOUCHED = ("version", "last_action", "prev_status", "updated_at")


def record_many(
    items: list[tuple[Case, str]], *, actor, action: str, audiences: notify.Audiences | None = None
) -> None:
    """One history row (by ``actor``, ``action``, the item's reason) per ``(case, reason)``.

    Same rows as calling ``_core.record(case, actor=actor, action=action, reason=reason)``
    for each case, in one set of statements. On an exception the case instances are left
    as they were (the caller's savepoint undoes the database side). ``audiences``: the
    staff read for earlier batches (``casework.notify.Audiences``).
    """
    if not items:
        return
    cases = [case for case, _reason in items]
    if len({case.pk for case in cases}) != len(cases):
        raise ValueError("record_many: each case at most once")
    before = [{name: getattr(case, name) for name in _TOUCHED} for case in cases]
    at = timezone.now()
    try:
        Case.objects.filter(pk__in=[case.pk for case in cases]).update(
            version=F("version") + 1, last_action=action, prev_status=F("status"), updated_at=at
        )
        for case in cases:  # the same change on the locked instances
            case.version += 1
            case.last_action = action
            case.prev_status = case.status
            case.updated_at = at
        chain_rows(_insert_history(items, actor=actor, at=at))
        notify.on_case_events(items, action=action, actor=actor, audiences=audiences)
    except BaseException:
        for case, values in zip(cases, before, strict=True):
            for name, value in values.items():
                setattr(case, name, value)
        raise


def chain_rows(rows: list[dict]) -> None:
    """``audit.chain.append`` for many new history rows (``_insert_history``'s dicts, every
    column as stored): one read of the cases' last links, one insert.

    The digest is the chain's own (``audit.chain.digest`` over every column of the row as
    the database holds it, which is what ``verify`` recomputes from); the rows of one case
    are chained in ``history_id`` order.
    """
    if not rows:
        return
    case_ids = {row["id"] for row in rows}
    newest = AuditLink.objects.filter(case_id=OuterRef("case_id")).order_by("-seq").values("seq")[:1]
    tips = {
        case_id: (seq, hash_)
        for case_id, seq, hash_ in AuditLink.objects.filter(case_id__in=case_ids, seq=Subquery(newest)).values_list(
            "case_id", "seq", "hash"
        )
    }
    links = []
    for row in sorted(rows, key=lambda r: r["history_id"]):
        case_id = row["id"]
        seq, prev = tips.get(case_id, (0, GENESIS))
        fields = sorted(row)
        link = AuditLink(
            case_id=case_id,
            seq=seq + 1,
            history_id=row["history_id"],
            prev_hash=prev,
            hash=digest(prev, row, fields),
            fields=",".join(fields),
        )
        tips[case_id] = (link.seq, link.hash)
        links.append(link)
    if connection.vendor != "postgresql" or len(links) < COPY_MIN_ROWS:
        AuditLink.objects.bulk_create(links)
        return
    fields = [f for f in AuditLink._meta.concrete_fields if not f.primary_key]
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(AuditLink._meta.db_table)
    flush()  # ``COPY`` bypasses the cursor that would carry statements still queued
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for link in links:
            copy.write_row([f.pre_save(link, True) for f in fields])  # ``pre_save``: ``created_at``


def _insert_history(items: list[tuple[Case, str]], *, actor, at) -> list[dict]:
    """Insert one ``~`` history row per ``(case, reason)``, as simple_history would.

    Returns the rows as stored (every column by ``attname``, each value through its field's
    ``to_python``: what reading the row back gives), for ``chain_rows``. On PostgreSQL: ids
    drawn from the table's sequence, then ``COPY`` (no per-field preparation in Python:
    every column is a plain string, number, boolean or timestamp). Elsewhere ``bulk_create``.
    """
    model = history_model()
    tracked = [field.attname for field in model.tracked_fields]
    columns = model._meta.concrete_fields

    def values(case, reason, history_id) -> dict:
        row = {name: getattr(case, name) for name in tracked}
        row.update(
            history_id=history_id,
            history_date=at,
            history_type="~",
            history_user_id=actor.pk if actor is not None else None,
            history_change_reason=reason,
        )
        return {f.attname: None if row[f.attname] is None else f.to_python(row[f.attname]) for f in columns}

    if connection.vendor != "postgresql" or len(items) < COPY_MIN_ROWS:
        instances = [
            model(
                history_date=at,
                history_type="~",
                history_user=actor,
                history_change_reason=reason,
                **{name: getattr(case, name) for name in tracked},
            )
            for case, reason in items
        ]
        model.objects.bulk_create(instances)
        return [values(case, reason, row.history_id) for (case, reason), row in zip(items, instances, strict=True)]
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'history_id')) FROM generate_series(1, %s)",
            [table, len(items)],
        )
        rows = [values(case, reason, pk) for (case, reason), (pk,) in zip(items, cursor.fetchall(), strict=True)]
        names = ", ".join(connection.ops.quote_name(f.column) for f in columns)
        copy_sql = f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN"
        flush()
        with connection.wrap_database_errors, cursor.cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row([row[f.attname] for f in columns])
    return rows
