"""Small fixes to third-party behaviour, applied once in ``CaseworkConfig.ready``."""

from __future__ import annotations

from functools import cache, lru_cache


@cache
def _history_manager_class(manager_class, queryset_class):
    return manager_class.from_queryset(queryset_class)


def cache_history_manager_classes() -> None:
    """django-simple-history builds a new manager class (``Manager.from_queryset``, which walks
    every queryset method with ``inspect``) each time ``instance.history`` is read, and
    ``create_historical_record`` reads it for every history row it writes: ~0.4 ms of Python
    per row on the write paths. The class depends only on the two classes given, so build it
    once per pair; the manager instance stays per access, as before."""
    from simple_history.manager import HistoryDescriptor

    def __get__(self, instance, owner):
        return _history_manager_class(self.manager_class, self.queryset_class)(self.model, instance)

    HistoryDescriptor.__get__ = __get__


# psycopg's client-side binding caches how it splits a query (an ``lru_cache`` of 128
# entries) only for queries up to 4,096 bytes and 50 parameters. The write paths send
# their deferred statements in front of the next one (``services._sql.carrying``): a few
# kilobytes and up to a few hundred parameters, the same text on every call of a path, and
# splitting such a text again took ~0.4 ms each time. Longer texts are kept too, in a
# larger cache (the ORM's texts of the pages would otherwise push the write paths' out).
CARRIED_QUERY_MAX_BYTES = 64 * 1024
CARRIED_QUERY_MAX_PARAMS = 2000
SPLIT_CACHE_SIZE = 2048


def cache_long_query_splits() -> None:
    from psycopg import _queries

    _queries.MAX_CACHED_STATEMENT_LENGTH = max(_queries.MAX_CACHED_STATEMENT_LENGTH, CARRIED_QUERY_MAX_BYTES)
    _queries.MAX_CACHED_STATEMENT_PARAMS = max(_queries.MAX_CACHED_STATEMENT_PARAMS, CARRIED_QUERY_MAX_PARAMS)
    if _queries._query2pg_client.cache_info().maxsize < SPLIT_CACHE_SIZE:
        _queries._query2pg_client = lru_cache(maxsize=SPLIT_CACHE_SIZE)(_queries._query2pg_client_nocache)
