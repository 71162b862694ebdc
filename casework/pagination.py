"""A paginator that never counts more than ``CAP`` rows (pages and the API).

An exact ``COUNT(*)`` over a supervisor's 10⁶ visible cases costs more than the page itself.
The count is exact up to ``CAP``; above it the list says "1000 以上", pages are numbered
without a total, and whether there is a next page is learnt by fetching one row more.
"""

from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import F, Lookup, Q
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

CAP = 1000


class _AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = compiler.compile(self.rhs)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


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
        ids are chosen in a subquery over the case table alone (its indexes, ``LIMIT``), and
        only those rows are joined; one query either way. Ten joined tables around a search
        or jurisdiction subquery otherwise lead PostgreSQL's planner to join 10⁶ rows first."""
        rows = self.object_list
        if not getattr(rows, "query", None) or not rows.query.select_related or rows.query.distinct:
            return rows[bottom:top]
        ids = rows.values("pk")[bottom:top]
        # PostgreSQL: ``id = ANY(ARRAY(subquery))``, an InitPlan of at most a page of ids,
        # which the planner cannot turn into a semi-join placed after the joins.
        postgres = connections[rows.db].vendor == "postgresql"
        chosen = _AnyOf(F("pk"), ArraySubquery(ids)) if postgres else Q(pk__in=ids)
        outer = rows.model._default_manager.using(rows.db).filter(chosen).order_by(*rows.query.order_by)
        outer.query.select_related = rows.query.select_related
        return outer

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
