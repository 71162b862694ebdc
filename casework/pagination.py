"""A paginator that never counts more than ``CAP`` rows (pages and the API).

An exact ``COUNT(*)`` over a supervisor's 10⁶ visible cases costs more than the page itself.
The count is exact up to ``CAP``; above it the list says "1000 以上", pages are numbered
without a total, and whether there is a next page is learnt by fetching one row more.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections, transaction
from django.db.models import F, OrderBy
from django.db.models.expressions import Col
from django.db.models.lookups import In
from django.db.models.sql.query import Query
from django.db.models.sql.where import AND, WhereNode
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

CAP = 1000


def rows_by_ids(rows, ids: list) -> list:
    """The rows of ``rows`` (with its ``select_related`` joins and loaded columns) whose pk is in ``ids``, in the
    order of ``ids``: one query.

    The deferred join's second half. On PostgreSQL the joins are planned in the order written
    (``SET join_collapse_limit = 1`` for that query): with the few rows already chosen by id, that
    order — those rows first, then one primary-key probe per joined table — is the best plan,
    and with eight or more joined tables searching for another costs far more than executing
    the page (planning time grows exponentially with their number).
    """
    if not ids:
        return []
    model = rows.model
    outer = model._default_manager.using(rows.db).filter(pk__in=ids)
    outer.query.select_related = rows.query.select_related
    outer.query.deferred_loading = rows.query.deferred_loading  # ``only`` / ``defer``
    connection = connections[rows.db]
    if connection.vendor == "postgresql" and _tables(outer.query.select_related) > WRITTEN_ORDER_FROM:
        fetched = _in_written_join_order(connection, outer)
    else:
        fetched = list(outer)
    by_pk = {row.pk: row for row in fetched}
    return [by_pk[pk] for pk in ids if pk in by_pk]


# Up to six joined tables the planner's search is cheap; from seven on (the API's case and
# task lists) it costs more than the two statements that skip it.
WRITTEN_ORDER_FROM = 6


def _tables(select_related) -> int:
    """How many tables ``select_related`` (``True`` or a nested dict) joins."""
    if not isinstance(select_related, dict):
        return 0 if not select_related else WRITTEN_ORDER_FROM + 1
    return sum(1 + _tables(nested) for nested in select_related.values())


def _in_written_join_order(connection, queryset) -> list:
    # ``SET LOCAL`` in a transaction (the caller's, or one of its own): the setting ends with
    # it, so no connection carries it into another request — nor, behind a transaction-mode
    # pooler such as PgBouncer, into another client's transaction.
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET LOCAL join_collapse_limit = 1")
        return list(queryset)


def page_ids(rows, bottom: int, top: int) -> list:
    """The ids of ``rows[bottom:top]`` in the order of ``rows``: one query.

    Split at a search (``split``): each branch's first ``top`` rows in the list's order (the
    branch's own plan: an ordered index walk when most rows match, the trigram index when few
    do), their UNION in that order, then ``bottom:top`` of it. Exact: a row among the first
    ``top`` of the list is among the first ``top`` of every branch it belongs to."""
    if top <= bottom:
        return []
    branches = split(rows)
    names = _order_names(rows) if branches is not None else None
    if names is None:
        return list(rows.values_list("pk", flat=True)[bottom:top])
    if len(branches) == 1:
        return list(branches[0].values_list("pk", flat=True)[bottom:top])
    parts = [branch.values_list(*names)[:top] for branch in branches]
    union = parts[0].union(*parts[1:]).order_by(*rows.query.order_by)
    return [row[0] for row in union[bottom:top]]


def _order_names(rows) -> list[str] | None:
    """``["pk", …]`` and the case's own fields ``rows`` is ordered by, or ``None`` when the
    order is empty or reaches through a relation (the UNION must carry the order's columns)."""
    if not rows.query.order_by:
        return None
    names = ["pk"]
    for term in rows.query.order_by:
        if isinstance(term, str):
            name = term.removeprefix("-")
        elif isinstance(term, OrderBy) and isinstance(term.expression, F):
            name = term.expression.name
        else:
            return None
        if "__" in name or name == "?":
            return None
        if name not in names:
            names.append(name)
    return names


def split(rows) -> list | None:
    """``rows`` once per branch of its search, or ``None``.

    A search (``selectors.search_filter``) is ``pk IN (a UNION b UNION c)``; the UNION's query
    carries the branches as ``search_parts`` (conditions on the same model). When that
    condition is one of the terms ANDed together at the top of ``rows``' WHERE, ``rows`` equals
    the union of ``rows`` with that term replaced by each branch."""
    if not hasattr(rows, "query") or rows.query.combinator:
        return None
    found = _find_split(rows.query.where, [], rows.model, rows.query.base_table)
    if found is None:
        return None
    path, index, branches = found
    result = []
    for condition in branches:
        clone = rows.all()  # clones the WHERE tree's nodes (not its leaves)
        node = clone.query.where
        for i in path:
            node = node.children[i]
        del node.children[index]
        result.append(clone.filter(condition))
    return result


def _find_split(node, path: list, model, alias: str):
    """(path to the AND node, index in it, branches) of the split search under ``node``."""
    if node.negated or node.connector != AND:
        return None
    for i, child in enumerate(node.children):
        if isinstance(child, WhereNode):
            found = _find_split(child, [*path, i], model, alias)
            if found is not None:
                return found
        elif (
            isinstance(child, In)
            and isinstance(child.rhs, Query)
            and getattr(child.rhs, "search_parts", None)
            and child.rhs.model is model
            and isinstance(child.lhs, Col)
            and child.lhs.alias == alias
            and child.lhs.target == model._meta.pk
        ):
            return path, i, child.rhs.search_parts
    return None


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
        """The number of rows, but at most ``cap + 1`` (one query, ``LIMIT cap + 1``).

        Split at a search (``split``): the UNION of each branch's first ``cap + 1`` ids, which
        is exact below the cap and reaches it exactly when the whole list does."""
        rows = self.object_list
        if not hasattr(rows, "query"):
            return len(rows)
        branches = split(rows)
        if branches is None:
            return rows.order_by()[: self.cap + 1].count()
        parts = [branch.order_by().values_list("pk")[: self.cap + 1] for branch in branches]
        if len(parts) == 1:
            return parts[0].count()
        return min(parts[0].union(*parts[1:]).count(), self.cap + 1)

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
        return rows_by_ids(rows, page_ids(rows, bottom, top))

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if not self.capped:
            top = bottom + self.per_page
            if top + self.orphans >= self.count:
                top = self.count
            return Page(list(self._slice(bottom, top)), number, self)
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
