"""``record_change`` for many cases at once: what the deadline sweep writes per batch.

``casework.services.record_change`` saves one case (its history row through simple_history's
``post_save``, the audit link through ``post_create_historical_record``) and sends
``case_event`` (notifications). ``record_many`` writes the same rows for a batch of cases
through the libraries' bulk APIs:

* the cases with one queryset ``update`` (``version + 1``, ``last_action``, ``prev_status``
  = the status, ``updated_at``: the same change for every case of the batch) and their
  history rows with simple_history's ``bulk_history_create`` (the user and each case's reason
  as simple_history takes them: ``default_user`` and the instance's ``_change_reason``; the
  date is the project's clock, as ``record_change``'s). These are the two calls
  ``bulk_update_with_history`` is made of, with the update written set-wise: its ORM
  ``bulk_update`` builds a ``CASE WHEN`` per row and field, which measured took the
  10,000-clock sweep past its target (docs/performance.md); and
  ``bulk_history_create`` returns the rows it wrote, which the next step needs;
* their audit links (``audit.chain.append_many``: one read of the rows as stored and of the
  cases' chain tips, one insert);
* the outbox rows of every case in one insert (``casework.notify.on_case_events``).

No signal is sent for these rows, so the receivers the bulk path stands in for are fixed:
the audit chain and the notifications (the escalation receiver of ``case_event`` only saves
a clock pending at registration, which a sweep never has). ``tests/escalation/test_bulk.py``
fails when a receiver is added to either signal, and checks that the rows written here
equal those ``record_change`` writes.

The caller holds every case's row lock (``select_for_update``) and passes each case once.
"""

from __future__ import annotations

from django.db.models import F

from audit.chain import append_many
from casework import notify
from casework.clock import now
from casework.models import Case

# What ``record_change`` changes on the case besides the history row.
_TOUCHED = ("version", "last_action", "prev_status", "updated_at")


def record_many(
    items: list[tuple[Case, str]], *, actor, action: str, audiences: notify.Audiences | None = None
) -> None:
    """One history row (by ``actor``, ``action``, the item's reason) per ``(case, reason)``.

    Same rows as calling ``record_change(case, actor=actor, action=action, reason=reason)``
    for each case. On an exception the case instances are left as they were (the caller's
    savepoint undoes the database side). ``audiences``: the staff read for earlier batches
    (``casework.notify.Audiences``).
    """
    if not items:
        return
    cases = [case for case, _reason in items]
    if len({case.pk for case in cases}) != len(cases):
        raise ValueError("record_many: each case at most once")
    before = [{name: getattr(case, name) for name in _TOUCHED} for case in cases]
    at = now()
    try:
        for case, reason in items:
            case.version += 1
            case.last_action = action
            case.prev_status = case.status
            case.updated_at = at
            case._change_reason = reason  # simple_history's per-instance reason for bulk writes
        updated = Case.objects.filter(pk__in=[case.pk for case in cases]).update(
            version=F("version") + 1, last_action=action, prev_status=F("status"), updated_at=at
        )
        if updated != len(cases):  # the caller holds the locks: a missing row is a bug, not a race
            raise RuntimeError(f"record_many: {updated} of {len(cases)} cases updated")
        rows = Case.history.bulk_history_create(cases, update=True, default_user=actor, default_date=at)
        append_many(rows)
        notify.on_case_events(items, action=action, actor=actor, audiences=audiences)
    except BaseException:
        for case, values in zip(cases, before, strict=True):
            for name, value in values.items():
                setattr(case, name, value)
        raise
    finally:
        for case in cases:
            case.__dict__.pop("_change_reason", None)
