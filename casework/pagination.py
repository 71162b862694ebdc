"""A paginator that never counts more than ``CAP`` rows (pages and the API).

An exact ``COUNT(*)`` over a supervisor's 10⁶ visible cases costs more than the page itself.
The count is exact up to ``CAP``; above it the list says "1000 以上", pages are numbered
without a total, and whether there is a next page is learnt by fetching one row more.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

CAP = 1000


def rows_by_ids(rows, ids: list) -> list:
    """The rows of ``rows`` (with its ``select_related`` joins) whose pk is in ``ids``, in the
    order of ``ids``: one query.

    The deferred join's second half. On PostgreSQL the joins are planned in the order written
    (``SET join_collapse_limit = 1`` for that query): with the few rows already chosen by id, that
    order — those rows first, then one primary-key probe per joined table — is the best plan,
    and searching for another costs 10–30 ms of planning with eight or more joined tables
    (planning time grows exponentially with their number; executing the page takes ~1 ms).
    """
    if not ids:
        return []
    model = rows.model
    outer = model._default_manager.using(rows.db).filter(pk__in=ids)
    outer.query.select_related = rows.query.select_related
    connection = connections[rows.db]
    if connection.vendor == "postgresql" and _tables(outer.query.select_related) > WRITTEN_ORDER_FROM:
        fetched = _in_written_join_order(connection, outer)
    else:
        fetched = list(outer)
    by_pk = {row.pk: row for row in fetched}
    return [by_pk[pk] for pk in ids if pk in by_pk]


# Up to six joined tables the planner's search costs a few milliseconds at most; from seven
# on (the API's case and task lists) it costs more than the two statements that skip it.
WRITTEN_ORDER_FROM = 6


def _tables(select_related) -> int:
    """How many tables ``select_related`` (``True`` or a nested dict) joins."""
    if not isinstance(select_related, dict):
        return 0 if not select_related else WRITTEN_ORDER_FROM + 1
    return sum(1 + _tables(nested) for nested in select_related.values())


def _in_written_join_order(connection, queryset) -> list:
    # SET … RESET rather than a transaction with SET LOCAL: two statements instead of three
    # (BEGIN, SET LOCAL, COMMIT). Inside a caller's transaction SET LOCAL, which its rollback
    # undoes should the read fail; outside one, the RESET runs however the read ends, so a
    # kept-alive connection never carries the setting into the next request.
    local = connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL join_collapse_limit = 1" if local else "SET join_collapse_limit = 1")
        try:
            result = list(queryset)
        except Exception:
            if not local:
                cursor.execute("RESET join_collapse_limit")
            raise
        cursor.execute("RESET join_collapse_limit")
    return result


class CappedPage(Page):
    def __init__(self, object_list, number, paginator, more: bool):
        super().__init__(object_list, number, paginator)
        self._more = more

    def has_next(self) -> bool:
        return self._more

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


class CappedPaginator(Paginator):
    cap = CAP

    @cached_property
    def _capped_count(self) -> int:
        """The number of rows, but at most ``cap + 1`` (one query, ``LIMIT cap + 1``)."""
        rows = self.object_list
        if hasattr(rows, "query"):
            return rows.order_by()[: self.cap + 1].count()
        return len(rows)

    @property
    def capped(self) -> bool:
        return self._capped_count > self.cap

    @cached_property
    def count(self) -> int:
        return min(self._capped_count, self.cap)

    @property
    def count_label(self) -> str:
        if self.capped:
            return _("%(n)s 以上") % {"n": self.cap}
        return str(self.count)

    def validate_number(self, number):
        if not self.capped:
            return super().validate_number(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(_("页码无效。")) from None
        if number < 1:
            raise EmptyPage(_("页码无效。"))
        return number

    def _slice(self, bottom: int, top: int):
        """Rows ``bottom:top``. With ``select_related`` this is a deferred join: the page's
        ids are chosen by a query over the list's own tables (its indexes, ``LIMIT``), then
        only those rows are read with their joins (``rows_by_ids``). Ten joined tables around
        a search or jurisdiction filter otherwise lead PostgreSQL's planner to join 10⁶ rows
        first, or to spend longer planning the joins than reading the page."""
        rows = self.object_list
        if not getattr(rows, "query", None) or not rows.query.select_related or rows.query.distinct:
            return rows[bottom:top]
        return rows_by_ids(rows, list(rows.values_list("pk", flat=True)[bottom:top]))

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if not self.capped:
            top = bottom + self.per_page
            if top + self.orphans >= self.count:
                top = self.count
            return self._get_page(list(self._slice(bottom, top)), number, self)
        rows = list(self._slice(bottom, bottom + self.per_page + 1))
        if not rows and number > 1:
            raise EmptyPage(_("该页没有结果。"))
        return CappedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)

    def get_page(self, number):
        try:
            number = self.validate_number(number)
        except PageNotAnInteger:
            number = 1
        except EmptyPage:
            number = 1 if self.capped else self.num_pages
        try:
            return self.page(number)
        except EmptyPage:
            return self.page(1 if self.capped else self.num_pages)
