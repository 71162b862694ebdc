"""simple_history's rows of the write paths, written once and sent with the next statement.

``instance.save()`` makes simple_history build a history row (``post_save``), insert it
through the ORM and read its id back: a round trip of its own and ~1 ms of Python per row,
and the audit link of a case's row (``audit.chain``, on ``post_create_historical_record``)
needs that id. On PostgreSQL the services draw the ids ahead instead (``_sql.give_ids``: with
the case lock, with registration's lookups), so the row and its link travel with the
service's next statement (``_sql.defer``).

The row is the one ``HistoricalRecords.create_historical_record`` writes — the tracked
fields, ``history_date`` (``_history_date`` or now), the user (``_history_user``) and the
reason (``_change_reason``) — between the same ``pre_``/``post_create_historical_record``
signals. ``tests/casework/test_history_rows.py`` holds the two to the same rows and fails
when a receiver is added to ``post_save`` of the models written here (this path does not
send it).
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.db.models import signals as model_signals
from django.utils import timezone
from simple_history.signals import post_create_historical_record, pre_create_historical_record

from . import _sql


def history_model(model):
    return model.history.model


def writes_here(instance) -> bool:
    """Only rows simple_history would write the plain way, for a known user, inside a
    service call on PostgreSQL; anything else goes through ``save()`` as before."""
    history = history_model(type(instance))
    return (
        connection.vendor == "postgresql"
        and getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
        and "_history_user" in instance.__dict__
        and not hasattr(instance, "skip_history_when_saving")
        and not getattr(history, "_history_m2m_fields", None)
        and getattr(history, "history_relation", None) is None
    )


def _take_id(instance, history) -> int:
    """The id drawn ahead for the row (``_sql.take_ids``), else one drawn now."""
    ids = _sql.take_ids(instance, history, 1)
    if ids is not None:
        return ids[0]
    drawn = _sql.fetchone(f"SELECT {_sql.next_ids_sql(*_sql.id_columns([(history, 1)]))}", [])[0]
    _sql.note_written(history, drawn)
    return drawn


def save(instance) -> None:
    """``instance.save()`` for a model simple_history tracks: on PostgreSQL inside a
    service call, the row's ``INSERT`` (when its id was drawn ahead) or ``UPDATE`` and the
    history row, each written once and deferred; else ``save()``."""
    model = type(instance)
    adding = instance._state.adding
    if (
        not writes_here(instance)
        or (adding and instance.pk is None)
        or instance._state.db not in (None, connection.alias)
    ):
        instance.save()
        return
    model_signals.pre_save.send(sender=model, instance=instance, raw=False, using=connection.alias, update_fields=None)
    if adding:
        _sql.insert_deferred(instance)
    else:
        _sql.update_deferred(instance)
    created = adding and not instance.__dict__.pop(_CREATED_WRITTEN, False)
    write(instance, "+" if created else "~")


# Set by ``write_created``: the instance's ``+`` row is written, its own row not yet.
_CREATED_WRITTEN = "_casework_created_row_written"


def write_created(instance) -> None:
    """The ``+`` history row of a new instance whose own row its next ``save`` inserts, in the
    state it has then (its first change, in the same transaction); that save writes a ``~``
    row, as an insert followed by an update would have."""
    write(instance, "+")
    instance.__dict__[_CREATED_WRITTEN] = True


def write(instance, history_type: str):
    """The history row simple_history writes for ``instance`` (``+`` created, ``~``
    changed), with an id drawn ahead, deferred."""
    history = history_model(type(instance))
    history_date = getattr(instance, "_history_date", timezone.now())
    history_user = instance._history_user
    reason = getattr(instance, "_change_reason", None)
    row = history(
        history_id=_take_id(instance, history),
        history_date=history_date,
        history_type=history_type,
        history_user=history_user,
        history_change_reason=reason,
        **{field.attname: getattr(instance, field.attname) for field in history.tracked_fields},
    )
    signal_kwargs = {
        "sender": history,
        "instance": instance,
        "history_instance": row,
        "history_date": history_date,
        "history_user": history_user,
        "history_change_reason": reason,
        "using": None,
    }
    pre_create_historical_record.send(**signal_kwargs)
    _sql.insert_deferred(row)
    post_create_historical_record.send(**signal_kwargs)
    return row
