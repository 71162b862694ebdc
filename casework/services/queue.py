"""A staff member's own list tools: 关注 (watch a case) and 常用筛选 (saved filters).

Both write only the user's own rows; neither widens what the user sees (the lists re-run
``selectors.visible_cases``), so a filter's query string is kept only for the filter bar's
own parameters.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from ..exceptions import CaseNotFound, InvalidInput
from ..models import Case, CaseWatch, ListPage, SavedFilter
from ..models.queue import SAVED_QUERY_MAX

# What a saved filter may carry: the filter bar, the sort and the personal view.
FILTER_KEYS = ("q", "status", "level", "category", "channel", "overdue", "sort", "view")
MAX_FILTERS = 30  # per user and list


def case_watch(*, case: Case, user) -> bool:
    """关注 ``case`` (which the caller has found visible); ``False`` when already watched."""
    if case is None or case.pk is None:
        raise CaseNotFound()
    _watch, created = CaseWatch.objects.get_or_create(user=user, case=case)
    return created


def case_unwatch(*, case: Case, user) -> bool:
    """取消关注; ``False`` when the case was not watched."""
    deleted, _by_model = CaseWatch.objects.filter(user=user, case=case).delete()
    return bool(deleted)


def clean_query(query: str) -> str:
    """``query`` reduced to the filter bar's parameters (first value each, non-empty)."""
    params = QueryDict((query or "").lstrip("?")[:2000])
    kept = [(key, (params.getlist(key) or [""])[0][:100].strip()) for key in FILTER_KEYS]
    return urlencode([(k, v) for k, v in kept if v])


def saved_filter_save(*, user, page: str, name: str, query: str) -> SavedFilter:
    """Save the list's current query under ``name`` (the same name on the same list replaces it)."""
    name = (name or "").strip()
    errors = {}
    if page not in ListPage.values:
        errors["page"] = [_("列表不存在。")]
    if not name:
        errors["name"] = [_("请填写筛选名称。")]
    elif len(name) > 40:
        errors["name"] = [_("筛选名称不能超过 40 个字。")]
    query = clean_query(query)
    if not query and not errors:
        errors["name"] = [_("当前没有筛选条件，无需保存。")]
    elif len(query) > SAVED_QUERY_MAX:
        errors["name"] = [_("筛选条件过长，无法保存。")]
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        existing = SavedFilter.objects.select_for_update().filter(user=user, page=page, name=name).first()
        if existing is not None:
            existing.query = query
            existing.full_clean()
            existing.save(update_fields=["query"])
            return existing
        if SavedFilter.objects.filter(user=user, page=page).count() >= MAX_FILTERS:
            raise InvalidInput(fields={"name": [_("每个列表最多保存 %(n)d 个筛选。") % {"n": MAX_FILTERS}]})
        saved = SavedFilter(user=user, page=page, name=name, query=query)
        try:
            saved.full_clean()
            with transaction.atomic():
                saved.save()
        except (ValidationError, IntegrityError):  # the same name saved at the same moment
            raise InvalidInput(fields={"name": [_("已有同名的筛选，请换一个名称。")]}) from None
        return saved


def saved_filter_delete(*, user, pk: int) -> None:
    """Delete one of the user's own filters; anyone else's, or none, is ``InvalidInput``
    (the page answers 404: it does not tell another user's filter from a missing one)."""
    deleted, _by_model = SavedFilter.objects.filter(user=user, pk=pk).delete()
    if not deleted:
        raise InvalidInput(_("该筛选不存在。"))
